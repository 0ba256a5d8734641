package io.sluice.client.admin.internal;

import io.sluice.client.errors.SluiceException;
import io.sluice.client.internal.Backoff;
import io.sluice.client.internal.Coordinators;
import io.sluice.client.internal.Operation;
import io.sluice.client.internal.OperationContext;
import io.sluice.client.internal.metadata.MetadataManager;
import io.sluice.client.internal.network.NetworkClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The admin client's single-threaded core: a list of {@link Operation}s, each retried within its
 * own deadline, plus metadata and coordinator lookups they share. Any thread may {@link #submit}
 * an operation; everything else runs on the admin thread ({@link #poll}), or in a test. Operation
 * futures complete on that thread, so continuations chained on them (multi-step operations) run
 * there too and may submit further operations.
 */
public final class AdminCore {
    private final MetadataManager metadata;
    private final NetworkClient network;
    private final Coordinators coordinators;
    private final OperationContext context;
    private final ConcurrentLinkedQueue<Operation> submitted = new ConcurrentLinkedQueue<>();
    private final List<Operation> operations = new ArrayList<>();

    public AdminCore(MetadataManager metadata, NetworkClient network, Backoff backoff, int requestTimeoutMs) {
        this.metadata = metadata;
        this.network = network;
        this.coordinators = new Coordinators(backoff, requestTimeoutMs);
        this.context = new OperationContext(network, metadata, coordinators, backoff, requestTimeoutMs);
    }

    /** Queues an operation and wakes the admin thread. Thread-safe. */
    public <T extends Operation> T submit(T operation) {
        submitted.add(operation);
        network.events().wakeup();
        return operation;
    }

    /** One round of work. */
    public void poll(long now) {
        network.poll(now);
        for (Operation op = submitted.poll(); op != null; op = submitted.poll()) {
            operations.add(op);
        }
        metadata.poll(now, network);
        for (int i = 0; i < operations.size(); i++) {
            if (operations.get(i).poll(now, context)) {
                operations.remove(i--);
            }
        }
        coordinators.poll(now, network, metadata);
        metadata.poll(now, network);
    }

    /** When {@link #poll} next has work without an answer arriving. */
    public long nextPollMs() {
        long next = Math.min(network.nextDeadlineMs(), Math.min(metadata.nextPollMs(), coordinators.nextPollMs()));
        for (Operation op : operations) {
            next = Math.min(next, op.nextPollMs());
        }
        return submitted.isEmpty() ? next : 0;
    }

    /** Fails every unfinished operation with {@code error} and closes the network client. */
    public void close(SluiceException error) {
        for (Operation op = submitted.poll(); op != null; op = submitted.poll()) {
            operations.add(op);
        }
        operations.forEach(op -> op.abort(error));
        operations.clear();
        network.close();
    }
}
