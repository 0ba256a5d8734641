package io.sluice.broker.server;

import io.sluice.broker.log.ChronicleEnvironment;
import io.sluice.broker.server.NodeConfigParser.ConfigException;
import io.sluice.common.Clock;
import io.sluice.common.OffsetWallClock;
import io.sluice.metastore.AsyncStages;
import java.util.List;
import java.util.Map;
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
        AsyncStages.usePooledThreads();
        ChronicleEnvironment.prepare();
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(usage());
            return;
        }
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

    /** The text of {@code bin/sluice server --help}: the flags, then every setting with its default. */
    static String usage() {
        StringBuilder out = new StringBuilder()
                .append("Usage: sluice server --dev [--data-dir D]\n")
                .append("       sluice server [--config FILE] [--node-id N] [--roles broker,controller]\n")
                .append("                     [--listen H:P] [--raft-listen H:P] [--data-dir D]\n")
                .append("                     [--voters ID@H:P,...] [--override key=value ...]\n\n")
                .append("--dev: node 1, both roles, 127.0.0.1:").append(NodeConfigParser.DEFAULT_CLIENT_PORT)
                .append(" (raft ").append(NodeConfigParser.DEFAULT_RAFT_PORT).append("), data in data/dev.\n")
                .append("Precedence: defaults < --dev < --config file < flags and --override.\n\n")
                .append("Settings (key = default; empty means none):\n");
        NodeConfigParser.knownSettings().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.append("  ").append(e.getKey()).append(" = ").append(e.getValue()).append('\n'));
        return out.toString();
    }

    private static String roles(NodeConfig config) {
        return config.isBroker() && config.isController() ? "broker, controller"
                : config.isBroker() ? "broker" : "controller";
    }
}
