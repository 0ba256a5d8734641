package io.sluice.client.errors;

/**
 * A produced record was not acknowledged within {@code delivery.timeout.ms}. Beyond its message,
 * it says whether the record may be in the log: {@link #mayHaveBeenWritten()} is false only when
 * no attempt to send it can have been appended — it was never sent, or every broker that got it
 * refused it before appending (NOT_LEADER, NOT_ENOUGH_REPLICAS, an out-of-order sequence, ...) —
 * and true when some attempt got no answer or an answer that leaves the outcome open (a lost
 * connection, REQUEST_TIMED_OUT, NOT_ENOUGH_REPLICAS_AFTER_APPEND). Applications that must tell a
 * certain failure from an unknown outcome (an exactly-once pipeline, a test that audits a log)
 * read it instead of parsing the message. Immutable.
 */
public class DeliveryTimeoutException extends SluiceTimeoutException {
    private static final long serialVersionUID = 1L;

    private final boolean mayHaveBeenWritten;

    public DeliveryTimeoutException(String message, boolean mayHaveBeenWritten) {
        this(message, mayHaveBeenWritten, null);
    }

    /** As {@link #DeliveryTimeoutException(String, boolean)}, with the last attempt's error as the cause. */
    public DeliveryTimeoutException(String message, boolean mayHaveBeenWritten, Throwable lastError) {
        super(message, lastError);
        this.mayHaveBeenWritten = mayHaveBeenWritten;
    }

    /** False only when the record is certainly not in the log; true when its outcome is unknown. */
    public boolean mayHaveBeenWritten() {
        return mayHaveBeenWritten;
    }
}
