package io.sluice.jepsen.workload.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.errors.DeliveryTimeoutException;
import io.sluice.client.errors.RecordTooLargeException;
import io.sluice.client.errors.SluiceException;
import io.sluice.jepsen.history.OpType;
import io.sluice.proto.v1.ErrorCode;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** A send is recorded as {@code fail} only when the SDK guarantees the record is not in the log. */
class OutcomeTest {
    private static ExecutionException wrapped(Throwable cause) {
        return new ExecutionException(new CompletionException(cause));
    }

    @Test
    void aDeliveryTimeoutFailsOnlyWhenNoAttemptCanHaveBeenAppended() {
        Outcome certain = Outcome.ofSend(wrapped(new DeliveryTimeoutException("after 0 attempt(s)", false)));
        assertEquals(OpType.FAIL, certain.type());
        String error = certain.error();
        assertTrue(error.startsWith("DeliveryTimeoutException: ") && error.contains("after 0 attempt(s)"), error);
        assertEquals(OpType.INFO, Outcome.ofSend(wrapped(new DeliveryTimeoutException("no answer", true))).type());
    }

    @Test
    void refusalsOfTheRecordsBytesAreCertainFailures() {
        assertEquals(OpType.FAIL, Outcome.ofSend(wrapped(new RecordTooLargeException("too large"))).type());
        assertEquals(OpType.FAIL, Outcome.ofSend(wrapped(new SluiceException(ErrorCode.ERROR_CODE_CORRUPT_BATCH,
                "crc"))).type());
    }

    @Test
    void everythingElseIsUnknown() {
        assertEquals(OpType.INFO, Outcome.ofSend(wrapped(new SluiceException(
                ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS_AFTER_APPEND, "isr shrank"))).type());
        assertEquals(OpType.INFO, Outcome.ofSend(wrapped(new SluiceException(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS,
                "a refusal the SDK gave up retrying is still not trusted alone"))).type());
        assertEquals(OpType.INFO, Outcome.ofSend(wrapped(new IllegalStateException("producer closed"))).type());
    }

    @Test
    void errorsAreShortenedToFitAHistoryLine() {
        String error = Outcome.unknown(new IllegalStateException("x".repeat(5_000))).error();
        assertTrue(error.length() < 500 && error.endsWith("..."), error);
        assertEquals(OpType.FAIL, Outcome.failed(new IllegalStateException("nothing changed")).type());
    }
}
