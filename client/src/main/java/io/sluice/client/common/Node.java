package io.sluice.client.common;

/**
 * A broker as clients see it. Immutable.
 *
 * @param id   the broker's node id
 * @param host host name or address it advertises
 * @param port its client port
 * @param rack its rack label, empty if none
 */
public record Node(int id, String host, int port, String rack) {
    /** {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        return id + "@" + address();
    }
}
