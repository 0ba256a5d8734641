package io.sluice.metastore.controller.internal;

import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicImage;
import io.sluice.proto.internal.v1.AlterPartitionRequest;
import io.sluice.proto.internal.v1.AlterPartitionResponse;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.ChangePartitions;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.PartitionChange;
import io.sluice.proto.internal.v1.PartitionChangeRequest;
import io.sluice.proto.internal.v1.PartitionChangeResult;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.ElectLeadersRequest;
import io.sluice.proto.v1.ElectLeadersResponse;
import io.sluice.proto.v1.ElectionType;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.PartitionResult;
import io.sluice.proto.v1.TopicPartitions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * ISR changes requested by partition leaders (AlterPartition) and operator leader elections
 * (ElectLeaders). Every accepted change becomes one conditional ChangePartitions command carrying the
 * partition epoch it was computed from. Runs on the controller's thread.
 */
public final class PartitionAdmin {
    private final Proposer proposer;
    private final Supplier<MetadataImage> images;

    /** Partition admin proposing through {@code proposer}; answers read the image from {@code images}. */
    public PartitionAdmin(Proposer proposer, Supplier<MetadataImage> images) {
        this.proposer = proposer;
        this.images = images;
    }

    /** Handles AlterPartition against {@code image}. */
    public CompletableFuture<AlterPartitionResponse> alterPartition(MetadataImage image, AlterPartitionRequest req) {
        BrokerRecord b = image.broker(req.getBrokerId());
        if (b == null || b.getBrokerEpoch() != req.getBrokerEpoch()) {
            return CompletableFuture.completedFuture(AlterPartitionResponse.newBuilder()
                    .setErrorCode(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH).setErrorMessage("broker "
                            + req.getBrokerId() + " is not registered with epoch " + req.getBrokerEpoch()).build());
        }
        List<CompletableFuture<PartitionChangeResult>> results = new ArrayList<>();
        for (PartitionChangeRequest p : req.getPartitionsList()) {
            results.add(alterOne(image, req.getBrokerId(), p));
        }
        return Futures.all(results).thenApply(r -> AlterPartitionResponse.newBuilder().addAllPartitions(r).build());
    }

    private CompletableFuture<PartitionChangeResult> alterOne(MetadataImage image, int brokerId,
            PartitionChangeRequest req) {
        PartitionRecord p = image.partition(req.getTopicId(), req.getPartition());
        if (p == null) {
            return CompletableFuture.completedFuture(PartitionChangeResult.newBuilder().setTopicId(req.getTopicId())
                    .setPartition(req.getPartition()).setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION)
                    .setErrorMessage("no such partition").setLeaderId(-1).setLeaderEpoch(-1).setPartitionEpoch(-1)
                    .build());
        }
        String bad = null;
        ErrorCode code = ErrorCode.ERROR_CODE_NONE;
        if (p.getLeader() != brokerId || req.getLeaderEpoch() != p.getLeaderEpoch()) {
            code = req.getLeaderEpoch() > p.getLeaderEpoch() ? ErrorCode.ERROR_CODE_UNKNOWN_LEADER_EPOCH
                    : req.getLeaderEpoch() < p.getLeaderEpoch() ? ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH
                    : ErrorCode.ERROR_CODE_NOT_LEADER;
            bad = "broker " + brokerId + " at leader epoch " + req.getLeaderEpoch() + " does not lead (leader "
                    + p.getLeader() + " at epoch " + p.getLeaderEpoch() + ")";
        } else if (req.getPartitionEpoch() != p.getPartitionEpoch()) {
            code = ErrorCode.ERROR_CODE_STALE_PARTITION_EPOCH;
            bad = "partition epoch is " + p.getPartitionEpoch() + ", not " + req.getPartitionEpoch();
        } else {
            bad = ineligible(image, p, req.getNewIsrList(), brokerId);
            code = bad == null ? code : ErrorCode.ERROR_CODE_INELIGIBLE_REPLICA;
        }
        if (bad != null) {
            return CompletableFuture.completedFuture(result(p, req, code, bad));
        }
        PartitionChange change = PartitionChange.newBuilder().setTopicId(p.getTopicId()).setPartition(p.getPartition())
                .setExpectedPartitionEpoch(p.getPartitionEpoch()).setSetIsr(true).addAllIsr(req.getNewIsrList())
                .build();
        return propose(change).thenApply(m -> {
            PartitionRecord now = images.get().partition(p.getTopicId(), p.getPartition());
            return result(now == null ? p : now, req, m.getErrorCode(), m.getErrorMessage());
        });
    }

    private static String ineligible(MetadataImage image, PartitionRecord p, List<Integer> isr, int leader) {
        if (!isr.contains(leader) || new HashSet<>(isr).size() != isr.size()) {
            return "the proposed ISR " + isr + " must contain the leader " + leader + " once";
        }
        for (int r : isr) {
            if (!p.getReplicasList().contains(r) || !image.isActive(r)) {
                return "replica " + r + " is not an active replica of the partition";
            }
        }
        return null;
    }

    private static PartitionChangeResult result(PartitionRecord p, PartitionChangeRequest req, ErrorCode code,
            String message) {
        return PartitionChangeResult.newBuilder().setTopicId(req.getTopicId()).setPartition(req.getPartition())
                .setErrorCode(code).setErrorMessage(message).setLeaderId(p.getLeader())
                .setLeaderEpoch(p.getLeaderEpoch()).setPartitionEpoch(p.getPartitionEpoch()).addAllIsr(p.getIsrList())
                .build();
    }

    private CompletableFuture<io.sluice.proto.internal.v1.MetaResult> propose(PartitionChange change) {
        return proposer.propose(MetaCommand.newBuilder().setChangePartitions(ChangePartitions.newBuilder()
                .addChanges(change)).build());
    }

    /** Handles ElectLeaders against {@code image}. */
    public CompletableFuture<ElectLeadersResponse> electLeaders(MetadataImage image, ElectLeadersRequest req) {
        if (req.getType() != ElectionType.ELECTION_TYPE_PREFERRED
                && req.getType() != ElectionType.ELECTION_TYPE_UNCLEAN) {
            return CompletableFuture.completedFuture(ElectLeadersResponse.newBuilder()
                    .setErrorCode(ErrorCode.ERROR_CODE_INVALID_REQUEST).setErrorMessage("election type must be set")
                    .build());
        }
        List<TopicPartitions> wanted = req.getPartitionsList();
        if (wanted.isEmpty()) {
            wanted = new ArrayList<>();
            for (TopicImage t : image.topics().values()) {
                TopicPartitions.Builder tp = TopicPartitions.newBuilder().setTopic(t.name());
                for (int i = 0; i < t.partitionCount(); i++) {
                    tp.addPartitions(i);
                }
                wanted.add(tp.build());
            }
        }
        List<CompletableFuture<PartitionResult>> results = new ArrayList<>();
        for (TopicPartitions tp : wanted) {
            for (int partition : tp.getPartitionsList()) {
                results.add(electOne(image, tp.getTopic(), partition, req.getType()));
            }
        }
        return Futures.all(results).thenApply(r -> ElectLeadersResponse.newBuilder().addAllResults(r).build());
    }

    private CompletableFuture<PartitionResult> electOne(MetadataImage image, String topic, int partition,
            ElectionType type) {
        PartitionResult.Builder r = PartitionResult.newBuilder().setTopic(topic).setPartition(partition);
        TopicImage t = image.topicByName(topic);
        PartitionRecord p = t == null ? null : t.partition(partition);
        if (p == null) {
            return done(r, ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "no partition " + topic + "-" + partition);
        }
        PartitionChange change;
        if (type == ElectionType.ELECTION_TYPE_PREFERRED) {
            if (Elections.preferredLeads(p)) {
                return done(r, ErrorCode.ERROR_CODE_ELECTION_NOT_NEEDED, "the preferred leader already leads");
            }
            change = Elections.preferred(image, p);
        } else {
            if (p.getLeader() != Elections.NO_LEADER) {
                return done(r, ErrorCode.ERROR_CODE_ELECTION_NOT_NEEDED, "the partition has a leader");
            }
            change = Elections.elect(image, p, true);
        }
        if (change == null) {
            return done(r, ErrorCode.ERROR_CODE_ELIGIBLE_LEADERS_NOT_AVAILABLE,
                    type == ElectionType.ELECTION_TYPE_PREFERRED
                            ? "the preferred replica " + p.getReplicas(0) + " is not an active in-sync replica"
                            : "no eligible replica is active");
        }
        return propose(change).thenApply(m -> {
            if (m.getErrorCode() == ErrorCode.ERROR_CODE_STALE_PARTITION_EPOCH
                    && type == ElectionType.ELECTION_TYPE_PREFERRED && preferredLeadsNow(p)) {
                // Raced with another change (often the automatic rebalance) that already did this.
                return r.setErrorCode(ErrorCode.ERROR_CODE_ELECTION_NOT_NEEDED)
                        .setErrorMessage("the preferred leader already leads").build();
            }
            return r.setErrorCode(m.getErrorCode()).setErrorMessage(m.getErrorMessage()).build();
        });
    }

    private boolean preferredLeadsNow(PartitionRecord p) {
        PartitionRecord now = images.get().partition(p.getTopicId(), p.getPartition());
        return now != null && Elections.preferredLeads(now);
    }

    private static CompletableFuture<PartitionResult> done(PartitionResult.Builder r, ErrorCode code, String msg) {
        return CompletableFuture.completedFuture(r.setErrorCode(code).setErrorMessage(msg).build());
    }
}
