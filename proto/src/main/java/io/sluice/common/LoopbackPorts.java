package io.sluice.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on the loopback interface, for laying out local clusters (the chaos launcher, the
 * tests, the benchmarks) whose every address must be known before any node starts.
 */
public final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /**
     * {@code count} distinct ports that nothing listened on a moment ago. Every probe socket stays
     * bound until all are chosen: a port released between two picks can be handed out again, and a
     * node given the same port twice cannot start ("Address already in use", seen once in CI).
     *
     * @throws UncheckedIOException if the loopback interface cannot bind
     */
    public static int[] free(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                held.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback port", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // a probe socket that does not close leaves its port taken, which is no worse
                }
            }
        }
    }
}
