package io.sluice.client.errors;

/**
 * Thrown by a blocking consumer call that another thread interrupted with {@code wakeup()}: the
 * usual way to make a poll loop stop. Not a failure of the cluster, so not a
 * {@link SluiceException}.
 */
public class WakeupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WakeupException() {
        super("woken up by Consumer.wakeup()");
    }
}
