package io.sluice.broker.server.api;

import io.grpc.stub.StreamObserver;
import io.sluice.metastore.MetaStore;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicImage;
import io.sluice.metastore.TopicNames;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.v1.BrokerMetadata;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.MetadataRequest;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.MetadataServiceGrpc;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.TopicMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * The public {@code MetadataService}: answers from this node's copy of the replicated metadata,
 * tagged with the log index it reflects. Stateless and thread-safe.
 */
public final class MetadataGrpcService extends MetadataServiceGrpc.MetadataServiceImplBase {
    private final MetaStore store;

    public MetadataGrpcService(MetaStore store) {
        this.store = store;
    }

    @Override
    public void metadata(MetadataRequest request, StreamObserver<MetadataResponse> observer) {
        observer.onNext(buildMetadataResponse(store.image(), store.quorumInfo().leaderId(), request));
        observer.onCompleted();
    }

    /** The answer to {@code request} from {@code image}. */
    public static MetadataResponse buildMetadataResponse(MetadataImage image, int controllerId,
            MetadataRequest request) {
        MetadataResponse.Builder response = MetadataResponse.newBuilder()
                .setClusterId(image.clusterId())
                .setControllerId(controllerId)
                .setMetadataVersion(image.lastAppliedIndex());
        for (BrokerRecord broker : image.brokers().values()) {
            response.addBrokers(BrokerMetadata.newBuilder().setBrokerId(broker.getBrokerId())
                    .setEndpoint(broker.getEndpoint()).setRack(broker.getRack()).setState(broker.getState()));
        }
        List<String> names = new ArrayList<>();
        if (request.getAllTopics()) {
            image.topics().values().stream().map(TopicImage::name).sorted().forEach(names::add);
        } else {
            request.getTopicsList().stream().distinct().forEach(names::add);
        }
        for (String name : names) {
            response.addTopics(describeTopic(image, name));
        }
        return response.build();
    }

    private static TopicMetadata describeTopic(MetadataImage image, String name) {
        TopicMetadata.Builder topic = TopicMetadata.newBuilder().setName(name);
        String invalid = TopicNames.invalidReason(name);
        if (invalid != null) {
            return topic.setErrorCode(ErrorCode.ERROR_CODE_INVALID_TOPIC).setErrorMessage(invalid).build();
        }
        TopicImage found = image.topicByName(name);
        if (found == null) {
            return topic.setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION)
                    .setErrorMessage("topic '" + name + "' does not exist").build();
        }
        topic.setTopicId(found.id());
        for (PartitionRecord partition : found.partitionList()) {
            topic.addPartitions(describePartition(image, partition));
        }
        return topic.build();
    }

    private static PartitionMetadata describePartition(MetadataImage image, PartitionRecord partition) {
        PartitionMetadata.Builder out = PartitionMetadata.newBuilder()
                .setPartition(partition.getPartition())
                .setLeaderId(partition.getLeader())
                .setLeaderEpoch(partition.getLeaderEpoch())
                .addAllReplicas(partition.getReplicasList())
                .addAllIsr(partition.getIsrList())
                .addAllEligibleLeaderReplicas(partition.getEligibleLeadersList());
        if (partition.getLeader() < 0) {
            out.setErrorCode(ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE);
        }
        for (int replica : partition.getReplicasList()) {
            BrokerRecord broker = image.broker(replica);
            if (broker == null || broker.getState() != BrokerState.BROKER_STATE_ACTIVE) {
                out.addOfflineReplicas(replica);
            }
        }
        return out.build();
    }
}
