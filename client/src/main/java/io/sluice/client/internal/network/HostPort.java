package io.sluice.client.internal.network;

import io.sluice.client.common.ConfigException;
import io.sluice.proto.v1.Endpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A node's address. Immutable; usable as a map key (connections are cached per address).
 *
 * @param host host name or IP address (an IPv6 address without brackets)
 * @param port TCP port, 1-65535
 */
public record HostPort(String host, int port) {
    public HostPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1-65535, was " + port);
        }
    }

    /** The address of an endpoint in a Sluice answer. */
    public static HostPort of(Endpoint endpoint) {
        return new HostPort(endpoint.getHost(), endpoint.getPort());
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws ConfigException naming the text when it is not an address
     */
    public static HostPort parse(String text) {
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new ConfigException("'" + text + "' is not host:port");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new ConfigException("'" + text + "' is not host:port (write IPv6 addresses as [addr]:port)");
        }
        try {
            return new HostPort(host, Integer.parseInt(s.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("'" + text + "' is not host:port: " + e.getMessage());
        }
    }

    /** Parses each address of a list. */
    public static List<HostPort> parseAll(List<String> texts) {
        List<HostPort> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(parse(t));
        }
        return List.copyOf(out);
    }

    /**
     * Parses each address of a bootstrap list and puts them in random order, so that clients spread
     * their first requests over the brokers listed, and a broker that is down is not the one every
     * client tries first (Kafka's clients also start at a random node).
     */
    public static List<HostPort> parseAllInRandomOrder(List<String> texts) {
        List<HostPort> out = new ArrayList<>(parseAll(texts));
        Collections.shuffle(out);
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
