package io.sluice.broker.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.internal.v1.ReplicaFetchPartitionResponse;
import io.sluice.proto.internal.v1.ReplicaFetchRequest;
import io.sluice.proto.internal.v1.ReplicaFetchResponse;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The follower's fetch loop: one request in flight, answers handed to replicas, backoff and timeouts. */
class ReplicaFetcherTest {
    private static final FetcherConfig CONFIG = new FetcherConfig(100, 1, 1 << 20, 1 << 16, 50, 400);

    /** Remembers what was sent; the test answers through the callbacks. */
    private static final class CapturingTransport implements ReplicaFetchTransport {
        final List<ReplicaFetchRequest> sent = new ArrayList<>();
        final List<Callback> callbacks = new ArrayList<>();

        @Override
        public void send(int leaderId, ReplicaFetchRequest request, long timeoutMs, Callback callback) {
            sent.add(request);
            callbacks.add(callback);
        }
    }

    /** A replica at a fixed position that records the answers it gets. */
    private static final class FakeReplica implements FollowerReplica {
        final TopicIdPartition id;
        long offset;
        FetchOutcome outcome = FetchOutcome.CONTINUE;
        final List<ReplicaFetchPartitionResponse> answers = new ArrayList<>();

        FakeReplica(int partition) {
            this.id = new TopicIdPartition("t", partition);
        }

        @Override
        public TopicIdPartition id() {
            return id;
        }

        @Override
        public Optional<FetchPosition> fetchPosition(int leaderId) {
            return leaderId == 1 ? Optional.of(new FetchPosition(3, offset, 2, 0)) : Optional.empty();
        }

        @Override
        public FetchOutcome onFetchResponse(FetchPosition sent, ReplicaFetchPartitionResponse response, long nowMs) {
            answers.add(response);
            offset++;
            return outcome;
        }
    }

    private final CapturingTransport transport = new CapturingTransport();
    private final Inbox inbox = new Inbox();
    private final ReplicaFetcher fetcher = new ReplicaFetcher(2, 1, () -> 42, transport, inbox, CONFIG);

    private static ReplicaFetchResponse answerFor(ReplicaFetchRequest request) {
        ReplicaFetchResponse.Builder response = ReplicaFetchResponse.newBuilder();
        request.getPartitionsList().forEach(p -> response.addPartitions(ReplicaFetchPartitionResponse.newBuilder()
                .setTopicId(p.getTopicId()).setPartition(p.getPartition()).setErrorCode(ErrorCode.ERROR_CODE_NONE)));
        return response.build();
    }

    @Test
    void sendsOneRequestForAllPartitionsAndFetchesAgainAfterTheAnswer() {
        FakeReplica a = new FakeReplica(0);
        FakeReplica b = new FakeReplica(1);
        fetcher.addPartition(a);
        fetcher.addPartition(b);
        fetcher.poll(0);
        fetcher.poll(1);
        assertEquals(1, transport.sent.size(), "one request in flight");
        ReplicaFetchRequest request = transport.sent.get(0);
        assertEquals(2, request.getReplicaId());
        assertEquals(42, request.getBrokerEpoch());
        assertEquals(2, request.getPartitionsCount());
        assertEquals(3, request.getPartitions(0).getCurrentLeaderEpoch());
        assertEquals(2, request.getPartitions(0).getLastFetchedEpoch());
        transport.callbacks.get(0).onResponse(answerFor(request));
        assertEquals(0, a.answers.size(), "answers run on the core thread, at the next drain");
        inbox.drain(5);
        assertEquals(1, a.answers.size());
        assertEquals(1, b.answers.size());
        assertEquals(2, transport.sent.size(), "the next fetch left at once");
        assertEquals(1, transport.sent.get(1).getPartitions(0).getFetchOffset(), "positions are read at send time");
    }

    @Test
    void aPartitionThatReportsAnErrorWaitsTheBackoffWhileOthersContinue() {
        FakeReplica a = new FakeReplica(0);
        FakeReplica b = new FakeReplica(1);
        a.outcome = FetchOutcome.BACKOFF;
        fetcher.addPartition(a);
        fetcher.addPartition(b);
        fetcher.poll(0);
        transport.callbacks.get(0).onResponse(answerFor(transport.sent.get(0)));
        inbox.drain(10);
        assertEquals(1, transport.sent.get(1).getPartitionsCount());
        assertEquals(1, transport.sent.get(1).getPartitions(0).getPartition());
    }

    @Test
    void aLeaderThatDoesNotKnowTheEpochYetIsAskedAgainSoonThenLessOftenUpToTheBackoff() {
        ReplicaFetcher slowBackoff = new ReplicaFetcher(2, 1, () -> 42, transport, inbox,
                new FetcherConfig(100, 1, 1 << 20, 1 << 16, 1_000, 400));
        FakeReplica a = new FakeReplica(0);
        a.outcome = FetchOutcome.LEADER_BEHIND;
        slowBackoff.addPartition(a);
        long now = 0;
        slowBackoff.poll(now);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            transport.callbacks.get(i).onResponse(answerFor(transport.sent.get(i)));
            inbox.drain(now);
            long next = slowBackoff.poll(now);
            waits.add(next - now);
            assertEquals(i + 1, transport.sent.size(), "nothing is sent before the retry time");
            now = next;
            slowBackoff.poll(now);
        }
        assertEquals(List.of(20L, 40L, 80L, 160L, 320L, 640L, 1_000L, 1_000L), waits);

        a.outcome = FetchOutcome.CONTINUE;
        transport.callbacks.get(8).onResponse(answerFor(transport.sent.get(8)));
        inbox.drain(now);
        assertEquals(10, transport.sent.size(), "an applied answer is followed by the next fetch at once");
        a.outcome = FetchOutcome.LEADER_BEHIND;
        transport.callbacks.get(9).onResponse(answerFor(transport.sent.get(9)));
        inbox.drain(now);
        assertEquals(now + 20, slowBackoff.poll(now), "a success starts the retries from the shortest again");
    }

    @Test
    void aFailureBacksOffAndALostAnswerIsAbandonedAfterTheDeadline() {
        fetcher.addPartition(new FakeReplica(0));
        fetcher.poll(0);
        transport.callbacks.get(0).onFailure(new RuntimeException("connection refused"));
        inbox.drain(10);
        assertEquals(60, fetcher.poll(10), "waits until the backoff ends");
        assertEquals(1, transport.sent.size());
        fetcher.poll(60);
        assertEquals(2, transport.sent.size());
        long deadline = fetcher.poll(61);
        assertEquals(60 + 100 + 400, deadline);
        fetcher.poll(deadline);
        fetcher.poll(deadline + CONFIG.backoffMs());
        assertEquals(3, transport.sent.size(), "the unanswered fetch was abandoned and sent again");
        transport.callbacks.get(1).onResponse(answerFor(transport.sent.get(1)));
        inbox.drain(deadline + 60);
        assertEquals(3, transport.sent.size(), "a late answer to an abandoned fetch is dropped");
    }

    @Test
    void removedPartitionsAreNeitherFetchedNorAnswered() {
        FakeReplica a = new FakeReplica(0);
        fetcher.addPartition(a);
        fetcher.poll(0);
        fetcher.removePartition(a.id());
        assertTrue(fetcher.isEmpty());
        transport.callbacks.get(0).onResponse(answerFor(transport.sent.get(0)));
        inbox.drain(1);
        assertEquals(0, a.answers.size());
        assertEquals(1, transport.sent.size());
    }

    @Test
    void theManagerMovesAPartitionToItsNewLeadersFetcher() {
        ReplicaFetcherManager manager = new ReplicaFetcherManager(2, () -> 42, transport, inbox, CONFIG);
        FakeReplica a = new FakeReplica(0);
        manager.follow(a, 1);
        assertEquals(1, manager.leaderOf(a.id()));
        manager.follow(a, 3);
        assertEquals(3, manager.leaderOf(a.id()));
        manager.poll(0);
        assertEquals(1, manager.fetcherCount(), "the fetcher left without partitions is dropped");
        manager.unfollow(a.id());
        assertEquals(-1, manager.leaderOf(a.id()));
    }
}
