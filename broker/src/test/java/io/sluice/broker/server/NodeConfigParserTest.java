package io.sluice.broker.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.server.NodeConfig.HostPort;
import io.sluice.broker.server.NodeConfig.Role;
import io.sluice.broker.server.NodeConfig.Voter;
import io.sluice.broker.server.NodeConfigParser.ConfigException;
import io.sluice.proto.v1.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigParserTest {
    @TempDir
    Path dir;

    @Test
    void devModeIsOneNodeWithBothRolesOnLoopback() {
        NodeConfig config = NodeConfigParser.parse(List.of("--dev", "--data-dir", dir.toString()));
        assertEquals(1, config.nodeId());
        assertEquals(Set.of(Role.BROKER, Role.CONTROLLER), config.roles());
        assertEquals(new HostPort("127.0.0.1", 9092), config.clientListen());
        assertEquals(List.of(new Voter(1, new HostPort("127.0.0.1", 9093))), config.voters());
        assertEquals(dir, config.dataDir());
        assertEquals(1, config.intSetting("min.insync.replicas"));
    }

    @Test
    void flagsOverrideTheFileWhichOverridesDefaults() throws IOException {
        Path file = dir.resolve("node.properties");
        Files.writeString(file, String.join("\n",
                "node.id=2",
                "process.roles=broker",
                "listen.address=127.0.0.1:19092",
                "data.dir=" + dir.resolve("n2"),
                "controller.quorum.voters=1@127.0.0.1:19093,3@127.0.0.1:39093",
                "min.insync.replicas=2"));
        NodeConfig config = NodeConfigParser.parse(List.of("--config", file.toString(),
                "--listen", "127.0.0.1:29092", "--override", "replica.lag.time.max.ms=5000"));
        assertEquals(2, config.nodeId());
        assertEquals(Set.of(Role.BROKER), config.roles());
        assertEquals(29092, config.clientListen().port());
        assertEquals(2, config.voters().size());
        assertEquals(2, config.intSetting("min.insync.replicas"));
        assertEquals(5000, config.intSetting("replica.lag.time.max.ms"));
    }

    @Test
    void theMetadataSnapshotThresholdReachesTheMetadataNode() {
        NodeConfig defaults = NodeConfigParser.parse(List.of("--dev", "--data-dir", dir.toString()));
        Endpoint client = Endpoint.newBuilder().setHost("127.0.0.1").setPort(9092).build();
        assertEquals(10_000, NodeSettings.metadataNodeConfig(defaults, client).snapshotThreshold());
        NodeConfig set = NodeConfigParser.parse(List.of("--dev", "--data-dir", dir.toString(), "--override",
                "metadata.snapshot.threshold=500"));
        assertEquals(500, NodeSettings.metadataNodeConfig(set, client).snapshotThreshold());
        assertMessage("metadata.snapshot.threshold=0 is outside", "--dev", "--override",
                "metadata.snapshot.threshold=0");
    }

    @Test
    void theProbeDelayReachesTheControllerAndZeroTurnsItOff() {
        Endpoint client = Endpoint.newBuilder().setHost("127.0.0.1").setPort(9092).build();
        NodeConfig defaults = NodeConfigParser.parse(List.of("--dev", "--data-dir", dir.toString()));
        assertEquals(750, NodeSettings.metadataNodeConfig(defaults, client).controller().probeAfterMs());
        NodeConfig off = NodeConfigParser.parse(List.of("--dev", "--data-dir", dir.toString(), "--override",
                "broker.probe.after.ms=0"));
        assertEquals(0, NodeSettings.metadataNodeConfig(off, client).controller().probeAfterMs());
        assertMessage("broker.probe.after.ms must be 0 (off) or between", "--dev", "--override",
                "broker.probe.after.ms=500");
        assertMessage("broker.probe.after.ms must be 0 (off) or between", "--dev", "--override",
                "broker.probe.after.ms=3000");
    }

    @Test
    void theLeaderRebalanceIntervalReachesTheControllerAndFalseTurnsItOff() {
        Endpoint client = Endpoint.newBuilder().setHost("127.0.0.1").setPort(9092).build();
        NodeConfig defaults = NodeConfigParser.parse(List.of("--dev", "--data-dir", dir.toString()));
        assertEquals(300_000, NodeSettings.metadataNodeConfig(defaults, client).controller()
                .leaderRebalanceIntervalMs(), "Kafka's default: every 300 s");
        NodeConfig often = NodeConfigParser.parse(List.of("--dev", "--data-dir", dir.toString(), "--override",
                "leader.imbalance.check.interval.seconds=2"));
        assertEquals(2_000, NodeSettings.metadataNodeConfig(often, client).controller().leaderRebalanceIntervalMs());
        NodeConfig off = NodeConfigParser.parse(List.of("--dev", "--data-dir", dir.toString(), "--override",
                "auto.leader.rebalance.enable=FALSE"));
        assertEquals(0, NodeSettings.metadataNodeConfig(off, client).controller().leaderRebalanceIntervalMs());
        assertMessage("auto.leader.rebalance.enable='yes' is not true or false", "--dev", "--override",
                "auto.leader.rebalance.enable=yes");
        assertMessage("leader.imbalance.check.interval.seconds=0 is outside", "--dev", "--override",
                "leader.imbalance.check.interval.seconds=0");
    }

    @Test
    void mistakesAreRefusedWithTheKeyNamed() {
        assertMessage("data.dir is not set", "--node-id", "1");
        assertMessage("node.id is not set", "--data-dir", "x");
        assertMessage("unknown flag --nope", "--dev", "--nope", "1");
        assertMessage("unknown setting 'retention.mss'", "--dev", "--override", "retention.mss=1");
        assertMessage("listen.address='localhost' is not host:port", "--dev", "--listen", "localhost");
        assertMessage("port 70000 is outside", "--dev", "--listen", "127.0.0.1:70000");
        assertMessage("unknown role 'brokr'", "--dev", "--roles", "brokr");
        assertMessage("node.id=-1 is outside", "--dev", "--node-id", "-1");
        assertMessage("required for a broker-only node", "--dev", "--roles", "broker");
        assertMessage("is not in controller.quorum.voters", "--dev", "--voters", "2@127.0.0.1:1");
        assertMessage("names node 1 twice", "--dev", "--voters", "1@127.0.0.1:1,1@127.0.0.1:2");
        assertMessage("needs a value", "--dev", "--data-dir");
        assertMessage("must be below", "--dev", "--override", "raft.election.timeout.min.ms=5000");
    }

    @Test
    void helpListsEveryFlagAndEverySettingWithItsDefault() {
        String usage = NodeMain.usage();
        for (String flag : List.of("--dev", "--config", "--node-id", "--roles", "--listen", "--raft-listen",
                "--data-dir", "--voters", "--override")) {
            assertTrue(usage.contains(flag), "usage should mention " + flag);
        }
        NodeConfigParser.knownSettings().forEach((key, value) ->
                assertTrue(usage.contains("  " + key + " = " + value + "\n"), "usage should list " + key));
    }

    private static void assertMessage(String expected, String... args) {
        ConfigException e = assertThrows(ConfigException.class, () -> NodeConfigParser.parse(List.of(args)));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should contain '" + expected + "'");
    }
}
