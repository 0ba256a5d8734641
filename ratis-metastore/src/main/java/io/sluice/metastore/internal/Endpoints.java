package io.sluice.metastore.internal;

import io.sluice.proto.v1.Endpoint;

/** host:port text to and from {@link Endpoint}. Stateless. */
public final class Endpoints {
    private Endpoints() {
    }

    /** {@code host:port}. */
    public static String text(Endpoint e) {
        return e.getHost() + ":" + e.getPort();
    }

    /** The endpoint of {@code host:port} text, or null if the text is empty or malformed. */
    public static Endpoint parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            return Endpoint.newBuilder().setHost(text.substring(0, colon))
                    .setPort(Integer.parseInt(text.substring(colon + 1))).build();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An endpoint. */
    public static Endpoint of(String host, int port) {
        return Endpoint.newBuilder().setHost(host).setPort(port).build();
    }
}
