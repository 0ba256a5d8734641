package io.sluice.metastore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every topic config key (the list above {@code CreateTopicsRequest} in {@code sluice/v1/admin.proto}):
 * name, type, default, documentation and validation, in one place. The controller validates
 * overrides with it before they enter the metadata log (and apply validates again, deterministically);
 * the broker builds its log configuration with {@link #resolve}. Stateless and thread-safe.
 */
public final class TopicConfigs {
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    public static final String FLUSH_POLICY = "flush.policy";
    public static final String FLUSH_MS = "flush.ms";

    /** Longest accepted config value, in characters. */
    public static final int MAX_VALUE_LENGTH = 1024;

    /** The kind of a config value. */
    public enum Type {
        LONG, INT, BOOLEAN, CHOICE
    }

    /**
     * One config key.
     *
     * @param name          the key
     * @param type          its value type
     * @param defaultValue  the built-in default, as text
     * @param documentation one line for DescribeConfigs
     * @param validator     returns why a value is refused, or null; gets a value already of the right type
     */
    public record ConfigDef(String name, Type type, String defaultValue, String documentation,
            Function<String, String> validator) {
    }

    private static final Map<String, ConfigDef> DEFS = buildDefinitions();

    private TopicConfigs() {
    }

    private static Map<String, ConfigDef> buildDefinitions() {
        Map<String, ConfigDef> d = new LinkedHashMap<>();
        put(d, RETENTION_MS, Type.LONG, "604800000", "Age after which whole segments are deleted, in ms; -1 = forever.",
                v -> Long.parseLong(v) >= -1 ? null : "must be -1 or >= 0");
        put(d, RETENTION_BYTES, Type.LONG, "-1", "Partition size beyond which old segments are deleted; -1 = none.",
                v -> Long.parseLong(v) >= -1 ? null : "must be -1 or >= 0");
        put(d, SEGMENT_BYTES, Type.INT, "1073741824", "Roll a new segment at this size (1 MiB - 1 GiB).",
                v -> between(Long.parseLong(v), 1L << 20, 1L << 30));
        put(d, SEGMENT_MS, Type.LONG, "604800000", "Roll a new segment at this age, in ms.",
                v -> Long.parseLong(v) >= 1 ? null : "must be >= 1");
        put(d, MIN_INSYNC_REPLICAS, Type.INT, "1", "Smallest ISR that accepts acks=all writes.",
                v -> Integer.parseInt(v) >= 1 ? null : "must be >= 1");
        put(d, CLEANUP_POLICY, Type.CHOICE, "delete", "Only \"delete\" (compaction is not yet supported).",
                v -> v.equals("delete") ? null : "must be \"delete\" (compaction is not yet supported)");
        put(d, MAX_MESSAGE_BYTES, Type.INT, "1048588", "Largest record batch accepted, in bytes.",
                v -> between(Long.parseLong(v), 1, Integer.MAX_VALUE));
        put(d, MESSAGE_TIMESTAMP_TYPE, Type.CHOICE, "CreateTime", "\"CreateTime\" or \"LogAppendTime\".",
                v -> v.equals("CreateTime") || v.equals("LogAppendTime") ? null
                        : "must be \"CreateTime\" or \"LogAppendTime\"");
        put(d, UNCLEAN_LEADER_ELECTION_ENABLE, Type.BOOLEAN, "false",
                "\"true\" lets an out-of-sync replica lead (may lose records).", v -> null);
        put(d, FLUSH_POLICY, Type.CHOICE, "page-cache", "\"page-cache\", \"interval\" or \"every-batch\".",
                v -> v.equals("page-cache") || v.equals("interval") || v.equals("every-batch") ? null
                        : "must be \"page-cache\", \"interval\" or \"every-batch\"");
        put(d, FLUSH_MS, Type.LONG, "1000", "The msync interval for flush.policy=interval, in ms.",
                v -> Long.parseLong(v) >= 1 ? null : "must be >= 1");
        return Collections.unmodifiableMap(d);
    }

    private static void put(Map<String, ConfigDef> d, String name, Type type, String defaultValue, String doc,
            Function<String, String> validator) {
        d.put(name, new ConfigDef(name, type, defaultValue, doc, validator));
    }

    private static String between(long v, long min, long max) {
        return v >= min && v <= max ? null : "must be between " + min + " and " + max;
    }

    /** Every key, in documentation order. */
    public static List<ConfigDef> definitions() {
        return new ArrayList<>(DEFS.values());
    }

    /** The known keys. */
    public static Set<String> names() {
        return DEFS.keySet();
    }

    /** The key's definition, or null if unknown. */
    public static ConfigDef definition(String name) {
        return DEFS.get(name);
    }

    /** Why {@code name=value} is refused, or null if it is valid. */
    public static String invalidReason(String name, String value) {
        ConfigDef def = DEFS.get(name);
        if (def == null) {
            return "unknown topic config '" + name + "'";
        }
        if (value == null || value.length() > MAX_VALUE_LENGTH) {
            return name + ": value is missing or longer than " + MAX_VALUE_LENGTH + " characters";
        }
        String typeError = typeError(def.type(), value);
        if (typeError != null) {
            return name + "='" + value + "': " + typeError;
        }
        String reason = def.validator().apply(value);
        return reason == null ? null : name + "='" + value + "': " + reason;
    }

    private static String typeError(Type type, String value) {
        try {
            switch (type) {
                case LONG -> Long.parseLong(value);
                case INT -> Integer.parseInt(value);
                case BOOLEAN -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        return "must be true or false";
                    }
                }
                case CHOICE -> {
                    return null;
                }
                default -> throw new IllegalStateException("unknown type " + type);
            }
            return null;
        } catch (NumberFormatException e) {
            return "is not a " + (type == Type.INT ? "32-bit" : "64-bit") + " integer";
        }
    }

    /** The first reason one of {@code overrides} is refused (in key order), or null if all are valid. */
    public static String invalidReason(Map<String, String> overrides) {
        for (Map.Entry<String, String> e : new TreeMap<>(overrides).entrySet()) {
            String reason = invalidReason(e.getKey(), e.getValue());
            if (reason != null) {
                return reason;
            }
        }
        return null;
    }

    /**
     * Every key with its effective value: the topic's override, else {@code clusterDefaults}' value,
     * else the built-in default. Sorted by key.
     */
    public static Map<String, String> effective(Map<String, String> overrides, Map<String, String> clusterDefaults) {
        Map<String, String> out = new TreeMap<>();
        for (ConfigDef def : DEFS.values()) {
            String v = overrides.get(def.name());
            if (v == null) {
                v = clusterDefaults.getOrDefault(def.name(), def.defaultValue());
            }
            out.put(def.name(), v);
        }
        return out;
    }

    /** The typed effective config of a topic; overrides and cluster defaults must be valid. */
    public static TopicConfig resolve(Map<String, String> overrides, Map<String, String> clusterDefaults) {
        Map<String, String> e = effective(overrides, clusterDefaults);
        return new TopicConfig(Long.parseLong(e.get(RETENTION_MS)), Long.parseLong(e.get(RETENTION_BYTES)),
                Integer.parseInt(e.get(SEGMENT_BYTES)), Long.parseLong(e.get(SEGMENT_MS)),
                Integer.parseInt(e.get(MIN_INSYNC_REPLICAS)), e.get(CLEANUP_POLICY),
                Integer.parseInt(e.get(MAX_MESSAGE_BYTES)), e.get(MESSAGE_TIMESTAMP_TYPE),
                Boolean.parseBoolean(e.get(UNCLEAN_LEADER_ELECTION_ENABLE)), e.get(FLUSH_POLICY),
                Long.parseLong(e.get(FLUSH_MS)));
    }

    /** The typed effective config with built-in defaults only. */
    public static TopicConfig resolve(Map<String, String> overrides) {
        return resolve(overrides, Map.of());
    }

    /**
     * A topic's effective configuration, typed. Immutable.
     *
     * @param retentionMs                 age limit in ms, -1 = forever
     * @param retentionBytes              size limit in bytes, -1 = none
     * @param segmentBytes                segment roll size
     * @param segmentMs                   segment roll age
     * @param minInsyncReplicas           smallest ISR for acks=all
     * @param cleanupPolicy               "delete"
     * @param maxMessageBytes             largest batch accepted
     * @param timestampType               "CreateTime" or "LogAppendTime"
     * @param uncleanLeaderElectionEnable whether out-of-sync replicas may lead
     * @param flushPolicy                 "page-cache", "interval" or "every-batch"
     * @param flushMs                     msync interval for flush.policy=interval
     */
    public record TopicConfig(long retentionMs, long retentionBytes, int segmentBytes, long segmentMs,
            int minInsyncReplicas, String cleanupPolicy, int maxMessageBytes, String timestampType,
            boolean uncleanLeaderElectionEnable, String flushPolicy, long flushMs) {
    }
}
