package io.sluice.broker.group.internal;

import io.sluice.broker.group.TopicCatalog;
import io.sluice.broker.group.TopicIdPartition;
import io.sluice.broker.group.TopicInfo;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.OffsetFetchPartitionResponse;
import io.sluice.proto.v1.OffsetFetchRequest;
import io.sluice.proto.v1.OffsetFetchResponse;
import io.sluice.proto.v1.OffsetFetchTopic;
import io.sluice.proto.v1.OffsetFetchTopicResponse;
import io.sluice.protocol.ErrorCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * OffsetFetch from a group's committed offsets. Without topics: every committed offset of a live
 * topic, by topic name. With topics: each named topic's asked partitions (all its committed ones when
 * none are named); a partition without a commit answers -1 with NONE; a topic that does not exist
 * answers UNKNOWN_TOPIC_OR_PARTITION on each partition asked. Stateless.
 */
public final class OffsetReads {
    private OffsetReads() {
    }

    /** The answer to {@code request} from the group's {@code offsets}. */
    public static OffsetFetchResponse fetch(OffsetFetchRequest request, List<OffsetRecord> offsets,
            TopicCatalog catalog) {
        Map<TopicIdPartition, OffsetRecord> byPartition = new TreeMap<>();
        offsets.forEach(o -> byPartition.put(new TopicIdPartition(o.getTopicId(), o.getPartition()), o));
        OffsetFetchResponse.Builder response = OffsetFetchResponse.newBuilder();
        if (request.getTopicsCount() == 0) {
            Map<String, OffsetFetchTopicResponse.Builder> topics = new TreeMap<>();
            byPartition.forEach((partition, offset) -> catalog.topicById(partition.topicId()).ifPresent(topic ->
                    topics.computeIfAbsent(topic.name(), n -> OffsetFetchTopicResponse.newBuilder().setName(n))
                            .addPartitions(found(offset))));
            topics.values().forEach(response::addTopics);
            return response.build();
        }
        for (OffsetFetchTopic asked : request.getTopicsList()) {
            OffsetFetchTopicResponse.Builder topic = response.addTopicsBuilder().setName(asked.getName());
            Optional<TopicInfo> info = catalog.topicByName(asked.getName());
            if (info.isEmpty()) {
                asked.getPartitionsList().forEach(p -> topic.addPartitions(missing(p,
                        ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "no topic " + asked.getName())));
                continue;
            }
            List<Integer> partitions = new ArrayList<>(asked.getPartitionsList());
            if (partitions.isEmpty()) {
                byPartition.keySet().stream().filter(p -> p.topicId().equals(info.get().topicId()))
                        .forEach(p -> partitions.add(p.partition()));
            }
            for (int partition : partitions) {
                if (partition < 0) {
                    topic.addPartitions(missing(partition, ErrorCode.ERROR_CODE_INVALID_REQUEST,
                            "partition " + partition + " is negative"));
                    continue;
                }
                OffsetRecord offset = byPartition.get(new TopicIdPartition(info.get().topicId(), partition));
                topic.addPartitions(offset != null ? found(offset)
                        : missing(partition, ErrorCode.ERROR_CODE_NONE, ""));
            }
        }
        return response.build();
    }

    private static OffsetFetchPartitionResponse found(OffsetRecord offset) {
        return OffsetFetchPartitionResponse.newBuilder().setPartition(offset.getPartition())
                .setCommittedOffset(offset.getCommittedOffset())
                .setCommittedLeaderEpoch(offset.getCommittedLeaderEpoch()).setMetadata(offset.getMetadata()).build();
    }

    private static OffsetFetchPartitionResponse missing(int partition, ErrorCode code, String message) {
        return OffsetFetchPartitionResponse.newBuilder().setPartition(partition).setErrorCode(code)
                .setErrorMessage(code == ErrorCode.ERROR_CODE_NONE ? "" : ErrorCodes.messageOrDefault(code, message))
                .setCommittedOffset(-1).setCommittedLeaderEpoch(-1).build();
    }
}
