package io.sluice.jepsen.checker;

/**
 * A history the checker cannot judge because it breaks the history format (an invocation without
 * its completion's pairing rules, a send value used twice, a poll result that is not
 * topic-partition to {@code [offset, value]} pairs, ...). The message names the entry's index.
 */
public final class HistoryFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HistoryFormatException(String message) {
        super(message);
    }

    public HistoryFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
