package io.sluice.metastore.internal;

import io.sluice.proto.internal.v1.InitCluster;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.ErrorCode;

/** Applies InitCluster. Stateless; runs on the apply thread. */
final class ClusterCommands {
    private ClusterCommands() {
    }

    static MetaResult initCluster(MetadataTxn txn, InitCluster cmd) {
        String id = cmd.getClusterId();
        if (!Uuids.isCanonical(id)) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST, "cluster id '" + id + "' is not a UUID");
        }
        if (!txn.clusterId().isEmpty()) {
            return txn.clusterId().equals(id) ? Results.ok() : Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST,
                    "the cluster id is already " + txn.clusterId());
        }
        txn.setClusterId(id);
        return Results.ok();
    }
}
