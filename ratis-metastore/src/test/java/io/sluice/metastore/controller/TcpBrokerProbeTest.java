package io.sluice.metastore.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.proto.v1.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TCP probe against real sockets on loopback: a listening port, and one nobody listens on. */
class TcpBrokerProbeTest {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final TcpBrokerProbe probe = new TcpBrokerProbe(executor, 5_000);

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    @Test
    void aListeningPortIsReachable() throws Exception {
        try (ServerSocket server = listen()) {
            assertEquals(BrokerProbe.Answer.REACHABLE, probe.probe(endpoint(server.getLocalPort()))
                    .get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aPortNobodyListensOnRefuses() throws Exception {
        int port;
        try (ServerSocket server = listen()) {
            port = server.getLocalPort();
        }
        assertEquals(BrokerProbe.Answer.REFUSED, probe.probe(endpoint(port)).get(30, TimeUnit.SECONDS));
    }

    @Test
    void aProbeThatCannotRunProvesNothing() throws Exception {
        executor.shutdown();
        assertEquals(BrokerProbe.Answer.UNKNOWN, probe.probe(endpoint(1)).get(30, TimeUnit.SECONDS));
    }

    private static ServerSocket listen() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return server;
    }

    private static Endpoint endpoint(int port) {
        return Endpoint.newBuilder().setHost("127.0.0.1").setPort(port).build();
    }
}
