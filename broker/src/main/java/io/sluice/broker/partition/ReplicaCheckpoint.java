package io.sluice.broker.partition;

/**
 * What a partition replica persists beyond its log.
 *
 * @param leaderEpoch   the newest leader epoch this replica acted in (as leader, follower or
 *                      offline); it never acts in an older one again, even if a restart replays old
 *                      metadata
 * @param highWatermark a high watermark the replica knew; on restart it starts from it (capped at
 *                      the log end) and only moves forward by the ISR rules
 */
public record ReplicaCheckpoint(int leaderEpoch, long highWatermark) {
    public ReplicaCheckpoint {
        if (leaderEpoch < -1 || highWatermark < 0) {
            throw new IllegalArgumentException("invalid replica checkpoint: epoch " + leaderEpoch + ", high watermark "
                    + highWatermark);
        }
    }
}
