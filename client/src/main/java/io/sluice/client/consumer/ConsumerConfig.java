package io.sluice.client.consumer;

import io.sluice.client.common.ClientConfig;
import io.sluice.client.common.ConfigException;
import io.sluice.client.internal.config.ConfigDef;
import io.sluice.client.internal.config.ConfigDef.Type;
import io.sluice.proto.v1.IsolationLevel;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The consumer's configuration: Kafka's key names and meanings where Kafka has the key (group
 * membership follows KIP-848, so there is no client-side {@code session.timeout.ms} or assignor:
 * the coordinator owns both). Unknown keys are refused with a suggestion. {@code docs/client.md}
 * lists every key with its default. Immutable.
 */
public final class ConsumerConfig extends ClientConfig {
    /** The consumer group; without it the consumer can only {@code assign} and commit nothing. */
    public static final String GROUP_ID = "group.id";
    /** Static membership id: a restarted consumer with the same id takes its partitions back. */
    public static final String GROUP_INSTANCE_ID = "group.instance.id";
    /** Server-side assignor, {@code uniform} or {@code range}; empty for the broker's default. */
    public static final String GROUP_REMOTE_ASSIGNOR = "group.remote.assignor";
    /** Rack label sent to the coordinator for rack-aware assignment. */
    public static final String CLIENT_RACK = "client.rack";
    /** Commit the positions of records returned by earlier polls, periodically and on revocation and close. */
    public static final String ENABLE_AUTO_COMMIT = "enable.auto.commit";
    /** Interval between automatic commits. */
    public static final String AUTO_COMMIT_INTERVAL_MS = "auto.commit.interval.ms";
    /** Where to start without a valid position: {@code earliest}, {@code latest} (default) or {@code none}. */
    public static final String AUTO_OFFSET_RESET = "auto.offset.reset";
    /** Bytes a fetch waits for before it is answered. */
    public static final String FETCH_MIN_BYTES = "fetch.min.bytes";
    /** Longest a fetch waits for {@code fetch.min.bytes}. */
    public static final String FETCH_MAX_WAIT_MS = "fetch.max.wait.ms";
    /** Bytes one fetch answer may carry (the first batch is returned even if larger). */
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    /** Bytes one partition may contribute to a fetch answer (the first batch is returned even if larger). */
    public static final String MAX_PARTITION_FETCH_BYTES = "max.partition.fetch.bytes";
    /** Records one {@code poll()} returns at most. */
    public static final String MAX_POLL_RECORDS = "max.poll.records";
    /** Longest time between polls before the consumer leaves its group (sent as the rebalance timeout). */
    public static final String MAX_POLL_INTERVAL_MS = "max.poll.interval.ms";
    /** Timeout of blocking calls that take none ({@code commitSync()}, {@code position()}, ...). */
    public static final String DEFAULT_API_TIMEOUT_MS = "default.api.timeout.ms";
    /** {@code read_uncommitted} (default) or {@code read_committed}. */
    public static final String ISOLATION_LEVEL = "isolation.level";
    /** Check each fetched batch's CRC32C before decoding it. */
    public static final String CHECK_CRCS = "check.crcs";

    private static final ConfigDef DEFINITION = defineCommon(new ConfigDef())
            .define(GROUP_ID, Type.STRING, null, "consumer group; needed for subscribe() and commits")
            .define(GROUP_INSTANCE_ID, Type.STRING, null, "static membership id (keeps partitions across restarts)")
            .define(GROUP_REMOTE_ASSIGNOR, Type.STRING, "",
                    "server-side assignor: uniform or range; empty = broker default")
            .define(CLIENT_RACK, Type.STRING, "", "rack label for rack-aware assignment")
            .define(ENABLE_AUTO_COMMIT, Type.BOOLEAN, true,
                    "commit what earlier polls returned, periodically and on revocation and close")
            .define(AUTO_COMMIT_INTERVAL_MS, Type.INT, 5_000, ConfigDef.between(0, Integer.MAX_VALUE),
                    "interval between automatic commits")
            .define(AUTO_OFFSET_RESET, Type.STRING, "latest", ConfigDef.oneOf("earliest", "latest", "none"),
                    "where to start without a valid position: earliest, latest or none")
            .define(FETCH_MIN_BYTES, Type.INT, 1, ConfigDef.between(0, Integer.MAX_VALUE),
                    "bytes a fetch waits for before it is answered")
            .define(FETCH_MAX_WAIT_MS, Type.INT, 500, ConfigDef.between(0, 60_000),
                    "longest a fetch waits for fetch.min.bytes")
            .define(FETCH_MAX_BYTES, Type.INT, 52_428_800, ConfigDef.between(1, Integer.MAX_VALUE),
                    "bytes one fetch answer may carry")
            .define(MAX_PARTITION_FETCH_BYTES, Type.INT, 1_048_576, ConfigDef.between(1, Integer.MAX_VALUE),
                    "bytes one partition may contribute to a fetch answer")
            .define(MAX_POLL_RECORDS, Type.INT, 500, ConfigDef.between(1, Integer.MAX_VALUE),
                    "records one poll() returns at most")
            .define(MAX_POLL_INTERVAL_MS, Type.INT, 300_000, ConfigDef.between(1, Integer.MAX_VALUE),
                    "longest time between polls before the consumer leaves its group")
            .define(DEFAULT_API_TIMEOUT_MS, Type.LONG, 60_000L, ConfigDef.atLeast(0),
                    "timeout of blocking calls that take none")
            .define(ISOLATION_LEVEL, Type.STRING, "read_uncommitted",
                    ConfigDef.oneOf("read_uncommitted", "read_committed"), "read_uncommitted or read_committed")
            .define(CHECK_CRCS, Type.BOOLEAN, true, "check each fetched batch's CRC32C");

    private final boolean autoCommit;

    public ConsumerConfig(Map<String, ?> settings) {
        super(DEFINITION, settings);
        this.autoCommit = resolveAutoCommit();
    }

    public ConsumerConfig(Properties settings) {
        super(DEFINITION, settings);
        this.autoCommit = resolveAutoCommit();
    }

    /** Every key with its type, default and documentation (for docs and tools). */
    public static ConfigDef definition() {
        return DEFINITION;
    }

    private boolean resolveAutoCommit() {
        if (groupId() == null) {
            if (isSet(ENABLE_AUTO_COMMIT) && getBoolean(ENABLE_AUTO_COMMIT)) {
                throw new ConfigException(ENABLE_AUTO_COMMIT + "=true needs " + GROUP_ID);
            }
            if (getString(GROUP_INSTANCE_ID) != null) {
                throw new ConfigException(GROUP_INSTANCE_ID + " needs " + GROUP_ID);
            }
            return false;
        }
        return getBoolean(ENABLE_AUTO_COMMIT);
    }

    /** The group id, or null. */
    public String groupId() {
        String id = getString(GROUP_ID);
        return id == null || id.isEmpty() ? null : id;
    }

    /** Whether auto-commit is in effect (it needs a group). */
    public boolean autoCommitEnabled() {
        return autoCommit;
    }

    /** The reset strategy named by {@code auto.offset.reset}. */
    public OffsetResetStrategy offsetResetStrategy() {
        return OffsetResetStrategy.valueOf(getString(AUTO_OFFSET_RESET).toUpperCase(Locale.ROOT));
    }

    /** The isolation level as its wire value. */
    public IsolationLevel isolationLevel() {
        return getString(ISOLATION_LEVEL).equalsIgnoreCase("read_committed")
                ? IsolationLevel.ISOLATION_LEVEL_READ_COMMITTED : IsolationLevel.ISOLATION_LEVEL_READ_UNCOMMITTED;
    }
}
