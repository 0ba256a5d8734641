package io.sluice.jepsen.history;

/** The kind of history entry, as in Jepsen: an invocation and its completion. */
public enum OpType {
    /** A client started an operation. */
    INVOKE,
    /** The operation definitely happened. */
    OK,
    /** The operation definitely did not happen. */
    FAIL,
    /** The outcome is unknown (timeout, crash): it may or may not have happened. */
    INFO
}
