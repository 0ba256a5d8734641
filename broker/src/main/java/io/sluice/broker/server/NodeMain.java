package io.sluice.broker.server;

import io.sluice.broker.server.NodeConfigParser.ConfigException;
import io.sluice.common.Clock;
import io.sluice.common.OffsetWallClock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/sluice server}: parses the configuration, starts a {@link SluiceNode}, prints where it
 * listens and then the line {@code ready} once it serves, and stops it cleanly on SIGTERM or SIGINT.
 * Exit codes: 0 after a clean stop, 1 when the node failed to start, 2 for a configuration error.
 */
public final class NodeMain {
    private static final Logger LOG = LoggerFactory.getLogger(NodeMain.class);
    private static final long READY_TIMEOUT_MS = 300_000;

    private NodeMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        NodeConfig config;
        try {
            config = NodeConfigParser.parse(List.of(args));
        } catch (ConfigException e) {
            System.err.println("sluice server: " + e.getMessage());
            System.exit(2);
            return;
        }
        Clock clock = OffsetWallClock.fromSystemProperties();
        SluiceNode node;
        try {
            node = SluiceNode.start(config, clock);
        } catch (Exception e) {
            LOG.error("node {} failed to start", config.nodeId(), e);
            System.err.println("sluice server: node " + config.nodeId() + " failed to start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("node {} stopping", config.nodeId());
            node.close();
            LOG.info("node {} stopped", config.nodeId());
            stopped.countDown();
        }, "shutdown"));
        System.out.println("sluice node " + config.nodeId() + " (" + roles(config) + ") listening on "
                + config.clientListen() + " (raft " + config.raftListen() + "), data in " + config.dataDir());
        try {
            node.awaitReady(READY_TIMEOUT_MS);
        } catch (Exception e) {
            LOG.error("node {} did not become ready", config.nodeId(), e);
            System.err.println("sluice server: node " + config.nodeId() + " did not become ready: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("ready");
        System.out.flush();
        stopped.await();
    }

    private static String roles(NodeConfig config) {
        return config.isBroker() && config.isController() ? "broker, controller"
                : config.isBroker() ? "broker" : "controller";
    }
}
