package io.sluice.metastore.controller.internal;

import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicConfigs;
import io.sluice.metastore.TopicImage;
import io.sluice.metastore.TopicNames;
import io.sluice.metastore.controller.ControllerConfig;
import io.sluice.metastore.internal.PartitionCommands;
import io.sluice.metastore.internal.TopicCommands;
import io.sluice.proto.internal.v1.CreatePartitions;
import io.sluice.proto.internal.v1.CreateTopic;
import io.sluice.proto.internal.v1.DeleteTopic;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.v1.CreatableTopic;
import io.sluice.proto.v1.CreatePartitionsRequest;
import io.sluice.proto.v1.CreatePartitionsResponse;
import io.sluice.proto.v1.CreatePartitionsResult;
import io.sluice.proto.v1.CreatePartitionsTopic;
import io.sluice.proto.v1.CreateTopicResult;
import io.sluice.proto.v1.CreateTopicsRequest;
import io.sluice.proto.v1.CreateTopicsResponse;
import io.sluice.proto.v1.DeleteTopicResult;
import io.sluice.proto.v1.DeleteTopicsRequest;
import io.sluice.proto.v1.DeleteTopicsResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.ReplicaAssignment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Turns topic admin requests into commands on the controller: validates everything the request can
 * get wrong, places replicas, draws topic ids, proposes one command per topic and builds the
 * per-topic answers. Each topic succeeds or fails on its own. Runs on the controller's thread.
 */
public final class TopicAdmin {
    private final ControllerConfig config;
    private final Proposer proposer;
    private final Supplier<UUID> ids;

    /** Topic admin proposing through {@code proposer}, drawing ids from {@code ids}. */
    public TopicAdmin(ControllerConfig config, Proposer proposer, Supplier<UUID> ids) {
        this.config = config;
        this.proposer = proposer;
        this.ids = ids;
    }

    /** Handles CreateTopics against {@code image}. */
    public CompletableFuture<CreateTopicsResponse> createTopics(MetadataImage image, CreateTopicsRequest req) {
        ReplicaPlacer placer = new ReplicaPlacer(image);
        Set<String> seen = new HashSet<>();
        List<CompletableFuture<CreateTopicResult>> results = new ArrayList<>();
        for (CreatableTopic t : req.getTopicsList()) {
            results.add(createTopic(image, placer, t, seen.add(t.getName()), req.getValidateOnly()));
        }
        return Futures.all(results).thenApply(r -> CreateTopicsResponse.newBuilder().addAllTopics(r).build());
    }

    private CompletableFuture<CreateTopicResult> createTopic(MetadataImage image, ReplicaPlacer placer,
            CreatableTopic t, boolean firstMention, boolean validateOnly) {
        CreateTopicResult.Builder result = CreateTopicResult.newBuilder().setName(t.getName()).setNumPartitions(-1)
                .setReplicationFactor(-1);
        String badName = TopicNames.invalidReason(t.getName());
        if (!firstMention) {
            return failed(result, ErrorCode.ERROR_CODE_INVALID_REQUEST, "topic named twice in the request");
        } else if (badName != null) {
            return failed(result, ErrorCode.ERROR_CODE_INVALID_TOPIC, badName);
        } else if (image.topicByName(t.getName()) != null) {
            return failed(result, ErrorCode.ERROR_CODE_TOPIC_ALREADY_EXISTS, "topic '" + t.getName() + "' exists");
        }
        String badConfig = TopicConfigs.invalidReason(t.getConfigsMap());
        if (badConfig != null) {
            return failed(result, ErrorCode.ERROR_CODE_INVALID_CONFIG, badConfig);
        }
        List<ReplicaAssignment> assignments;
        if (t.getAssignmentsCount() > 0) {
            assignments = t.getAssignmentsList();
        } else {
            int partitions = t.getNumPartitions() == -1 ? config.defaultPartitions() : t.getNumPartitions();
            int rf = t.getReplicationFactor() == -1 ? config.defaultReplicationFactor() : t.getReplicationFactor();
            if (partitions < 1 || partitions > TopicCommands.MAX_PARTITIONS) {
                return failed(result, ErrorCode.ERROR_CODE_INVALID_PARTITIONS, "partitions must be 1.."
                        + TopicCommands.MAX_PARTITIONS + ", got " + partitions);
            }
            if (rf < 1 || rf > placer.availableBrokers()) {
                return failed(result, ErrorCode.ERROR_CODE_INVALID_REPLICATION_FACTOR, "replication factor " + rf
                        + " with " + placer.availableBrokers() + " active brokers");
            }
            assignments = placer.place(0, partitions, rf);
        }
        String topicId = ids.get().toString();
        CreateTopic cmd = CreateTopic.newBuilder().setName(t.getName()).setTopicId(topicId)
                .putAllConfigs(t.getConfigsMap()).addAllAssignments(assignments).build();
        result.setNumPartitions(assignments.size()).setReplicationFactor(assignments.get(0).getBrokerIdsCount())
                .putAllConfigs(TopicConfigs.effective(t.getConfigsMap(), config.topicDefaults()));
        if (validateOnly) {
            String bad = PartitionCommands.invalidAssignments(image::broker, assignments,
                    assignments.get(0).getPartition(), 0);
            return bad == null ? CompletableFuture.completedFuture(result.build())
                    : failed(result, ErrorCode.ERROR_CODE_INVALID_REPLICA_ASSIGNMENT, bad);
        }
        return proposer.propose(MetaCommand.newBuilder().setCreateTopic(cmd).build()).thenApply(r -> {
            if (r.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                return failedResult(result, r.getErrorCode(), r.getErrorMessage());
            }
            return result.setTopicId(topicId).build();
        });
    }

    private static CompletableFuture<CreateTopicResult> failed(CreateTopicResult.Builder b, ErrorCode code,
            String message) {
        return CompletableFuture.completedFuture(failedResult(b, code, message));
    }

    private static CreateTopicResult failedResult(CreateTopicResult.Builder b, ErrorCode code, String message) {
        return b.setErrorCode(code).setErrorMessage(message).setTopicId("").setNumPartitions(-1)
                .setReplicationFactor(-1).clearConfigs().build();
    }

    /** Handles DeleteTopics against {@code image}. */
    public CompletableFuture<DeleteTopicsResponse> deleteTopics(MetadataImage image, DeleteTopicsRequest req) {
        List<CompletableFuture<DeleteTopicResult>> results = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : req.getTopicsList()) {
            DeleteTopicResult.Builder r = DeleteTopicResult.newBuilder().setName(name);
            TopicImage t = image.topicByName(name);
            if (!seen.add(name)) {
                results.add(CompletableFuture.completedFuture(r.setErrorCode(ErrorCode.ERROR_CODE_INVALID_REQUEST)
                        .setErrorMessage("topic named twice in the request").build()));
            } else if (t == null) {
                results.add(CompletableFuture.completedFuture(r.setErrorCode(
                        ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION).setErrorMessage("no topic '" + name + "'")
                        .build()));
            } else {
                MetaCommand cmd = MetaCommand.newBuilder().setDeleteTopic(DeleteTopic.newBuilder()
                        .setTopicId(t.id())).build();
                results.add(proposer.propose(cmd).thenApply(m -> r.setErrorCode(m.getErrorCode())
                        .setErrorMessage(m.getErrorMessage()).build()));
            }
        }
        return Futures.all(results).thenApply(r -> DeleteTopicsResponse.newBuilder().addAllTopics(r).build());
    }

    /** Handles CreatePartitions against {@code image}. */
    public CompletableFuture<CreatePartitionsResponse> createPartitions(MetadataImage image,
            CreatePartitionsRequest req) {
        ReplicaPlacer placer = new ReplicaPlacer(image);
        Set<String> seen = new HashSet<>();
        List<CompletableFuture<CreatePartitionsResult>> results = new ArrayList<>();
        for (CreatePartitionsTopic t : req.getTopicsList()) {
            results.add(createPartitions(image, placer, t, seen.add(t.getName()), req.getValidateOnly()));
        }
        return Futures.all(results).thenApply(r -> CreatePartitionsResponse.newBuilder().addAllTopics(r).build());
    }

    private CompletableFuture<CreatePartitionsResult> createPartitions(MetadataImage image, ReplicaPlacer placer,
            CreatePartitionsTopic req, boolean firstMention, boolean validateOnly) {
        CreatePartitionsResult.Builder r = CreatePartitionsResult.newBuilder().setName(req.getName());
        TopicImage t = image.topicByName(req.getName());
        if (!firstMention || t == null) {
            return done(r, !firstMention ? ErrorCode.ERROR_CODE_INVALID_REQUEST
                    : ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, !firstMention ? "topic named twice"
                    : "no topic '" + req.getName() + "'");
        }
        int current = t.partitionCount();
        int added = req.getNewTotalCount() - current;
        if (added < 1 || req.getNewTotalCount() > TopicCommands.MAX_PARTITIONS) {
            return done(r, ErrorCode.ERROR_CODE_INVALID_PARTITIONS, "topic " + t.name() + " has " + current
                    + " partitions; the new total must be larger and at most " + TopicCommands.MAX_PARTITIONS);
        }
        int rf = t.partition(0).getReplicasCount();
        List<ReplicaAssignment> assignments;
        if (req.getAssignmentsCount() > 0) {
            if (req.getAssignmentsCount() != added) {
                return done(r, ErrorCode.ERROR_CODE_INVALID_REPLICA_ASSIGNMENT, "expected " + added
                        + " assignments, got " + req.getAssignmentsCount());
            }
            assignments = new ArrayList<>();
            for (int i = 0; i < added; i++) {
                assignments.add(req.getAssignments(i).toBuilder().setPartition(current + i).build());
            }
        } else if (rf > placer.availableBrokers()) {
            return done(r, ErrorCode.ERROR_CODE_INVALID_REPLICATION_FACTOR, "replication factor " + rf + " with "
                    + placer.availableBrokers() + " active brokers");
        } else {
            assignments = placer.place(current, added, rf);
        }
        String bad = PartitionCommands.invalidAssignments(image::broker, assignments,
                    assignments.get(0).getPartition(), 0);
        if (bad != null || validateOnly) {
            return bad == null ? done(r, ErrorCode.ERROR_CODE_NONE, "")
                    : done(r, ErrorCode.ERROR_CODE_INVALID_REPLICA_ASSIGNMENT, bad);
        }
        MetaCommand cmd = MetaCommand.newBuilder().setCreatePartitions(CreatePartitions.newBuilder()
                .setTopicId(t.id()).addAllAssignments(assignments)).build();
        return proposer.propose(cmd).thenApply(m -> r.setErrorCode(m.getErrorCode())
                .setErrorMessage(m.getErrorMessage()).build());
    }

    private static CompletableFuture<CreatePartitionsResult> done(CreatePartitionsResult.Builder r, ErrorCode code,
            String message) {
        return CompletableFuture.completedFuture(r.setErrorCode(code).setErrorMessage(message).build());
    }
}
