package io.sluice.client.producer;

import io.sluice.client.common.ClientConfig;
import io.sluice.client.common.ConfigException;
import io.sluice.client.internal.config.ConfigDef;
import io.sluice.client.internal.config.ConfigDef.Type;
import io.sluice.proto.v1.Acks;
import io.sluice.record.CompressionType;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The producer's configuration: Kafka's key names and meanings where Kafka has the key. Unknown
 * keys are refused (with a suggestion) rather than ignored, so that a typo cannot silently leave a
 * default in force. {@code docs/client.md} lists every key with its default. Immutable.
 *
 * <p>Idempotence is on by default and needs {@code acks=all}, {@code retries > 0} and at most 5
 * requests in flight per connection: when the user sets one of those otherwise without setting
 * {@code enable.idempotence}, idempotence is turned off (as Kafka does); when the user also set
 * {@code enable.idempotence=true}, the contradiction is a {@link ConfigException}.
 */
public final class ProducerConfig extends ClientConfig {
    /** {@code all} (default), {@code leader} or {@code none}; Kafka's {@code -1}, {@code 1}, {@code 0} are accepted. */
    public static final String ACKS = "acks";
    /** Whether the producer is idempotent (default true): retries never duplicate or reorder. */
    public static final String ENABLE_IDEMPOTENCE = "enable.idempotence";
    /** Upper bound on the time from {@code send()} returning to the record's success or failure. */
    public static final String DELIVERY_TIMEOUT_MS = "delivery.timeout.ms";
    /** How long a batch waits for more records before it is sent. */
    public static final String LINGER_MS = "linger.ms";
    /** Target size of a batch in bytes (uncompressed); a larger single record gets a batch of its own. */
    public static final String BATCH_SIZE = "batch.size";
    /** Bytes of records that may wait to be sent; {@code send()} blocks beyond it. */
    public static final String BUFFER_MEMORY = "buffer.memory";
    /** How long {@code send()} may block for buffer memory, and how long a record waits for its topic's metadata. */
    public static final String MAX_BLOCK_MS = "max.block.ms";
    /** Largest produce request (and so largest record) in bytes. */
    public static final String MAX_REQUEST_SIZE = "max.request.size";
    /** {@code none} (default), {@code gzip}, {@code lz4} or {@code zstd}. */
    public static final String COMPRESSION_TYPE = "compression.type";
    /** Requests sent to one broker without an answer yet. */
    public static final String MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = "max.in.flight.requests.per.connection";
    /** How many times a batch is retried (default: unbounded; {@code delivery.timeout.ms} is the real bound). */
    public static final String RETRIES = "retries";
    /** Partition choice for records without a key: {@code sticky} (default) or {@code round-robin}. */
    public static final String PARTITIONER_NULL_KEY = "partitioner.null.key";

    /** The most requests in flight per connection compatible with idempotence (the broker remembers 5 batches). */
    public static final int MAX_IN_FLIGHT_FOR_IDEMPOTENCE = 5;

    private static final ConfigDef DEFINITION = defineCommon(new ConfigDef())
            .define(ACKS, Type.STRING, "all", ConfigDef.oneOf("all", "leader", "none", "-1", "1", "0"),
                    "replicas that must have a batch before it is acknowledged: all, leader or none")
            .define(ENABLE_IDEMPOTENCE, Type.BOOLEAN, true,
                    "producer id, epoch and sequence numbers so that retries never duplicate or reorder")
            .define(DELIVERY_TIMEOUT_MS, Type.INT, 120_000, ConfigDef.between(1, Integer.MAX_VALUE),
                    "time from send() returning to the record's acknowledgement or failure")
            .define(LINGER_MS, Type.INT, 5, ConfigDef.between(0, Integer.MAX_VALUE),
                    "how long a batch waits for more records before it is sent")
            .define(BATCH_SIZE, Type.INT, 16_384, ConfigDef.between(1, Integer.MAX_VALUE),
                    "target batch size in bytes before compression")
            .define(BUFFER_MEMORY, Type.LONG, 33_554_432L, ConfigDef.atLeast(1),
                    "bytes of records waiting to be sent; send() blocks beyond it")
            .define(MAX_BLOCK_MS, Type.LONG, 60_000L, ConfigDef.atLeast(0),
                    "how long send() may block for memory, and how long a record waits for its topic's metadata")
            .define(MAX_REQUEST_SIZE, Type.INT, 1_048_576, ConfigDef.between(1024, Integer.MAX_VALUE),
                    "largest produce request, and so largest record, in bytes")
            .define(COMPRESSION_TYPE, Type.STRING, "none", ConfigDef.oneOf("none", "gzip", "lz4", "zstd"),
                    "compression of each batch's records: none, gzip, lz4 or zstd")
            .define(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, Type.INT, 5, ConfigDef.between(1, 1_000),
                    "requests sent to one broker without an answer yet")
            .define(RETRIES, Type.INT, Integer.MAX_VALUE, ConfigDef.between(0, Integer.MAX_VALUE),
                    "retries per batch; delivery.timeout.ms is the real bound")
            .define(PARTITIONER_NULL_KEY, Type.STRING, "sticky", ConfigDef.oneOf("sticky", "round-robin"),
                    "partition choice for records without a key: sticky or round-robin");

    private final boolean idempotence;
    private final int deliveryTimeoutMs;

    public ProducerConfig(Map<String, ?> settings) {
        super(DEFINITION, settings);
        this.idempotence = resolveIdempotence();
        this.deliveryTimeoutMs = resolveDeliveryTimeout();
    }

    public ProducerConfig(Properties settings) {
        super(DEFINITION, settings);
        this.idempotence = resolveIdempotence();
        this.deliveryTimeoutMs = resolveDeliveryTimeout();
    }

    /** Every key with its type, default and documentation (for docs and tools). */
    public static ConfigDef definition() {
        return DEFINITION;
    }

    private boolean resolveIdempotence() {
        String conflict = null;
        if (acks() != Acks.ACKS_ALL) {
            conflict = "acks=all";
        } else if (getInt(RETRIES) == 0) {
            conflict = "retries > 0";
        } else if (getInt(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION) > MAX_IN_FLIGHT_FOR_IDEMPOTENCE) {
            conflict = MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION + " <= " + MAX_IN_FLIGHT_FOR_IDEMPOTENCE;
        }
        boolean wanted = getBoolean(ENABLE_IDEMPOTENCE);
        if (conflict != null && wanted && isSet(ENABLE_IDEMPOTENCE)) {
            throw new ConfigException(ENABLE_IDEMPOTENCE + "=true needs " + conflict);
        }
        return wanted && conflict == null;
    }

    private int resolveDeliveryTimeout() {
        long minimum = (long) getInt(LINGER_MS) + getInt(REQUEST_TIMEOUT_MS);
        int configured = getInt(DELIVERY_TIMEOUT_MS);
        if (configured >= minimum) {
            return configured;
        }
        if (isSet(DELIVERY_TIMEOUT_MS)) {
            throw new ConfigException(DELIVERY_TIMEOUT_MS + " (" + configured + ") must be at least "
                    + LINGER_MS + " + " + REQUEST_TIMEOUT_MS + " (" + minimum + ")");
        }
        return (int) Math.min(Integer.MAX_VALUE, minimum);
    }

    /** Whether the producer runs idempotent, after resolving conflicts as the class comment says. */
    public boolean idempotenceEnabled() {
        return idempotence;
    }

    /** The effective delivery timeout (at least linger.ms + request.timeout.ms). */
    public int deliveryTimeoutMs() {
        return deliveryTimeoutMs;
    }

    /** The acks setting as its wire value. */
    public Acks acks() {
        return parseAcks(getString(ACKS));
    }

    /** The acks named by {@code text}: all/-1, leader/1, none/0. */
    public static Acks parseAcks(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "all", "-1" -> Acks.ACKS_ALL;
            case "leader", "1" -> Acks.ACKS_LEADER;
            case "none", "0" -> Acks.ACKS_NONE;
            default -> throw new ConfigException("acks must be all, leader or none, got '" + text + "'");
        };
    }

    /** The batch compression codec. */
    public CompressionType compression() {
        return CompressionType.forName(getString(COMPRESSION_TYPE));
    }
}
