package io.sluice.metastore.controller;

import io.sluice.protocol.ErrorCodes;
import io.sluice.proto.v1.AlterConfigsResource;
import io.sluice.proto.v1.AlterConfigsResult;
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
import io.sluice.proto.v1.IncrementalAlterConfigsRequest;
import io.sluice.proto.v1.IncrementalAlterConfigsResponse;

/**
 * Whole-request failures of the forwarded admin rpcs (NOT_CONTROLLER, NODE_NOT_READY, ...), which
 * those responses carry per item, and the test that recognises them. Stateless.
 */
public final class AdminErrors {
    private AdminErrors() {
    }

    /** Every topic answered with {@code code}. */
    public static CreateTopicsResponse createTopics(CreateTopicsRequest req, ErrorCode code) {
        CreateTopicsResponse.Builder b = CreateTopicsResponse.newBuilder();
        for (CreatableTopic t : req.getTopicsList()) {
            b.addTopics(CreateTopicResult.newBuilder().setName(t.getName()).setErrorCode(code)
                    .setErrorMessage(ErrorCodes.defaultMessage(code)).setNumPartitions(-1).setReplicationFactor(-1));
        }
        return b.build();
    }

    /** Every topic answered with {@code code}. */
    public static DeleteTopicsResponse deleteTopics(DeleteTopicsRequest req, ErrorCode code) {
        DeleteTopicsResponse.Builder b = DeleteTopicsResponse.newBuilder();
        for (String t : req.getTopicsList()) {
            b.addTopics(DeleteTopicResult.newBuilder().setName(t).setErrorCode(code)
                    .setErrorMessage(ErrorCodes.defaultMessage(code)));
        }
        return b.build();
    }

    /** Every topic answered with {@code code}. */
    public static CreatePartitionsResponse createPartitions(CreatePartitionsRequest req, ErrorCode code) {
        CreatePartitionsResponse.Builder b = CreatePartitionsResponse.newBuilder();
        for (CreatePartitionsTopic t : req.getTopicsList()) {
            b.addTopics(CreatePartitionsResult.newBuilder().setName(t.getName()).setErrorCode(code)
                    .setErrorMessage(ErrorCodes.defaultMessage(code)));
        }
        return b.build();
    }

    /** Every resource answered with {@code code}. */
    public static IncrementalAlterConfigsResponse alterConfigs(IncrementalAlterConfigsRequest req, ErrorCode code) {
        IncrementalAlterConfigsResponse.Builder b = IncrementalAlterConfigsResponse.newBuilder();
        for (AlterConfigsResource r : req.getResourcesList()) {
            b.addResults(AlterConfigsResult.newBuilder().setResource(r.getResource()).setErrorCode(code)
                    .setErrorMessage(ErrorCodes.defaultMessage(code)));
        }
        return b.build();
    }
}
