package io.sluice.jepsen.fault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * One fault in action: its targets are resolved, {@link #start()} injects it, {@link #heal()}
 * undoes it. Heal is idempotent and safe after a start that failed half-way. Used by one thread
 * (the nemesis) at a time.
 */
public interface Fault {
    /** Injects the fault; returns what was done, for the history (files damaged, PIDs, ...). */
    ObjectNode start() throws IOException, InterruptedException;

    /** Undoes the fault; returns what was done, for the history. */
    ObjectNode heal() throws IOException, InterruptedException;
}
