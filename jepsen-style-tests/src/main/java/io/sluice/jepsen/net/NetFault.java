package io.sluice.jepsen.net;

/** The network faults a {@link Network} may or may not be able to inject. */
public enum NetFault {
    /** Dropping every packet of chosen directions between nodes. */
    PARTITION,
    /** Dropping a share of the packets a node receives, at random. */
    LOSS,
    /** Delaying the packets a node sends. */
    DELAY
}
