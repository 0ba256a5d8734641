package io.sluice.broker.server.dataplane.internal;

import io.sluice.broker.log.LogException;
import io.sluice.broker.partition.PartitionException;
import io.sluice.broker.partition.ReplicaManager;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.LeaderHint;
import io.sluice.record.RecordBatchException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure as it goes on the wire: code, message, and the leader to hint at (-1 if none). Each API
 * builds these in its one error-mapping function.
 */
public record WireError(ErrorCode code, String message, int leaderId, int leaderEpoch) {
    private static final Logger LOG = LoggerFactory.getLogger(WireError.class);

    /**
     * The mapping the data-plane APIs share: refusals carry their code (and leader hint); an
     * unknown outcome is a timeout; anything else is a bug, logged and answered
     * UNKNOWN_SERVER_ERROR. Each API's own mapping function starts from this one.
     *
     * @param activity what the broker was doing, for the log of an unexpected failure
     */
    public static WireError from(Throwable failure, String activity) {
        if (failure instanceof PartitionException e) {
            return new WireError(e.errorCode(), e.getMessage(), e.leaderId(), e.leaderEpoch());
        }
        if (failure instanceof OutcomeUnknownException e) {
            return new WireError(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT, e.getMessage(), e.leaderId(), e.leaderEpoch());
        }
        if (failure instanceof LogException e) {
            return of(e.errorCode(), e.getMessage());
        }
        if (failure instanceof RecordBatchException e) {
            return of(e.errorCode(), e.getMessage());
        }
        LOG.error("unexpected failure while {}", activity, failure);
        return of(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR, String.valueOf(failure));
    }

    /** A failure without a leader hint. */
    public static WireError of(ErrorCode code, String message) {
        return new WireError(code, message, -1, -1);
    }

    /** The hint to send, if the failure names a leader (with its endpoint when known). */
    public Optional<LeaderHint> hint(ReplicaManager replicas) {
        if (leaderId < 0 && leaderEpoch < 0) {
            return Optional.empty();
        }
        LeaderHint.Builder hint = LeaderHint.newBuilder().setLeaderId(leaderId).setLeaderEpoch(leaderEpoch);
        if (leaderId >= 0) {
            replicas.brokerEndpoint(leaderId).ifPresent(hint::setEndpoint);
        }
        return Optional.of(hint.build());
    }
}
