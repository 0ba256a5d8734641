package io.sluice.client.common;

import io.sluice.client.internal.config.ConfigDef;
import io.sluice.client.internal.network.HostPort;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A parsed and validated client configuration: typed values for every key its definition knows,
 * defaults filled in. Subclasses ({@code ProducerConfig}, {@code ConsumerConfig},
 * {@code AdminConfig}) name their keys as constants; the keys every client shares are here.
 * Immutable and thread-safe.
 */
public abstract class ClientConfig {
    /** Comma-separated {@code host:port} list of brokers to bootstrap from; any one suffices. */
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    /** Free-form name sent with requests, shown in broker logs and group descriptions. */
    public static final String CLIENT_ID = "client.id";
    /** How long to wait for one answer before treating the request as failed (and retrying). */
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    /** First wait before retrying a failed request; doubles per attempt. */
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    /** Ceiling of the retry wait. */
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    /** Metadata older than this is refreshed even without an error. */
    public static final String METADATA_MAX_AGE_MS = "metadata.max.age.ms";

    private final Map<String, Object> values;
    private final Set<String> explicitKeys;

    protected ClientConfig(ConfigDef definition, Map<?, ?> settings) {
        this.values = Map.copyOf(withoutNulls(definition.parse(settings)));
        this.explicitKeys = settings.keySet().stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
    }

    protected ClientConfig(ConfigDef definition, Properties settings) {
        this.values = Map.copyOf(withoutNulls(definition.parse(settings)));
        this.explicitKeys = Set.copyOf(settings.stringPropertyNames());
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> parsed) {
        parsed.values().removeIf(v -> v == null);
        return parsed;
    }

    /** Adds the keys every client shares to {@code def}. */
    protected static ConfigDef defineCommon(ConfigDef def) {
        return def
                .define(BOOTSTRAP_SERVERS, ConfigDef.Type.LIST, ConfigDef.NO_DEFAULT, (name, value) -> {
                    ConfigDef.nonEmptyList().check(name, value);
                    @SuppressWarnings("unchecked")
                    List<String> list = (List<String>) value;
                    HostPort.parseAll(list);
                }, "host:port of brokers to bootstrap from, comma-separated; any one suffices")
                .define(CLIENT_ID, ConfigDef.Type.STRING, "", "name sent with requests, for logs and group views")
                .define(REQUEST_TIMEOUT_MS, ConfigDef.Type.INT, 30_000, ConfigDef.between(1, Integer.MAX_VALUE),
                        "how long to wait for one answer before failing (and retrying) the request")
                .define(RETRY_BACKOFF_MS, ConfigDef.Type.LONG, 100L, ConfigDef.atLeast(0),
                        "first wait before a retry; doubles per attempt, with 20% jitter")
                .define(RETRY_BACKOFF_MAX_MS, ConfigDef.Type.LONG, 1_000L, ConfigDef.atLeast(0),
                        "ceiling of the retry wait")
                .define(METADATA_MAX_AGE_MS, ConfigDef.Type.LONG, 300_000L, ConfigDef.atLeast(0),
                        "refresh metadata at least this often, even without errors");
    }

    /** The value of a STRING key, or null when it has no default and was not set. */
    public String getString(String key) {
        return (String) value(key);
    }

    /** The value of an INT key. */
    public int getInt(String key) {
        return (Integer) value(key);
    }

    /** The value of a LONG key. */
    public long getLong(String key) {
        return (Long) value(key);
    }

    /** The value of a BOOLEAN key. */
    public boolean getBoolean(String key) {
        return (Boolean) value(key);
    }

    /** The value of a LIST key. */
    @SuppressWarnings("unchecked")
    public List<String> getList(String key) {
        return (List<String>) value(key);
    }

    /** Whether the user set {@code key} (as opposed to its default applying). */
    public boolean isSet(String key) {
        return explicitKeys.contains(key);
    }

    private Object value(String key) {
        return values.get(key);
    }

    /** Every key with its effective value, for logging. */
    public Map<String, Object> values() {
        return values;
    }
}
