package io.sluice.client.producer;

import io.sluice.client.common.Serializer;
import io.sluice.client.errors.InterruptException;
import io.sluice.client.errors.RecordTooLargeException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.internal.Backoff;
import io.sluice.client.internal.metadata.Cluster;
import io.sluice.client.internal.metadata.MetadataManager;
import io.sluice.client.internal.network.EventQueue;
import io.sluice.client.internal.network.GrpcTransport;
import io.sluice.client.internal.network.HostPort;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.client.internal.network.Transport;
import io.sluice.client.producer.internal.BufferPool;
import io.sluice.client.producer.internal.Partitioner;
import io.sluice.client.producer.internal.PendingRecord;
import io.sluice.client.producer.internal.RecordAccumulator;
import io.sluice.client.producer.internal.Sender;
import io.sluice.client.producer.internal.SenderSettings;
import io.sluice.client.producer.internal.SenderThread;
import io.sluice.common.Clock;
import io.sluice.common.SystemClock;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.record.RecordBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Sluice producer. {@code send} serializes the record, reserves its bytes in
 * {@code buffer.memory} (the only place it can block, up to {@code max.block.ms}) and appends it
 * to its partition's batch; one I/O thread per producer sends ready batches to the partition
 * leaders over gRPC produce streams, retrying as {@code docs/client.md} describes. Idempotence is
 * on by default: retries and leader changes never duplicate or reorder a partition's records.
 *
 * <pre>{@code
 * Properties props = new Properties();
 * props.put("bootstrap.servers", "127.0.0.1:9092");
 * try (Producer<String, String> producer =
 *         new SluiceProducer<>(props, Serdes.stringSerializer(), Serdes.stringSerializer())) {
 *     producer.send(new ProducerRecord<>("access-log", "GET /index.html"));
 * }
 * }</pre>
 *
 * <p>Thread-safe; share one producer between threads. Futures and callbacks complete on the I/O
 * thread.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class SluiceProducer<K, V> implements Producer<K, V> {
    private static final AtomicInteger CLIENT_NUMBER = new AtomicInteger();
    private static final int MAX_ANSWER_BYTES = 16 << 20;

    private final ProducerConfig config;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final Clock clock;
    private final BufferPool pool;
    private final RecordAccumulator accumulator;
    private final MetadataManager metadata;
    private final Sender sender;
    private final SenderThread senderThread;
    private final Object closeLock = new Object();
    private volatile boolean closed;

    /** A producer configured by {@code properties} (see {@link ProducerConfig}). */
    public SluiceProducer(Properties properties, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this(new ProducerConfig(properties), keySerializer, valueSerializer);
    }

    /** A producer configured by {@code settings} (see {@link ProducerConfig}). */
    public SluiceProducer(Map<String, ?> settings, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this(new ProducerConfig(settings), keySerializer, valueSerializer);
    }

    /** A producer with a parsed configuration. */
    public SluiceProducer(ProducerConfig config, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        this(config, keySerializer, valueSerializer, new GrpcTransport(MAX_ANSWER_BYTES), true, SystemClock.INSTANCE,
                new Random());
    }

    /**
     * A producer over the given transport, clock and randomness: for simulations and tests. The
     * caller keeps ownership of {@code transport}.
     */
    public SluiceProducer(ProducerConfig config, Serializer<K> keySerializer, Serializer<V> valueSerializer,
            Transport transport, Clock clock, Random random) {
        this(config, keySerializer, valueSerializer, transport, false, clock, random);
    }

    private SluiceProducer(ProducerConfig config, Serializer<K> keySerializer, Serializer<V> valueSerializer,
            Transport transport, boolean ownsTransport, Clock clock, Random random) {
        this.config = config;
        this.keySerializer = Objects.requireNonNull(keySerializer, "keySerializer");
        this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
        this.clock = clock;
        String clientId = config.getString(ProducerConfig.CLIENT_ID).isEmpty()
                ? "producer-" + CLIENT_NUMBER.incrementAndGet() : config.getString(ProducerConfig.CLIENT_ID);
        Backoff backoff = new Backoff(config.getLong(ProducerConfig.RETRY_BACKOFF_MS),
                config.getLong(ProducerConfig.RETRY_BACKOFF_MAX_MS), random);
        this.pool = new BufferPool(config.getLong(ProducerConfig.BUFFER_MEMORY), clock);
        this.accumulator = new RecordAccumulator(config.getInt(ProducerConfig.BATCH_SIZE), config.compression(),
                config.getInt(ProducerConfig.LINGER_MS), pool,
                new Partitioner(config.getString(ProducerConfig.PARTITIONER_NULL_KEY).equals("sticky"),
                        config.getInt(ProducerConfig.BATCH_SIZE), random));
        this.metadata = new MetadataManager(
                HostPort.parseAllInRandomOrder(config.getList(ProducerConfig.BOOTSTRAP_SERVERS)),
                config.getLong(ProducerConfig.METADATA_MAX_AGE_MS), config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS),
                backoff);
        NetworkClient network = new NetworkClient(transport, new EventQueue());
        this.sender = new Sender(SenderSettings.from(config, clientId), accumulator, pool, metadata, network, backoff);
        this.senderThread = new SenderThread(sender, network, clock, "sluice-producer-" + clientId,
                ownsTransport ? transport::close : () -> { });
        this.senderThread.start();
    }

    @Override
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    @Override
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
        Objects.requireNonNull(record, "record");
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        try {
            failIfUnusable();
            byte[] key = keySerializer.serialize(record.topic(), record.key());
            byte[] value = valueSerializer.serialize(record.topic(), record.value());
            int size = PendingRecord.sizeUpperBound(key, value, record.headers());
            checkSize(size);
            pool.reserve(size, config.getLong(ProducerConfig.MAX_BLOCK_MS));
            long timestamp = record.timestamp() != null ? record.timestamp() : clock.wallMs();
            int partition = record.partition() == null ? -1 : record.partition();
            PendingRecord pending = new PendingRecord(record.topic(), partition, timestamp, key, value,
                    record.headers(), future, callback, size, clock.monotonicMs());
            append(pending);
        } catch (SluiceException | IllegalStateException e) {
            failEarly(future, callback, e);
        }
        return future;
    }

    private void append(PendingRecord pending) {
        metadata.addTopics(List.of(pending.topic()));
        boolean wake;
        try {
            wake = accumulator.append(pending, metadata.cluster(), pending.sendMs());
        } catch (RuntimeException e) {
            pool.release(pending.reservedBytes());
            throw e;
        }
        if (wake) {
            senderThread.wakeup();
        }
    }

    private void failIfUnusable() {
        if (closed) {
            throw new IllegalStateException("the producer is closed");
        }
        sender.fatalError().ifPresent(e -> {
            throw e;
        });
    }

    private void checkSize(int size) {
        int maxRequest = config.getInt(ProducerConfig.MAX_REQUEST_SIZE);
        if (size + RecordBatch.HEADER_SIZE > maxRequest) {
            throw new RecordTooLargeException("a record of up to " + size + " bytes does not fit max.request.size ("
                    + maxRequest + " bytes)");
        }
        if (size > pool.totalBytes()) {
            throw new RecordTooLargeException("a record of up to " + size + " bytes does not fit buffer.memory ("
                    + pool.totalBytes() + " bytes)");
        }
    }

    private static void failEarly(CompletableFuture<RecordMetadata> future, Callback callback, RuntimeException e) {
        Exception error = e instanceof IllegalStateException
                ? new SluiceException(ErrorCode.ERROR_CODE_INVALID_REQUEST, e.getMessage(), e) : e;
        future.completeExceptionally(error);
        if (callback != null) {
            callback.onCompletion(null, error);
        }
    }

    @Override
    public void flush() {
        if (senderThread.isCurrentThread()) {
            throw new IllegalStateException("flush() cannot be called from a send callback: it would wait for "
                    + "itself");
        }
        accumulator.beginFlush();
        try {
            senderThread.wakeup();
            List<CompletableFuture<RecordMetadata>> pending = accumulator.incompleteFutures();
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).handle((v, e) -> null).join();
        } finally {
            accumulator.endFlush();
        }
    }

    @Override
    public List<Integer> partitionsFor(String topic) {
        metadata.addTopics(List.of(topic));
        metadata.requestUpdate();
        senderThread.wakeup();
        long maxBlockMs = config.getLong(ProducerConfig.MAX_BLOCK_MS);
        long deadline = clock.monotonicMs() + maxBlockMs;
        try {
            while (true) {
                Cluster cluster = metadata.cluster();
                int count = cluster.partitionCount(topic);
                if (count > 0) {
                    List<Integer> out = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        out.add(i);
                    }
                    return out;
                }
                long remaining = deadline - clock.monotonicMs();
                if (remaining <= 0 || closed) {
                    throw RecordAccumulator.metadataTimeout(topic, maxBlockMs, cluster);
                }
                senderThread.awaitPoll(remaining);
            }
        } catch (InterruptedException e) {
            throw new InterruptException(e);
        }
    }

    @Override
    public void close() {
        close(Duration.ofMillis(Long.MAX_VALUE));
    }

    @Override
    public void close(Duration timeout) {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long timeoutMs = timeout.toMillis();
        long now = clock.monotonicMs();
        long deadline = timeoutMs >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + timeoutMs;
        accumulator.close();
        pool.close();
        senderThread.initiateClose(deadline, new SluiceException(ErrorCode.ERROR_CODE_REQUEST_TIMED_OUT,
                "the producer was closed before the record was acknowledged"));
        if (senderThread.isCurrentThread()) {
            // Called from a callback: the I/O thread finishes by itself after this callback returns.
            return;
        }
        try {
            senderThread.join(timeoutMs == Long.MAX_VALUE ? 0 : timeoutMs + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
