package io.sluice.metastore.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.retry.ClientRetryEvent;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.Timestamp;
import org.junit.jupiter.api.Test;

/**
 * The store's Ratis client stops retrying a request once the request timeout has passed since it was
 * first sent: the servers keep replies for twice that, so every retry of an applied write is answered
 * from their retry cache instead of being applied again.
 */
class RetryPolicyTest {
    private static final long TIMEOUT_MS = 10_000;

    private static ClientRetryEvent failed(RaftClientRequest.Type type, long sentMsAgo, int attempt) {
        RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(ClientId.randomId())
                .setServerId(RaftPeerId.valueOf("n1")).setGroupId(RaftGroupId.randomId()).setCallId(7)
                .setType(type).setMessage(Message.EMPTY).build();
        return new ClientRetryEvent(attempt, request, attempt, new TimeoutIOException("no answer in time"),
                Timestamp.currentTime().addTimeMs(-sentMsAgo));
    }

    @Test
    void aWriteIsRetriedAfter100MsUntilTheRequestTimeoutHasPassedSinceItWasSent() {
        AtomicLong consulted = new AtomicLong();
        RetryPolicy policy = RatisMetaStore.retryPolicy(TIMEOUT_MS, consulted);

        RetryPolicy.Action early = policy.handleAttemptFailure(failed(RaftClientRequest.writeRequestType(), 9_000, 3));
        assertTrue(early.shouldRetry());
        assertEquals(100, early.getSleepTime().toLong(TimeUnit.MILLISECONDS));
        assertFalse(policy.handleAttemptFailure(failed(RaftClientRequest.writeRequestType(), TIMEOUT_MS + 500, 3))
                .shouldRetry(), "a write sent longer ago than the request timeout must not be sent again");
        assertEquals(1, consulted.get(), "only the attempt that was retried is counted");
    }

    @Test
    void readsAndStaleReadsAreBoundedTheSameWay() {
        RetryPolicy policy = RatisMetaStore.retryPolicy(TIMEOUT_MS, new AtomicLong());
        for (RaftClientRequest.Type type : new RaftClientRequest.Type[] {RaftClientRequest.readRequestType(),
                RaftClientRequest.staleReadRequestType(0), RaftClientRequest.watchRequestType()}) {
            assertTrue(policy.handleAttemptFailure(failed(type, 0, 1)).shouldRetry(), type.toString());
            assertFalse(policy.handleAttemptFailure(failed(type, TIMEOUT_MS + 500, 1)).shouldRetry(), type.toString());
        }
    }

    @Test
    void theAttemptCountStaysBoundedWithinTheTimeout() {
        RetryPolicy policy = RatisMetaStore.retryPolicy(TIMEOUT_MS, new AtomicLong());
        assertTrue(policy.handleAttemptFailure(failed(RaftClientRequest.writeRequestType(), 0, 99)).shouldRetry());
        assertFalse(policy.handleAttemptFailure(failed(RaftClientRequest.writeRequestType(), 0, 100)).shouldRetry());
    }
}
