package io.sluice.broker.server;

import io.sluice.broker.server.NodeConfig.HostPort;
import io.sluice.broker.server.NodeConfig.Role;
import io.sluice.broker.server.NodeConfig.Voter;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Builds a {@link NodeConfig} from, in increasing precedence: built-in defaults, {@code --dev}
 * defaults, a properties file ({@code --config FILE}), flags ({@code --node-id}, {@code --roles},
 * {@code --listen}, {@code --raft-listen}, {@code --data-dir}, {@code --voters}) and
 * {@code --override key=value}. Unknown keys and flags are refused, so a typo never silently
 * leaves a default in place. Every problem is a {@link ConfigException} naming the key.
 */
public final class NodeConfigParser {
    /** The client port of a dev node, and the first node of a local cluster. */
    public static final int DEFAULT_CLIENT_PORT = 9092;
    /** The Raft port of a dev node. */
    public static final int DEFAULT_RAFT_PORT = 9093;

    private static final Map<String, String> DEFAULTS = defaults();
    private static final Map<String, String> FLAG_KEYS = Map.of(
            "--node-id", "node.id",
            "--roles", "process.roles",
            "--listen", "listen.address",
            "--raft-listen", "raft.listen.address",
            "--data-dir", "data.dir",
            "--voters", "controller.quorum.voters");

    private NodeConfigParser() {
    }

    /** A node configuration problem, with a message fit for the operator. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("node.id", "");
        d.put("process.roles", "broker,controller");
        d.put("listen.address", "127.0.0.1:" + DEFAULT_CLIENT_PORT);
        d.put("raft.listen.address", "127.0.0.1:" + DEFAULT_RAFT_PORT);
        d.put("advertised.host", "");
        d.put("data.dir", "");
        d.put("controller.quorum.voters", "");
        d.put("num.partitions", "1");
        d.put("default.replication.factor", "1");
        d.put("min.insync.replicas", "1");
        d.put("replica.lag.time.max.ms", "10000");
        d.put("broker.heartbeat.interval.ms", "500");
        d.put("broker.session.timeout.ms", "3000");
        d.put("broker.probe.after.ms", "750");
        // Kafka's names and defaults: leadership goes back to in-sync preferred replicas every 5 minutes.
        d.put("auto.leader.rebalance.enable", "true");
        d.put("leader.imbalance.check.interval.seconds", "300");
        // Ratis' follower notices a dead leader only after a whole timeout that starts after the kill, so
        // 0.5-1 s detects it in 0.5-2 s, like etcd's 1 s timeout (docs/metadata.md, "Leader failover").
        d.put("raft.election.timeout.min.ms", "500");
        d.put("raft.election.timeout.max.ms", "1000");
        d.put("metadata.snapshot.threshold", "10000");
        d.put("max.request.bytes", String.valueOf(64 << 20));
        d.put("max.partitions.per.request", "10000");
        d.put("storage.min.free.bytes", String.valueOf(256L << 20));
        d.put("group.session.timeout.ms", "45000");
        d.put("group.heartbeat.interval.ms", "5000");
        d.put("group.rebalance.timeout.ms", "300000");
        return Map.copyOf(d);
    }

    /** The keys a node understands, with their built-in defaults ("" = none). */
    public static Map<String, String> knownSettings() {
        return DEFAULTS;
    }

    /** Parses {@code bin/sluice server} arguments. */
    public static NodeConfig parse(List<String> args) {
        Map<String, String> settings = new LinkedHashMap<>(DEFAULTS);
        Map<String, String> fromFlags = new LinkedHashMap<>();
        Path configFile = null;
        boolean dev = false;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (flag.equals("--dev")) {
                dev = true;
                continue;
            }
            if (i + 1 >= args.size()) {
                throw new ConfigException("flag " + flag + " needs a value");
            }
            String value = args.get(++i);
            if (flag.equals("--config")) {
                configFile = Path.of(value);
            } else if (flag.equals("--override")) {
                int eq = value.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException("--override takes key=value, got '" + value + "'");
                }
                fromFlags.put(value.substring(0, eq).trim(), value.substring(eq + 1).trim());
            } else if (FLAG_KEYS.containsKey(flag)) {
                fromFlags.put(FLAG_KEYS.get(flag), value);
            } else {
                throw new ConfigException("unknown flag " + flag);
            }
        }
        if (dev) {
            settings.put("node.id", "1");
            settings.put("data.dir", Path.of("data", "dev").toString());
        }
        if (configFile != null) {
            putAll(settings, readProperties(configFile), configFile.toString());
        }
        putAll(settings, fromFlags, "flags");
        return build(settings);
    }

    private static void putAll(Map<String, String> settings, Map<String, String> extra, String source) {
        for (Map.Entry<String, String> e : extra.entrySet()) {
            if (!DEFAULTS.containsKey(e.getKey())) {
                throw new ConfigException("unknown setting '" + e.getKey() + "' in " + source);
            }
            settings.put(e.getKey(), e.getValue());
        }
    }

    private static Map<String, String> readProperties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(k -> out.put(k.trim(), properties.getProperty(k).trim()));
        return out;
    }

    private static NodeConfig build(Map<String, String> s) {
        int nodeId = intSetting(s, "node.id", 0, Integer.MAX_VALUE);
        Set<Role> roles = roles(s.get("process.roles"));
        HostPort client = hostPort("listen.address", s.get("listen.address"));
        HostPort raft = hostPort("raft.listen.address", s.get("raft.listen.address"));
        String dataDir = s.get("data.dir");
        if (dataDir.isEmpty()) {
            throw new ConfigException("data.dir is not set (use --data-dir D, or --dev)");
        }
        List<Voter> voters = voters(s.get("controller.quorum.voters"));
        if (voters.isEmpty()) {
            if (!roles.contains(Role.CONTROLLER)) {
                throw new ConfigException("controller.quorum.voters is required for a broker-only node");
            }
            voters = List.of(new Voter(nodeId, raft));
        }
        if (roles.contains(Role.CONTROLLER) && voters.stream().noneMatch(v -> v.nodeId() == nodeId)) {
            throw new ConfigException("node " + nodeId + " has the controller role but is not in "
                    + "controller.quorum.voters " + voters);
        }
        for (String key : List.of("num.partitions", "default.replication.factor", "min.insync.replicas",
                "replica.lag.time.max.ms", "broker.heartbeat.interval.ms", "broker.session.timeout.ms",
                "raft.election.timeout.min.ms", "raft.election.timeout.max.ms", "max.request.bytes",
                "max.partitions.per.request", "group.session.timeout.ms", "group.heartbeat.interval.ms",
                "group.rebalance.timeout.ms", "metadata.snapshot.threshold",
                "leader.imbalance.check.interval.seconds")) {
            intSetting(s, key, 1, Integer.MAX_VALUE);
        }
        if (intSetting(s, "raft.election.timeout.min.ms", 1, Integer.MAX_VALUE)
                >= intSetting(s, "raft.election.timeout.max.ms", 1, Integer.MAX_VALUE)) {
            throw new ConfigException("raft.election.timeout.min.ms must be below raft.election.timeout.max.ms");
        }
        longSetting(s, "storage.min.free.bytes");
        String rebalance = s.get("auto.leader.rebalance.enable");
        if (!rebalance.equalsIgnoreCase("true") && !rebalance.equalsIgnoreCase("false")) {
            throw new ConfigException("auto.leader.rebalance.enable='" + rebalance + "' is not true or false");
        }
        int probeAfter = intSetting(s, "broker.probe.after.ms", 0, Integer.MAX_VALUE);
        if (probeAfter > 0 && (probeAfter <= intSetting(s, "broker.heartbeat.interval.ms", 1, Integer.MAX_VALUE)
                || probeAfter >= intSetting(s, "broker.session.timeout.ms", 1, Integer.MAX_VALUE))) {
            throw new ConfigException("broker.probe.after.ms must be 0 (off) or between broker.heartbeat.interval.ms"
                    + " and broker.session.timeout.ms");
        }
        if (intSetting(s, "group.heartbeat.interval.ms", 1, Integer.MAX_VALUE)
                >= intSetting(s, "group.session.timeout.ms", 1, Integer.MAX_VALUE)) {
            throw new ConfigException("group.heartbeat.interval.ms must be below group.session.timeout.ms");
        }
        return new NodeConfig(nodeId, roles, client, raft, Path.of(dataDir), voters, s);
    }

    private static int intSetting(Map<String, String> s, String key, int min, int max) {
        String raw = s.get(key);
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new ConfigException(key + "=" + value + " is outside " + min + ".." + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(raw.isEmpty() ? key + " is not set" : key + "='" + raw + "' is not an integer");
        }
    }

    private static void longSetting(Map<String, String> s, String key) {
        try {
            if (Long.parseLong(s.get(key)) < 0) {
                throw new ConfigException(key + " must be >= 0");
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(key + "='" + s.get(key) + "' is not an integer");
        }
    }

    private static Set<Role> roles(String raw) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String part : raw.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            try {
                roles.add(Role.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("process.roles: unknown role '" + part.trim()
                        + "' (expected broker, controller, or both)");
            }
        }
        return roles;
    }

    static HostPort hostPort(String key, String raw) {
        int colon = raw.lastIndexOf(':');
        if (colon <= 0) {
            throw new ConfigException(key + "='" + raw + "' is not host:port");
        }
        try {
            return new HostPort(raw.substring(0, colon), Integer.parseInt(raw.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + "='" + raw + "': " + e.getMessage());
        }
    }

    private static List<Voter> voters(String raw) {
        List<Voter> voters = new ArrayList<>();
        if (raw.isBlank()) {
            return voters;
        }
        for (String part : raw.split(",")) {
            int at = part.indexOf('@');
            if (at <= 0) {
                throw new ConfigException("controller.quorum.voters: '" + part + "' is not id@host:port");
            }
            int id;
            try {
                id = Integer.parseInt(part.substring(0, at).trim());
            } catch (NumberFormatException e) {
                throw new ConfigException("controller.quorum.voters: '" + part + "' has a non-numeric id");
            }
            int nodeId = id;
            if (voters.stream().anyMatch(v -> v.nodeId() == nodeId)) {
                throw new ConfigException("controller.quorum.voters names node " + id + " twice");
            }
            voters.add(new Voter(id, hostPort("controller.quorum.voters", part.substring(at + 1).trim())));
        }
        return voters;
    }
}
