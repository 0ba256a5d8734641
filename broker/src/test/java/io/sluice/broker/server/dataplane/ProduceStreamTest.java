package io.sluice.broker.server.dataplane;

import static io.sluice.broker.server.dataplane.ProduceApiTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.ServerCallStreamObserver;
import io.sluice.broker.partition.ReplicationConfig;
import io.sluice.broker.partition.TestBatches;
import io.sluice.broker.partition.TopicSettings;
import io.sluice.broker.replication.FetcherConfig;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.ProduceResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ProduceStream's flow control, correlation and completion, against a fake call on a manual clock. */
class ProduceStreamTest {
    private TestCluster cluster;

    /** The server side of a call as the stream sees it: records requests for more messages and answers. */
    private static final class FakeCall extends ServerCallStreamObserver<ProduceResponse> {
        final List<ProduceResponse> answers = new ArrayList<>();
        int requested;
        boolean autoRequest = true;
        boolean ready = true;
        boolean completed;
        Runnable onReady;
        Runnable onCancel;

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void setOnCancelHandler(Runnable handler) {
            onCancel = handler;
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setOnReadyHandler(Runnable handler) {
            onReady = handler;
        }

        @Override
        public void disableAutoInboundFlowControl() {
            autoRequest = false;
        }

        @Override
        public void disableAutoRequest() {
            autoRequest = false;
        }

        @Override
        public void request(int count) {
            requested += count;
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }

        @Override
        public void onNext(ProduceResponse value) {
            answers.add(value);
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
            completed = true;
        }
    }

    @BeforeEach
    void setUp() {
        cluster = new TestCluster(3, DataPlaneConfig.DEFAULT.withReplication(ReplicationConfig.DEFAULT
                .withFetcher(new FetcherConfig(100, 1, 1 << 20, 1 << 20, 20, 100))));
        cluster.createTopic("events", 1, 3, TopicSettings.DEFAULT);
    }

    @Test
    void asksForMoreOnlyAsAnswersLeaveAndTheClientReads() {
        FakeCall call = new FakeCall();
        ProduceStream stream = new ProduceStream(cluster.brokers.get(1), call, 3);
        assertFalse(call.autoRequest);
        assertEquals(3, call.requested, "the in-flight bound");
        for (int i = 0; i < 3; i++) {
            stream.onNext(request(i, Acks.ACKS_ALL, 5_000, "events", 0, TestBatches.batch("v" + i)));
        }
        assertEquals(3, call.requested, "no answer yet, so no room for more");
        call.ready = false;
        cluster.step(500);
        assertEquals(3, call.answers.size());
        assertEquals(3, call.requested, "the client is not reading: hold back");
        call.ready = true;
        call.onReady.run();
        assertEquals(6, call.requested);
        for (int i = 0; i < 3; i++) {
            assertEquals(ErrorCode.ERROR_CODE_NONE, call.answers.get(i).getTopics(0).getPartitions(0).getErrorCode());
        }
    }

    @Test
    void aCorrelationIdInFlightIsRefusedAndTheStreamEndsAfterTheLastAnswer() {
        FakeCall call = new FakeCall();
        ProduceStream stream = new ProduceStream(cluster.brokers.get(1), call, 8);
        stream.onNext(request(5, Acks.ACKS_ALL, 5_000, "events", 0, TestBatches.batch("a")));
        stream.onNext(request(5, Acks.ACKS_ALL, 5_000, "events", 0, TestBatches.batch("b")));
        assertEquals(1, call.answers.size());
        ProduceResponse refused = call.answers.get(0);
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, refused.getErrorCode());
        assertTrue(refused.getErrorMessage().contains("already in flight"), refused.getErrorMessage());
        stream.onCompleted();
        assertFalse(call.completed, "one request is still waiting for the ISR");
        cluster.step(500);
        assertEquals(2, call.answers.size());
        assertEquals(0, call.answers.get(1).getTopics(0).getPartitions(0).getBaseOffset());
        assertTrue(call.completed);
    }

    @Test
    void aCancelledStreamSendsNothingMore() {
        FakeCall call = new FakeCall();
        ProduceStream stream = new ProduceStream(cluster.brokers.get(1), call, 8);
        stream.onNext(request(1, Acks.ACKS_ALL, 5_000, "events", 0, TestBatches.batch("a")));
        call.onCancel.run();
        cluster.step(500);
        assertEquals(0, call.answers.size());
        assertFalse(call.completed);
    }
}
