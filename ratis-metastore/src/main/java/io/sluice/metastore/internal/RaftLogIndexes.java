package io.sluice.metastore.internal;

/** Constants of Raft log positions. */
final class RaftLogIndexes {
    /** Ratis' "no index" value. */
    static final long INVALID = -1;

    private RaftLogIndexes() {
    }
}
