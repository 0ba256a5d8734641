package io.sluice.client.admin.internal;

import io.sluice.client.errors.NetworkException;
import io.sluice.client.internal.DriverThread;
import io.sluice.client.internal.network.EventQueue;
import io.sluice.common.Clock;

/** The admin client's thread: drives the {@link AdminCore}; on close, fails what is unfinished. */
public final class AdminThread extends DriverThread {
    private final AdminCore core;

    public AdminThread(AdminCore core, EventQueue events, Clock clock, String name) {
        super(events, clock, name);
        this.core = core;
    }

    @Override
    protected long pollOnce(long nowMs) {
        core.poll(nowMs);
        return core.nextPollMs();
    }

    @Override
    protected void shutDown() {
        core.close(new NetworkException("the admin client was closed before the operation finished", null));
    }
}
