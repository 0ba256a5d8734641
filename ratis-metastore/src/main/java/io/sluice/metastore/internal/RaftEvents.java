package io.sluice.metastore.internal;

/**
 * Raft role and configuration events the state machine passes on to the node (store and controller).
 * Called on Ratis threads; implementations must not block.
 */
public interface RaftEvents {
    /** The Raft leader is now {@code leaderId} ({@code -1} if unknown). */
    void leaderChanged(int leaderId);

    /** This node is leader and has committed an entry of its term: the controller may activate. */
    void leaderReady();

    /** This node is no longer leader. */
    void notLeader();

    /** The Raft configuration (members) changed. */
    void configurationChanged();

    /** Ignores every event. */
    RaftEvents NONE = new RaftEvents() {
        @Override
        public void leaderChanged(int leaderId) {
        }

        @Override
        public void leaderReady() {
        }

        @Override
        public void notLeader() {
        }

        @Override
        public void configurationChanged() {
        }
    };
}
