package io.sluice.client.internal.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.NetworkException;
import io.sluice.client.internal.Backoff;
import io.sluice.client.internal.network.EventQueue;
import io.sluice.client.internal.network.FakeTransport;
import io.sluice.client.internal.network.HostPort;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.LeaderHint;
import io.sluice.proto.v1.MetadataRequest;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.MetadataServiceGrpc;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.TopicMetadata;
import io.sluice.common.ManualClock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetadataManagerTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);

    private final ManualClock clock = new ManualClock(0);
    private final FakeTransport transport = new FakeTransport();
    private final NetworkClient network = new NetworkClient(transport, new EventQueue());
    private final MetadataManager metadata = new MetadataManager(List.of(new HostPort("seed1", 9092),
            new HostPort("seed2", 9092)), 60_000, 1_000, new Backoff(100, 1_000, new Random(1)));

    private static MetadataResponse answer(long version, int leader, int epoch) {
        TopicMetadata t = TopicMetadata.newBuilder().setName("t").setTopicId("id-t")
                .addPartitions(PartitionMetadata.newBuilder().setPartition(0).setLeaderId(leader).setLeaderEpoch(epoch)
                        .addReplicas(1).addReplicas(2).addIsr(1).addIsr(2)).build();
        return TestClusters.response(2, version).addTopics(t).build();
    }

    private FakeTransport.Call tick(long advanceMs) {
        clock.advanceMs(advanceMs);
        network.poll(clock.monotonicMs());
        metadata.poll(clock.monotonicMs(), network);
        return transport.takeCall(MetadataServiceGrpc.getMetadataMethod());
    }

    private void respond(FakeTransport.Call call, MetadataResponse response) {
        call.respond(response);
        network.poll(clock.monotonicMs());
    }

    @Test
    void asksForTheTopicsOfInterestAndKeepsTheAnswer() {
        metadata.addTopics(List.of("t"));
        FakeTransport.Call call = tick(0);
        assertEquals(List.of("t"), call.request(MetadataRequest.class).getTopicsList());
        respond(call, answer(5, 1, 3));
        assertEquals(new HostPort("broker1", 9092), metadata.cluster().leader(P0).orElseThrow().address());
        assertNull(tick(1_000), "nothing asked again before metadata.max.age.ms");
        assertTrue(tick(60_000) != null, "refreshed at metadata.max.age.ms");
    }

    @Test
    void anAnswerFromALaggingBrokerIsDroppedAndLeaderEpochsNeverGoBack() {
        metadata.addTopics(List.of("t"));
        respond(tick(0), answer(5, 1, 3));
        metadata.requestUpdate();
        respond(tick(1_000), answer(4, 2, 4));
        assertEquals(1, metadata.cluster().partition(P0).orElseThrow().leaderId(), "version 4 < 5: dropped");
        assertTrue(metadata.updatePending(), "and asked again");
        respond(tick(1_000), answer(6, 2, 2));
        assertEquals(1, metadata.cluster().partition(P0).orElseThrow().leaderId(), "epoch 2 < 3: leader kept");
        respond(transportAfterUpdate(), answer(7, 2, 4));
        assertEquals(2, metadata.cluster().partition(P0).orElseThrow().leaderId());
    }

    private FakeTransport.Call transportAfterUpdate() {
        metadata.requestUpdate();
        FakeTransport.Call c = null;
        for (int i = 0; i < 20 && c == null; i++) {
            c = tick(200);
        }
        return c;
    }

    @Test
    void aLeaderHintMovesThePartitionAtOnceUnlessItIsStale() {
        metadata.addTopics(List.of("t"));
        respond(tick(0), answer(5, 1, 3));
        LeaderHint hint = LeaderHint.newBuilder().setLeaderId(3).setLeaderEpoch(4)
                .setEndpoint(Endpoint.newBuilder().setHost("new-broker").setPort(9094)).build();
        metadata.applyLeaderHint(P0, hint);
        assertEquals(new HostPort("new-broker", 9094), metadata.cluster().leader(P0).orElseThrow().address());
        assertFalse(metadata.updatePending(), "a fresh hint needs no refresh");
        metadata.applyLeaderHint(P0, hint.toBuilder().setLeaderId(1).setLeaderEpoch(2).build());
        assertEquals(3, metadata.cluster().partition(P0).orElseThrow().leaderId(), "an older hint is ignored");
        metadata.applyLeaderHint(P0, null);
        assertTrue(metadata.updatePending(), "no hint: refresh");
    }

    @Test
    void aDeadNodeIsNotAskedAgainJustBecauseNothingIsInFlightToIt() {
        HostPort dead = new HostPort("broker1", 9092);
        HostPort busy = new HostPort("broker2", 9092);
        MetadataManager m = new MetadataManager(List.of(dead, busy), 60_000, 1_000,
                new Backoff(100, 1_000, new Random(1)));
        m.addTopics(List.of("t"));
        m.poll(clock.monotonicMs(), network);
        transport.takeCall(MetadataServiceGrpc.getMetadataMethod()).respond(answer(1, 1, 0));
        network.poll(clock.monotonicMs());
        // A long poll keeps one request in flight to the live node, as a consumer's fetch does.
        network.send(busy, MetadataServiceGrpc.getMetadataMethod(), MetadataRequest.getDefaultInstance(),
                clock.monotonicMs(), 600_000, (response, error) -> { });
        transport.takeCall(MetadataServiceGrpc.getMetadataMethod());
        for (int round = 0; round < 5; round++) {
            m.requestUpdate();
            FakeTransport.Call call = null;
            for (int i = 0; i < 40 && call == null; i++) {
                clock.advanceMs(50);
                network.poll(clock.monotonicMs());
                m.poll(clock.monotonicMs(), network);
                call = transport.takeCall(MetadataServiceGrpc.getMetadataMethod());
            }
            if (call.to.equals(busy)) {
                call.respond(answer(2 + round, 2, 1));
                network.poll(clock.monotonicMs());
                assertEquals(2, m.cluster().partition(P0).orElseThrow().leaderId(), "the live node answered");
                return;
            }
            call.fail(Status.UNAVAILABLE.withDescription("Connection refused"));
            network.poll(clock.monotonicMs());
        }
        throw new AssertionError("every metadata request went to the dead node, the one with nothing in flight");
    }

    /**
     * A broker behind the metadata quorum answers without a topic that the others already have (a
     * topic created a moment ago): the manager asks again by itself, since a caller waiting for the
     * topic asked once, and it asks the next broker instead of the same one.
     */
    @Test
    void anAnswerWithoutTheTopicSendsTheRetryToAnotherBroker() {
        respond(tick(0), TestClusters.response(3, 1).build());
        metadata.addTopics(List.of("t"));
        FakeTransport.Call lagging = null;
        for (int i = 0; i < 20 && lagging == null; i++) {
            lagging = tick(50);
        }
        respond(lagging, TestClusters.response(3, 2).build());
        assertEquals(-1, metadata.cluster().partitionCount("t"), "not known yet");
        FakeTransport.Call retry = null;
        for (int i = 0; i < 40 && retry == null; i++) {
            retry = tick(50);
        }
        assertTrue(!retry.to.equals(lagging.to), "asked " + lagging.to + " twice in a row");
        respond(retry, TestClusters.response(3, 3).addTopics(TestClusters.topic("t", 2)).build());
        assertEquals(1, metadata.cluster().partitionCount("t"));
    }

    /**
     * The application thread adds topics while the background thread builds and sends requests, as
     * {@code partitionsFor} does: every topic must reach the snapshot. When the flag that asks for an
     * update was cleared after the topics were read, a topic added in between missed the request and
     * lost its update, and waited for {@code metadata.max.age.ms}. A race, so many rounds.
     */
    @Test
    void aTopicAddedWhileARequestIsBuiltIsAskedForNextTime() throws Exception {
        MetadataManager m = new MetadataManager(List.of(new HostPort("seed1", 9092)), 600_000, 5_000,
                new Backoff(1, 1, new Random(1)));
        transport.respondTo(MetadataServiceGrpc.getMetadataMethod(), (to, request) -> {
            MetadataResponse.Builder b = TestClusters.response(1, 1);
            ((MetadataRequest) request).getTopicsList().forEach(t -> b.addTopics(TestClusters.topic(t, 1)));
            return b.build();
        });
        AtomicBoolean stop = new AtomicBoolean();
        Thread background = new Thread(() -> {
            while (!stop.get()) {
                long now = System.nanoTime() / 1_000_000;
                network.poll(now);
                m.poll(now, network);
            }
        }, "metadata-test-background");
        background.start();
        try {
            for (int i = 0; i < 300; i++) {
                String topic = "t" + i;
                m.addTopics(List.of(topic));
                m.requestUpdate();
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (m.cluster().partitionCount(topic) <= 0) {
                    assertTrue(System.nanoTime() < deadline, topic + " never reached the snapshot");
                    Thread.onSpinWait();
                }
            }
        } finally {
            stop.set(true);
            background.join();
        }
    }

    @Test
    void failuresMoveToTheNextNodeAndBackOff() {
        metadata.addTopics(List.of("t"));
        FakeTransport.Call first = tick(0);
        first.fail(Status.UNAVAILABLE.withDescription("Connection refused"));
        network.poll(clock.monotonicMs());
        assertInstanceOf(NetworkException.class, metadata.lastError());
        assertNull(tick(10), "backing off");
        FakeTransport.Call second = null;
        for (int i = 0; i < 20 && second == null; i++) {
            second = tick(50);
        }
        assertEquals(new HostPort("seed2", 9092), second.to, "the next bootstrap address");
        assertEquals(new HostPort("seed1", 9092), first.to);
        respond(second, answer(1, 1, 0));
        assertNull(metadata.lastError());
    }
}
