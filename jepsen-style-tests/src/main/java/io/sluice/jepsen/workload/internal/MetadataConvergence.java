package io.sluice.jepsen.workload.internal;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sluice.common.Clock;
import io.sluice.proto.v1.MetadataRequest;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.MetadataServiceGrpc;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.TopicMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Waits, before the final reads, until every node's copy of the metadata has caught up with what
 * the others had applied when the wait began, and every node names a leader for every partition of
 * the topic; then, for up to {@link #FULL_ISR_WAIT_MS} more, until every partition's ISR holds all
 * its replicas (a leader's high watermark counts only followers that fetched in its epoch, so with
 * a member that has not, the end offset a consumer is given can stay below acknowledged records).
 * An ISR that stays short (a replica that cannot rejoin) only delays the reads. A node cut off
 * during the run answers Metadata, ListOffsets and Fetch from its own copy: until it catches up it
 * can still see itself as the leader of an old epoch, with that epoch's high watermark, and a fresh
 * consumer that asks it first would take that for the end of the partition.
 * Each node is asked directly over gRPC, not through the client, which would stop at the first
 * answer. Used by one thread.
 */
final class MetadataConvergence {
    private static final long CALL_TIMEOUT_MS = 2_000;
    private static final long RETRY_MS = 250;
    static final long FULL_ISR_WAIT_MS = 30_000;

    private final List<String> nodes;
    private final String topic;
    private final Clock clock;
    private String state = "no node answered yet";
    private String firstState;
    private int rounds;

    MetadataConvergence(List<String> nodes, String topic, Clock clock) {
        this.nodes = List.copyOf(nodes);
        this.topic = topic;
        this.clock = clock;
    }

    /** What the nodes last answered (version, or why not), for the run's log. */
    String state() {
        return state;
    }

    /** What the nodes answered in the first round, or null if that round was the last. */
    String firstState() {
        return rounds > 1 ? firstState : null;
    }

    /**
     * Polls until converged; true when it was before {@code deadlineMs} (monotonic). The target
     * version is the highest any node reported in the first round in which every node answered.
     */
    boolean await(long deadlineMs) throws InterruptedException {
        Map<String, ManagedChannel> channels = new LinkedHashMap<>();
        try {
            for (String node : nodes) {
                channels.put(node, NettyChannelBuilder.forTarget(node).usePlaintext().build());
            }
            long target = -1;
            long caughtUpAtMs = -1;
            while (clock.monotonicMs() < deadlineMs) {
                Map<String, MetadataResponse> answers = ask(channels);
                if (answers.size() == nodes.size()) {
                    long highest = answers.values().stream().mapToLong(MetadataResponse::getMetadataVersion).max()
                            .orElse(-1);
                    target = target < 0 ? highest : target;
                    if (caughtUp(answers, target)) {
                        caughtUpAtMs = caughtUpAtMs < 0 ? clock.monotonicMs() : caughtUpAtMs;
                        boolean full = answers.values().stream().allMatch(this::everyIsrFull);
                        if (full || clock.monotonicMs() - caughtUpAtMs >= FULL_ISR_WAIT_MS) {
                            state = (full ? "every ISR full; " : "some ISR still short after "
                                    + FULL_ISR_WAIT_MS / 1000 + " s; ") + state;
                            return true;
                        }
                    }
                }
                clock.sleepMs(RETRY_MS);
            }
            return false;
        } finally {
            channels.values().forEach(ManagedChannel::shutdownNow);
        }
    }

    private Map<String, MetadataResponse> ask(Map<String, ManagedChannel> channels) {
        Map<String, MetadataResponse> answers = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        channels.forEach((node, channel) -> {
            try {
                MetadataResponse answer = MetadataServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                        .metadata(MetadataRequest.newBuilder().addTopics(topic).build());
                answers.put(node, answer);
                seen.add(node + " at version " + answer.getMetadataVersion() + " " + leaders(answer));
            } catch (StatusRuntimeException e) {
                seen.add(node + " did not answer (" + e.getStatus().getCode() + ")");
            }
        });
        state = String.join("; ", seen);
        firstState = rounds++ == 0 ? state : firstState;
        return answers;
    }

    private boolean caughtUp(Map<String, MetadataResponse> answers, long target) {
        for (MetadataResponse answer : answers.values()) {
            if (answer.getMetadataVersion() < target || !everyPartitionLed(answer)) {
                return false;
            }
        }
        return true;
    }

    private boolean everyPartitionLed(MetadataResponse answer) {
        List<PartitionMetadata> partitions = partitions(answer);
        return !partitions.isEmpty() && partitions.stream().allMatch(p -> p.getLeaderId() >= 0);
    }

    private boolean everyIsrFull(MetadataResponse answer) {
        return partitions(answer).stream().allMatch(p -> p.getIsrCount() == p.getReplicasCount());
    }

    /**
     * Each partition's leader, leader epoch and ISR size over replicas as the node sees them, e.g.
     * {@code [1@3 isr 3/3, 2@0 isr 2/3]}.
     */
    private String leaders(MetadataResponse answer) {
        List<PartitionMetadata> partitions = partitions(answer);
        if (partitions.isEmpty()) {
            return "(topic " + topic + " unknown)";
        }
        return partitions.stream().map(p -> p.getLeaderId() + "@" + p.getLeaderEpoch() + " isr " + p.getIsrCount()
                + "/" + p.getReplicasCount()).toList().toString();
    }

    /** The topic's partitions in a node's answer; empty when the node does not know the topic. */
    private List<PartitionMetadata> partitions(MetadataResponse answer) {
        return answer.getTopicsList().stream().filter(t -> t.getName().equals(topic)).findFirst()
                .map(TopicMetadata::getPartitionsList).orElse(List.of());
    }
}
