package io.sluice.client.errors;

/**
 * A blocking SDK call was interrupted. The thread's interrupt flag is set again before this is
 * thrown, so code further up still sees the interruption.
 */
public class InterruptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InterruptException(InterruptedException cause) {
        super("interrupted", cause);
        Thread.currentThread().interrupt();
    }
}
