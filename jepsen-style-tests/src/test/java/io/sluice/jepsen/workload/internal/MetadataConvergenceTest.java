package io.sluice.jepsen.workload.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.sluice.common.ManualClock;
import io.sluice.proto.v1.MetadataRequest;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.MetadataServiceGrpc;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.TopicMetadata;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MetadataConvergence} against real gRPC servers on loopback that answer Metadata from a
 * script: one answer per call, the last one repeated.
 */
class MetadataConvergenceTest {
    private static final String TOPIC = "queue";

    private final List<Server> servers = new ArrayList<>();
    private final ManualClock clock = new ManualClock(0);

    @AfterEach
    void stopServers() {
        servers.forEach(Server::shutdownNow);
    }

    @Test
    void waitsForANodeBehindTheOthersToCatchUp() throws Exception {
        String ahead = node(answer(40, 2, 2));
        String behind = node(answer(31, 1, 1), answer(31, 1, 1), answer(38, 1, 1), answer(40, 2, 2));
        MetadataConvergence convergence = new MetadataConvergence(List.of(ahead, behind), TOPIC, clock);

        assertTrue(convergence.await(clock.monotonicMs() + 60_000));
        assertTrue(convergence.state().contains(behind + " at version 40 [2@2 isr 3/3, 2@2 isr 3/3]"),
                convergence.state());
        assertTrue(convergence.firstState().contains(behind + " at version 31 [1@1 isr 3/3, 1@1 isr 3/3]"),
                convergence.firstState());
    }

    @Test
    void theTargetIsWhatTheNodesHadWhenTheWaitBegan() throws Exception {
        // Entries applied after the first round (e.g. the last members leaving their group) are
        // not waited for: the point is only that no node is still behind the others' first view.
        String first = node(answer(40, 2, 2), answer(45, 2, 2));
        String second = node(answer(40, 2, 2), answer(44, 2, 2));

        MetadataConvergence convergence = new MetadataConvergence(List.of(first, second), TOPIC, clock);
        assertTrue(convergence.await(clock.monotonicMs() + 60_000));
        assertNull(convergence.firstState(), "converged in the first round");
    }

    @Test
    void thenWaitsForEveryIsrToFillAgain() throws Exception {
        String node = node(answer(40, 2, 2, 2), answer(40, 2, 2, 2), answer(41, 2, 2, 3));
        MetadataConvergence convergence = new MetadataConvergence(List.of(node), TOPIC, clock);

        assertTrue(convergence.await(clock.monotonicMs() + 60_000));
        assertTrue(convergence.state().startsWith("every ISR full; " + node + " at version 41"), convergence.state());
    }

    @Test
    void anIsrThatStaysShortOnlyDelaysTheReads() throws Exception {
        String node = node(answer(40, 2, 2, 2));
        MetadataConvergence convergence = new MetadataConvergence(List.of(node), TOPIC, clock);
        long start = clock.monotonicMs();

        assertTrue(convergence.await(start + 60_000));
        assertTrue(clock.monotonicMs() - start >= MetadataConvergence.FULL_ISR_WAIT_MS);
        assertTrue(convergence.state().startsWith("some ISR still short after 30 s; "), convergence.state());
    }

    @Test
    void givesUpWhenANodeStaysBehindAndSaysWhich() throws Exception {
        String ahead = node(answer(40, 2, 2));
        String behind = node(answer(31, 1, 1));
        MetadataConvergence convergence = new MetadataConvergence(List.of(ahead, behind), TOPIC, clock);

        assertFalse(convergence.await(clock.monotonicMs() + 10_000));
        assertTrue(convergence.state().contains(behind + " at version 31 [1@1 isr 3/3, 1@1 isr 3/3]"),
                convergence.state());
    }

    @Test
    void aPartitionWithoutALeaderIsNotConverged() throws Exception {
        String only = node(answer(40, -1, 3));
        MetadataConvergence convergence = new MetadataConvergence(List.of(only), TOPIC, clock);

        assertFalse(convergence.await(clock.monotonicMs() + 10_000));
        assertTrue(convergence.state().contains("[-1@3 isr 3/3, -1@3 isr 3/3]"), convergence.state());
    }

    @Test
    void aNodeThatDoesNotAnswerIsNotConverged() throws Exception {
        String answering = node(answer(40, 2, 2));
        Server stopped = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).build().start();
        String silent = "127.0.0.1:" + stopped.getPort();
        stopped.shutdownNow().awaitTermination();
        MetadataConvergence convergence = new MetadataConvergence(List.of(answering, silent), TOPIC, clock);

        assertFalse(convergence.await(clock.monotonicMs() + 2_000));
        assertTrue(convergence.state().contains(silent + " did not answer"), convergence.state());
    }

    /** Metadata at {@code version} naming {@code leader} at {@code epoch} for both partitions, ISR full. */
    private static MetadataResponse answer(long version, int leader, int epoch) {
        return answer(version, leader, epoch, 3);
    }

    /** The same with {@code isr} of the 3 replicas in sync. */
    private static MetadataResponse answer(long version, int leader, int epoch, int isr) {
        TopicMetadata.Builder topic = TopicMetadata.newBuilder().setName(TOPIC);
        for (int p = 0; p < 2; p++) {
            PartitionMetadata.Builder partition = PartitionMetadata.newBuilder().setPartition(p).setLeaderId(leader)
                    .setLeaderEpoch(epoch).addAllReplicas(List.of(1, 2, 3));
            for (int member = 1; member <= isr; member++) {
                partition.addIsr(member);
            }
            topic.addPartitions(partition);
        }
        return MetadataResponse.newBuilder().setMetadataVersion(version).addTopics(topic).build();
    }

    /** A server answering the script; returns its address as host:port. */
    private String node(MetadataResponse... script) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        MetadataServiceGrpc.MetadataServiceImplBase service = new MetadataServiceGrpc.MetadataServiceImplBase() {
            @Override
            public void metadata(MetadataRequest request, StreamObserver<MetadataResponse> observer) {
                observer.onNext(script[Math.min(calls.getAndIncrement(), script.length - 1)]);
                observer.onCompleted();
            }
        };
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service)
                .build().start();
        servers.add(server);
        return "127.0.0.1:" + server.getPort();
    }
}
