package io.sluice.metastore.internal;

import io.sluice.proto.internal.v1.AllocateProducerIds;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.ProducerIdBlock;
import io.sluice.proto.v1.ErrorCode;

/** Applies producer-id block reservations. Stateless. */
final class ProducerIdCommands {
    /** Largest block one command may reserve. */
    static final int MAX_BLOCK_SIZE = 1_000_000;

    private ProducerIdCommands() {
    }

    static MetaResult allocate(MetadataTxn txn, AllocateProducerIds cmd) {
        BrokerRecord b = txn.broker(cmd.getBrokerId());
        if (b == null || b.getBrokerEpoch() != cmd.getBrokerEpoch()) {
            return Results.error(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH, "broker " + cmd.getBrokerId()
                    + " is not registered with epoch " + cmd.getBrokerEpoch());
        }
        if (cmd.getBlockSize() < 1 || cmd.getBlockSize() > MAX_BLOCK_SIZE
                || txn.nextProducerId() > Long.MAX_VALUE - cmd.getBlockSize()) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST, "block size must be 1.." + MAX_BLOCK_SIZE);
        }
        long first = txn.nextProducerId();
        txn.allocateProducerIds(cmd.getBrokerId(), cmd.getBlockSize());
        return MetaResult.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE).setProducerIdBlock(
                ProducerIdBlock.newBuilder().setFirstProducerId(first).setSize(cmd.getBlockSize())).build();
    }
}
