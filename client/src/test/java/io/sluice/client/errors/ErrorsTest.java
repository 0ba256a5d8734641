package io.sluice.client.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.LeaderHint;
import io.sluice.protocol.ErrorCodes;
import org.junit.jupiter.api.Test;

class ErrorsTest {
    @Test
    void everyCodeMapsToAnExceptionOfTheRightRetriability() {
        for (ErrorCode code : ErrorCode.values()) {
            if (code == ErrorCode.ERROR_CODE_NONE || code == ErrorCode.UNRECOGNIZED) {
                continue;
            }
            SluiceException e = Errors.toException(code, "");
            assertEquals(code, e.errorCode());
            assertEquals(ErrorCodes.isRetriable(code), e instanceof RetriableException, code.name());
            assertFalse(e.getMessage().isBlank());
        }
    }

    @Test
    void notLeaderCarriesTheHint() {
        LeaderHint hint = LeaderHint.newBuilder().setLeaderId(3).setLeaderEpoch(7)
                .setEndpoint(Endpoint.newBuilder().setHost("127.0.0.1").setPort(9092)).build();
        SluiceException e = Errors.toException(ErrorCode.ERROR_CODE_NOT_LEADER, "moved", hint);
        NotLeaderException notLeader = assertInstanceOf(NotLeaderException.class, e);
        assertEquals(3, notLeader.leaderHint().orElseThrow().getLeaderId());
        assertTrue(e.getMessage().contains("NOT_LEADER") && e.getMessage().contains("moved"));
        assertTrue(Errors.toException(ErrorCode.ERROR_CODE_NOT_LEADER, "", null) instanceof NotLeaderException);
    }

    @Test
    void transportFailuresMapToRetriableOrFinalExceptions() {
        SluiceException refused = Errors.fromTransport(Status.UNAVAILABLE.withDescription("io exception")
                .withCause(new java.net.ConnectException("Connection refused")).asRuntimeException(), "h:1");
        assertInstanceOf(NetworkException.class, refused);
        assertTrue(refused.getMessage().contains("cannot reach h:1") && refused.getMessage().contains("refused"),
                refused.getMessage());
        assertInstanceOf(SluiceTimeoutException.class,
                Errors.fromTransport(Status.DEADLINE_EXCEEDED.asRuntimeException(), "h:1"));
        SluiceException tooLarge = Errors.fromTransport(Status.RESOURCE_EXHAUSTED.asRuntimeException(), "h:1");
        assertEquals(ErrorCode.ERROR_CODE_REQUEST_TOO_LARGE, tooLarge.errorCode());
        assertFalse(tooLarge instanceof RetriableException);
        assertEquals(ErrorCode.ERROR_CODE_UNSUPPORTED_FEATURE,
                Errors.fromTransport(Status.UNIMPLEMENTED.asRuntimeException(), "h:1").errorCode());
    }

    @Test
    void noneIsNotAnError() {
        assertThrows(IllegalArgumentException.class, () -> Errors.toException(ErrorCode.ERROR_CODE_NONE, ""));
        Errors.throwIfError(ErrorCode.ERROR_CODE_NONE, "");
        assertThrows(SluiceException.class, () -> Errors.throwIfError(ErrorCode.ERROR_CODE_CORRUPT_BATCH, "bad"));
    }
}
