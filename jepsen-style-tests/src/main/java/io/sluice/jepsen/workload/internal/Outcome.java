package io.sluice.jepsen.workload.internal;

import io.sluice.client.errors.DeliveryTimeoutException;
import io.sluice.client.errors.RecordTooLargeException;
import io.sluice.client.errors.SluiceException;
import io.sluice.jepsen.history.OpType;
import io.sluice.proto.v1.ErrorCode;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * How an operation that did not succeed is recorded: {@code fail} only when it certainly did not
 * take effect, {@code info} (unknown) otherwise, with the error's text. A wrong {@code fail}
 * invents anomalies (a value read although "it failed"); a wrong {@code info} only weakens the
 * check, so every doubt goes to {@code info}.
 *
 * <p>For a send, the SDK retries every retriable refusal (NOT_LEADER, NOT_ENOUGH_REPLICAS, ...)
 * itself until {@code delivery.timeout.ms}, so what reaches the application is mostly a
 * {@link DeliveryTimeoutException}, which says whether any attempt may have been appended. The
 * other certain failures are refusals that depend only on the record's bytes, which every
 * attempt at every broker would meet alike (a record too large, a corrupt or invalid batch, an
 * unsupported format): no attempt can have been appended. Everything else — a plain timeout, a
 * lost connection, NOT_ENOUGH_REPLICAS_AFTER_APPEND, an unknown server error, a fenced producer or
 * an invalid request after an attempt whose answer was lost, the producer closed with the record
 * in flight — is unknown. Immutable.
 *
 * @param type  {@link OpType#FAIL} or {@link OpType#INFO}
 * @param error what went wrong, for the history
 */
public record Outcome(OpType type, String error) {
    private static final int MAX_ERROR_CHARS = 400;
    private static final Set<ErrorCode> CONTENT_REFUSALS = Set.of(ErrorCode.ERROR_CODE_CORRUPT_BATCH,
            ErrorCode.ERROR_CODE_INVALID_BATCH, ErrorCode.ERROR_CODE_BATCH_TOO_LARGE,
            ErrorCode.ERROR_CODE_UNSUPPORTED_BATCH_VERSION, ErrorCode.ERROR_CODE_UNSUPPORTED_COMPRESSION);

    /** The outcome of a send whose future failed with {@code failure}. */
    public static Outcome ofSend(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof DeliveryTimeoutException timeout) {
            return new Outcome(timeout.mayHaveBeenWritten() ? OpType.INFO : OpType.FAIL, describe(cause));
        }
        if (cause instanceof RecordTooLargeException) {
            return new Outcome(OpType.FAIL, describe(cause));
        }
        if (cause instanceof SluiceException e && CONTENT_REFUSALS.contains(e.errorCode())) {
            return new Outcome(OpType.FAIL, describe(cause));
        }
        return unknown(cause);
    }

    /** An unknown outcome. */
    public static Outcome unknown(Throwable failure) {
        return new Outcome(OpType.INFO, describe(unwrap(failure)));
    }

    /** An outcome that certainly did not take effect (for operations with no effect on the log). */
    public static Outcome failed(Throwable failure) {
        return new Outcome(OpType.FAIL, describe(unwrap(failure)));
    }

    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The exception's class and message, shortened to fit a history line. */
    public static String describe(Throwable t) {
        String text = t.getClass().getSimpleName() + ": " + t.getMessage();
        return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "...";
    }
}
