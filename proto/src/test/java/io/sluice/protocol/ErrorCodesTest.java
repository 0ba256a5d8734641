package io.sluice.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.v1.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorCodesTest {
    @Test
    void everyCodeHasADefaultMessage() {
        for (ErrorCode code : ErrorCode.values()) {
            if (code != ErrorCode.UNRECOGNIZED) {
                assertFalse(ErrorCodes.defaultMessage(code).isBlank(), code + " has no default_message");
            }
        }
    }

    /** The numbers are the contract: a renumbering would break every client already deployed. */
    @Test
    void numbersAreStable() {
        Map<ErrorCode, Integer> pinned = Map.of(
                ErrorCode.ERROR_CODE_NONE, 0,
                ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, 3,
                ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, 100,
                ErrorCode.ERROR_CODE_NOT_LEADER, 107,
                ErrorCode.ERROR_CODE_CORRUPT_BATCH, 200,
                ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS, 205,
                ErrorCode.ERROR_CODE_OUT_OF_ORDER_SEQUENCE, 250,
                ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, 300,
                ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH, 404,
                ErrorCode.ERROR_CODE_STALE_PARTITION_EPOCH, 501);
        pinned.forEach((code, number) -> assertEquals(number, code.getNumber(), code.name()));
    }

    @Test
    void retriabilityFollowsTheDeclaredOptions() {
        assertTrue(ErrorCodes.isRetriable(ErrorCode.ERROR_CODE_NOT_LEADER));
        assertTrue(ErrorCodes.isRetriable(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT));
        assertTrue(ErrorCodes.isRetriable(ErrorCode.ERROR_CODE_NOT_ENOUGH_REPLICAS));
        assertFalse(ErrorCodes.isRetriable(ErrorCode.ERROR_CODE_CORRUPT_BATCH));
        assertFalse(ErrorCodes.isRetriable(ErrorCode.ERROR_CODE_NONE));
        assertFalse(ErrorCodes.isRetriable(ErrorCodes.forNumber(9_999)), "unknown codes are not retried");
    }

    @Test
    void messagesFallBackToTheDefault() {
        assertEquals("custom", ErrorCodes.messageOrDefault(ErrorCode.ERROR_CODE_NOT_LEADER, "custom"));
        assertEquals(ErrorCodes.defaultMessage(ErrorCode.ERROR_CODE_NOT_LEADER),
                ErrorCodes.messageOrDefault(ErrorCode.ERROR_CODE_NOT_LEADER, ""));
        assertEquals("NOT_LEADER", ErrorCodes.shortName(ErrorCode.ERROR_CODE_NOT_LEADER));
    }
}
