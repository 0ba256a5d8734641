package io.sluice.metastore.controller.internal;

import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicConfigs;
import io.sluice.metastore.TopicImage;
import io.sluice.proto.internal.v1.AlterTopicConfigs;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.v1.AlterConfigsResource;
import io.sluice.proto.v1.AlterConfigsResult;
import io.sluice.proto.v1.AlterableConfig;
import io.sluice.proto.v1.ConfigResourceType;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.IncrementalAlterConfigsRequest;
import io.sluice.proto.v1.IncrementalAlterConfigsResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * IncrementalAlterConfigs for topics: validates every change with {@link TopicConfigs} and proposes
 * one AlterTopicConfigs per resource (all of a resource's changes or none). Broker configs are
 * static (the node's configuration file) and are refused. Runs on the controller's thread.
 */
public final class ConfigAdmin {
    private final Proposer proposer;

    public ConfigAdmin(Proposer proposer) {
        this.proposer = proposer;
    }

    /** Handles the request against {@code image}. */
    public CompletableFuture<IncrementalAlterConfigsResponse> alter(MetadataImage image,
            IncrementalAlterConfigsRequest req) {
        List<CompletableFuture<AlterConfigsResult>> results = new ArrayList<>();
        for (AlterConfigsResource res : req.getResourcesList()) {
            results.add(alterOne(image, res, req.getValidateOnly()));
        }
        return Futures.all(results).thenApply(r -> IncrementalAlterConfigsResponse.newBuilder().addAllResults(r)
                .build());
    }

    private CompletableFuture<AlterConfigsResult> alterOne(MetadataImage image, AlterConfigsResource res,
            boolean validateOnly) {
        AlterConfigsResult.Builder r = AlterConfigsResult.newBuilder().setResource(res.getResource());
        if (res.getResource().getType() != ConfigResourceType.CONFIG_RESOURCE_TYPE_TOPIC) {
            return done(r, ErrorCode.ERROR_CODE_INVALID_REQUEST, "only topic configs can be altered at run time; "
                    + "broker configs come from the node's configuration");
        }
        TopicImage t = image.topicByName(res.getResource().getName());
        if (t == null) {
            return done(r, ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, "no topic '"
                    + res.getResource().getName() + "'");
        }
        AlterTopicConfigs.Builder cmd = AlterTopicConfigs.newBuilder().setTopicId(t.id());
        Set<String> seen = new HashSet<>();
        for (AlterableConfig c : res.getConfigsList()) {
            String bad = !seen.add(c.getName()) ? "config '" + c.getName() + "' named twice" : switch (c.getOp()) {
                case ALTER_CONFIG_OP_SET -> TopicConfigs.invalidReason(c.getName(), c.getValue());
                case ALTER_CONFIG_OP_DELETE -> TopicConfigs.definition(c.getName()) == null
                        ? "unknown topic config '" + c.getName() + "'" : null;
                default -> "config '" + c.getName() + "' has no operation";
            };
            if (bad != null) {
                return done(r, ErrorCode.ERROR_CODE_INVALID_CONFIG, bad);
            }
            if (c.getOp() == io.sluice.proto.v1.AlterConfigOp.ALTER_CONFIG_OP_SET) {
                cmd.putSet(c.getName(), c.getValue());
            } else {
                cmd.addDelete(c.getName());
            }
        }
        if (validateOnly) {
            return done(r, ErrorCode.ERROR_CODE_NONE, "");
        }
        return proposer.propose(MetaCommand.newBuilder().setAlterTopicConfigs(cmd).build())
                .thenApply(m -> r.setErrorCode(m.getErrorCode()).setErrorMessage(m.getErrorMessage()).build());
    }

    private static CompletableFuture<AlterConfigsResult> done(AlterConfigsResult.Builder r, ErrorCode code,
            String message) {
        return CompletableFuture.completedFuture(r.setErrorCode(code).setErrorMessage(message).build());
    }
}
