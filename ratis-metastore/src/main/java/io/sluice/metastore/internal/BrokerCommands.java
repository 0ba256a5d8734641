package io.sluice.metastore.internal;

import io.sluice.metastore.TopicImage;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.BrokerRegistered;
import io.sluice.proto.internal.v1.ChangeBrokerState;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.PartitionChange;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.internal.v1.RegisterBroker;
import io.sluice.proto.internal.v1.UnregisterBroker;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies broker registration, state changes and unregistration. A registration whose log may have
 * lost writes takes the broker out of every partition's eligible leaders. A state change carries the
 * partition changes the controller computed for it and applies them all-or-nothing; a broker that is
 * not ACTIVE afterwards must be in no ISR, or the command is refused as stale. Stateless.
 */
final class BrokerCommands {
    private BrokerCommands() {
    }

    static MetaResult register(MetadataTxn txn, RegisterBroker cmd, long index) {
        if (cmd.getBrokerId() < 0 || cmd.getIncarnationId().isEmpty() || !validEndpoint(cmd.getEndpoint())) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST,
                    "a registration needs a broker id >= 0, an incarnation id and an endpoint host:port");
        }
        BrokerRecord existing = txn.broker(cmd.getBrokerId());
        if (existing != null && existing.getIncarnationId().equals(cmd.getIncarnationId())) {
            return registered(existing.getBrokerEpoch());
        }
        if (existing != null && existing.getState() != BrokerState.BROKER_STATE_FENCED) {
            return Results.error(ErrorCode.ERROR_CODE_DUPLICATE_BROKER_REGISTRATION, "broker " + cmd.getBrokerId()
                    + " is registered by live incarnation " + existing.getIncarnationId());
        }
        txn.putBroker(cmd.getBrokerId(), BrokerRecord.newBuilder().setBrokerId(cmd.getBrokerId())
                .setIncarnationId(cmd.getIncarnationId()).setBrokerEpoch(index).setEndpoint(cmd.getEndpoint())
                .setRack(cmd.getRack()).setState(BrokerState.BROKER_STATE_FENCED).build());
        if (!cmd.getLogIntact()) {
            dropFromEligibleLeaders(txn, cmd.getBrokerId());
        }
        return registered(index);
    }

    /**
     * KIP-966's rule: a broker whose log may have lost writes (killed, then the machine restarted)
     * no longer holds every committed record, so it stops being one of the eligible leaders of the
     * partitions whose ISR it was last in. A partition left with none stays offline until an eligible
     * replica returns, or unclean election is allowed.
     */
    private static void dropFromEligibleLeaders(MetadataTxn txn, int brokerId) {
        for (TopicImage topic : txn.current().topics().values()) {
            for (PartitionRecord p : topic.partitionList()) {
                if (p.getEligibleLeadersList().contains(brokerId)) {
                    List<Integer> rest = new ArrayList<>(p.getEligibleLeadersList());
                    rest.remove(Integer.valueOf(brokerId));
                    txn.putPartition(p.toBuilder().setPartitionEpoch(p.getPartitionEpoch() + 1).clearEligibleLeaders()
                            .addAllEligibleLeaders(rest).build());
                }
            }
        }
    }

    private static MetaResult registered(long epoch) {
        return MetaResult.newBuilder().setErrorCode(ErrorCode.ERROR_CODE_NONE)
                .setBrokerRegistered(BrokerRegistered.newBuilder().setBrokerEpoch(epoch)).build();
    }

    static boolean validEndpoint(Endpoint e) {
        return !e.getHost().isEmpty() && e.getPort() >= 1 && e.getPort() <= 65_535;
    }

    static MetaResult changeState(MetadataTxn txn, ChangeBrokerState cmd) {
        BrokerRecord b = txn.broker(cmd.getBrokerId());
        if (b == null || b.getBrokerEpoch() != cmd.getExpectedBrokerEpoch()) {
            return Results.error(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH, "broker " + cmd.getBrokerId()
                    + (b == null ? " is not registered" : " has epoch " + b.getBrokerEpoch() + ", not "
                    + cmd.getExpectedBrokerEpoch()));
        }
        BrokerState to = cmd.getNewState();
        if (!allowed(b.getState(), to)) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST, "broker " + b.getBrokerId() + " cannot go from "
                    + b.getState() + " to " + to);
        }
        if (PartitionCommands.duplicate(cmd.getPartitionChangesList()) != null) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST, "a partition is changed twice");
        }
        txn.putBroker(b.getBrokerId(), b.toBuilder().setState(to).build());
        for (PartitionChange change : cmd.getPartitionChangesList()) {
            MetaResult r = PartitionCommands.applyChange(txn, change);
            if (!Results.isOk(r)) {
                return r;
            }
        }
        if (to != BrokerState.BROKER_STATE_ACTIVE && !txn.current().partitionsInIsr(b.getBrokerId()).isEmpty()) {
            return Results.error(ErrorCode.ERROR_CODE_STALE_PARTITION_EPOCH, "broker " + b.getBrokerId()
                    + " would stay in the ISR of " + txn.current().partitionsInIsr(b.getBrokerId()).size()
                    + " partitions; recompute the changes");
        }
        return Results.ok();
    }

    private static boolean allowed(BrokerState from, BrokerState to) {
        return switch (to) {
            case BROKER_STATE_ACTIVE -> from == BrokerState.BROKER_STATE_FENCED;
            case BROKER_STATE_FENCED -> from != BrokerState.BROKER_STATE_FENCED;
            case BROKER_STATE_SHUTTING_DOWN -> from != BrokerState.BROKER_STATE_SHUTTING_DOWN;
            default -> false;
        };
    }

    static MetaResult unregister(MetadataTxn txn, UnregisterBroker cmd) {
        BrokerRecord b = txn.broker(cmd.getBrokerId());
        if (b == null || b.getBrokerEpoch() != cmd.getExpectedBrokerEpoch()) {
            return Results.error(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH, "broker " + cmd.getBrokerId()
                    + " is not registered with epoch " + cmd.getExpectedBrokerEpoch());
        }
        if (b.getState() != BrokerState.BROKER_STATE_FENCED) {
            return Results.error(ErrorCode.ERROR_CODE_INVALID_REQUEST, "only a fenced broker can be unregistered");
        }
        txn.putBroker(b.getBrokerId(), null);
        return Results.ok();
    }
}
