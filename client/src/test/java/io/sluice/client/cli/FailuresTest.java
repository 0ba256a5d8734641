package io.sluice.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.errors.DeliveryTimeoutException;
import io.sluice.client.errors.Errors;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.proto.v1.ErrorCode;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The one line a command prints for a failure: it must not blame the network for an answer. */
class FailuresTest {
    private static final String BOOTSTRAP = "127.0.0.1:9092";

    @Test
    void aDeliveryTimeoutAfterRefusalsSaysWhatTheClusterAnsweredAndWhereToLook() {
        DeliveryTimeoutException e = new DeliveryTimeoutException("5 record(s) for t-0 not acknowledged within "
                + "delivery.timeout.ms; last error: NOT_ENOUGH_REPLICAS: 1 in sync, 2 required", false,
                Errors.toException(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS, "1 in sync, 2 required"));
        String line = Failures.describe(new CompletionException(e), BOOTSTRAP);
        assertTrue(line.startsWith("REQUEST_TIMED_OUT: 5 record(s) for t-0 not acknowledged"), line);
        assertTrue(line.endsWith("; 'bin/sluice topics describe' shows each partition's ISR and the topic's "
                + "min.insync.replicas"), line);
        assertTrue(!line.contains("no answer from the cluster"), line);
    }

    @Test
    void aDeliveryTimeoutWithoutAnAnswerIsStillItsOwnMessage() {
        DeliveryTimeoutException e = new DeliveryTimeoutException("1 record(s) for t-0 not acknowledged", true,
                new SluiceTimeoutException("REQUEST_TIMED_OUT"));
        assertEquals("REQUEST_TIMED_OUT: 1 record(s) for t-0 not acknowledged", Failures.describe(e, BOOTSTRAP));
    }

    @Test
    void aCommandThatHeardNothingSaysSo() {
        String line = Failures.describe(new SluiceTimeoutException("describe topics timed out"), BOOTSTRAP);
        assertEquals("no answer from the cluster at 127.0.0.1:9092 in time (--command-timeout-ms): "
                + "REQUEST_TIMED_OUT: describe topics timed out", line);
    }
}
