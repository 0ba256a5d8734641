package io.sluice.client.consumer;

import io.sluice.client.common.Deserializer;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.internal.AppCallback;
import io.sluice.client.consumer.internal.ConsumerCore;
import io.sluice.client.consumer.internal.ConsumerNetworkThread;
import io.sluice.client.consumer.internal.FetchSettings;
import io.sluice.client.consumer.internal.FetchedRecord;
import io.sluice.client.consumer.internal.GroupSettings;
import io.sluice.client.consumer.internal.SubscriptionState;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.internal.Backoff;
import io.sluice.client.internal.ListOffsetsOperation;
import io.sluice.client.internal.metadata.MetadataManager;
import io.sluice.client.internal.network.EventQueue;
import io.sluice.client.internal.network.GrpcTransport;
import io.sluice.client.internal.network.HostPort;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.client.internal.network.Transport;
import io.sluice.common.Clock;
import io.sluice.common.SystemClock;
import io.sluice.proto.v1.OffsetSpec;
import io.sluice.record.Record;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sluice consumer: {@link Consumer} over gRPC, with KIP-848 group membership. A background
 * thread runs the poll-driven core (heartbeats, fetches, commits, position lookups) under a lock
 * the application's calls take only briefly; blocking calls wait outside the lock for the core to
 * make progress. Rebalance listener methods and commit callbacks run on the application thread,
 * inside {@code poll} (or {@code close}/{@code unsubscribe}).
 *
 * <pre>{@code
 * Properties props = new Properties();
 * props.put("bootstrap.servers", "127.0.0.1:9092");
 * props.put("group.id", "billing");
 * try (Consumer<String, String> consumer =
 *         new SluiceConsumer<>(props, Serdes.stringDeserializer(), Serdes.stringDeserializer())) {
 *     consumer.subscribe(List.of("access-log"));
 *     while (running) {
 *         for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
 *             process(r);
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Not thread-safe (a second thread using it gets {@link ConcurrentModificationException}),
 * except {@link #wakeup}.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class SluiceConsumer<K, V> implements Consumer<K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceConsumer.class);
    private static final AtomicInteger CLIENT_NUMBER = new AtomicInteger();
    private static final long DEFAULT_CLOSE_MS = 30_000;

    private final ConsumerConfig config;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final Clock clock;
    private final Transport transport;
    private final boolean ownsTransport;
    private final MetadataManager metadata;
    private final ConsumerCore core;
    private final ConsumerNetworkThread thread;
    private final ApplicationGate gate;
    private volatile boolean closed;

    /** A consumer configured by {@code properties} (see {@link ConsumerConfig}). */
    public SluiceConsumer(Properties properties, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this(new ConsumerConfig(properties), keyDeserializer, valueDeserializer);
    }

    /** A consumer configured by {@code settings} (see {@link ConsumerConfig}). */
    public SluiceConsumer(Map<String, ?> settings, Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer) {
        this(new ConsumerConfig(settings), keyDeserializer, valueDeserializer);
    }

    /** A consumer with a parsed configuration. */
    public SluiceConsumer(ConsumerConfig config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this(config, keyDeserializer, valueDeserializer, new GrpcTransport(maxAnswerBytes(config)), true,
                SystemClock.INSTANCE, new Random());
    }

    /**
     * A consumer over the given transport, clock and randomness (simulations, tests); the caller
     * keeps ownership of {@code transport}.
     */
    public SluiceConsumer(ConsumerConfig config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer,
            Transport transport, Clock clock, Random random) {
        this(config, keyDeserializer, valueDeserializer, transport, false, clock, random);
    }

    private SluiceConsumer(ConsumerConfig config, Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer, Transport transport, boolean ownsTransport, Clock clock, Random random) {
        this.config = config;
        this.keyDeserializer = Objects.requireNonNull(keyDeserializer, "keyDeserializer");
        this.valueDeserializer = Objects.requireNonNull(valueDeserializer, "valueDeserializer");
        this.clock = clock;
        this.transport = transport;
        this.ownsTransport = ownsTransport;
        String clientId = config.getString(ConsumerConfig.CLIENT_ID).isEmpty()
                ? "consumer-" + CLIENT_NUMBER.incrementAndGet() : config.getString(ConsumerConfig.CLIENT_ID);
        Backoff backoff = new Backoff(config.getLong(ConsumerConfig.RETRY_BACKOFF_MS),
                config.getLong(ConsumerConfig.RETRY_BACKOFF_MAX_MS), random);
        int requestTimeoutMs = config.getInt(ConsumerConfig.REQUEST_TIMEOUT_MS);
        this.metadata = new MetadataManager(
                HostPort.parseAllInRandomOrder(config.getList(ConsumerConfig.BOOTSTRAP_SERVERS)),
                config.getLong(ConsumerConfig.METADATA_MAX_AGE_MS), requestTimeoutMs, backoff);
        EventQueue events = new EventQueue();
        NetworkClient network = new NetworkClient(transport, events);
        ConsumerCore.Settings settings = new ConsumerCore.Settings(config.groupId(), config.autoCommitEnabled(),
                config.getInt(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS), apiTimeoutMs(), config.offsetResetStrategy(),
                config.isolationLevel());
        String memberId = new UUID(random.nextLong(), random.nextLong()).toString();
        this.core = new ConsumerCore(settings, FetchSettings.from(config, clientId),
                GroupSettings.from(config, clientId), memberId, metadata, network, backoff, requestTimeoutMs);
        ReentrantLock lock = new ReentrantLock();
        Condition progressed = lock.newCondition();
        this.thread = new ConsumerNetworkThread(core, events, lock, progressed, clock, "sluice-consumer-" + clientId);
        this.gate = new ApplicationGate(core, thread, lock, progressed, clock);
        this.thread.start();
    }

    private static int maxAnswerBytes(ConsumerConfig config) {
        long wanted = 2L * config.getInt(ConsumerConfig.FETCH_MAX_BYTES) + (16 << 20);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(64 << 20, wanted));
    }

    private long apiTimeoutMs() {
        return config.getLong(ConsumerConfig.DEFAULT_API_TIMEOUT_MS);
    }

    private void acquireOpen() {
        if (closed) {
            throw new IllegalStateException("this consumer is closed");
        }
        gate.acquire();
    }

    private long deadline(Duration timeout) {
        long now = clock.monotonicMs();
        long ms = timeout.toMillis();
        return ms >= Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ms;
    }

    // ---- subscription ----

    @Override
    public void assign(Collection<TopicPartition> partitions) {
        acquireOpen();
        try {
            gate.call(() -> core.assign(List.copyOf(partitions)));
            thread.wakeup();
        } finally {
            gate.release();
        }
    }

    @Override
    public void subscribe(Collection<String> topics) {
        subscribe(topics, null);
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        acquireOpen();
        try {
            if (topics.isEmpty()) {
                unsubscribe();
                return;
            }
            gate.call(() -> core.subscribe(List.copyOf(topics), listener, clock.monotonicMs()));
            thread.wakeup();
        } finally {
            gate.release();
        }
    }

    @Override
    public void unsubscribe() {
        acquireOpen();
        try {
            leaveGroup(false, deadline(Duration.ofMillis(apiTimeoutMs())));
            gate.call(() -> core.subscriptions().unsubscribe());
        } finally {
            gate.release();
        }
    }

    private void leaveGroup(boolean temporarily, long deadlineMs) {
        boolean inGroup = gate.call(() -> core.membership() != null
                && core.subscriptions().mode() == SubscriptionState.Mode.GROUP);
        if (!inGroup) {
            return;
        }
        CompletableFuture<Void> left = gate.call(() -> core.membership().leave(temporarily, clock.monotonicMs()));
        thread.wakeup();
        while (!left.isDone() && clock.monotonicMs() < deadlineMs) {
            gate.runAppCallbacks();
            gate.awaitProgress(deadlineMs - clock.monotonicMs());
        }
        gate.runAppCallbacks();
    }

    @Override
    public Set<TopicPartition> assignment() {
        return gate.call(() -> Set.copyOf(core.subscriptions().assigned()));
    }

    @Override
    public Set<String> subscription() {
        return gate.call(() -> core.subscriptions().topics());
    }

    // ---- polling ----

    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        acquireOpen();
        try {
            long deadlineMs = deadline(timeout);
            if (gate.call(() -> core.subscriptions().mode() == SubscriptionState.Mode.NONE)) {
                throw new IllegalStateException("poll() needs subscribe() or assign() first");
            }
            gate.call(() -> core.onApplicationPoll(clock.monotonicMs()));
            int max = config.getInt(ConsumerConfig.MAX_POLL_RECORDS);
            boolean firstPass = true;
            while (true) {
                gate.checkWakeup();
                gate.runAppCallbacks();
                List<FetchedRecord> raw = gate.call(() -> core.collect(max));
                if (!raw.isEmpty()) {
                    thread.wakeup();
                    return toRecords(raw);
                }
                long remaining = deadlineMs - clock.monotonicMs();
                if (remaining <= 0) {
                    return ConsumerRecords.empty();
                }
                // The background thread sends fetches for partitions with nothing left to hand out. It
                // needs waking when this poll began, or when collect dropped data it did not hand out;
                // after that it runs by itself when an answer arrives (see ApplicationGate.awaitProgress).
                if (firstPass || gate.call(core::takeFreedPartitions)) {
                    thread.wakeup();
                }
                firstPass = false;
                gate.awaitProgress(remaining);
            }
        } finally {
            gate.release();
        }
    }

    /** How many rounds the background thread has finished (tests check that waiting does not spin it). */
    long backgroundRounds() {
        return gate.call(thread::rounds);
    }

    private ConsumerRecords<K, V> toRecords(List<FetchedRecord> raw) {
        Map<TopicPartition, List<ConsumerRecord<K, V>>> byPartition = new LinkedHashMap<>();
        for (FetchedRecord f : raw) {
            Record r = f.record();
            String topic = f.topicPartition().topic();
            byPartition.computeIfAbsent(f.topicPartition(), tp -> new ArrayList<>()).add(new ConsumerRecord<>(
                    f.topicPartition(), r.offset(), r.timestampMs(), f.timestampType(), f.leaderEpoch(),
                    keyDeserializer.deserialize(topic, r.key()), valueDeserializer.deserialize(topic, r.value()),
                    r.headers(), r.key() == null ? -1 : r.key().length, r.value() == null ? -1 : r.value().length));
        }
        return new ConsumerRecords<>(byPartition);
    }

    // ---- commits ----

    @Override
    public void commitSync() {
        commitSync(Duration.ofMillis(apiTimeoutMs()));
    }

    @Override
    public void commitSync(Duration timeout) {
        commitSync(gate.call(() -> core.subscriptions().consumedPositions(null)), timeout);
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commitSync(offsets, Duration.ofMillis(apiTimeoutMs()));
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        acquireOpen();
        try {
            if (offsets.isEmpty()) {
                return;
            }
            long deadlineMs = deadline(timeout);
            CompletableFuture<Void> done = gate.call(() -> core.commit(Map.copyOf(offsets), deadlineMs));
            gate.await(done, deadlineMs, "commit of " + offsets.keySet());
        } finally {
            gate.release();
        }
    }

    @Override
    public void commitAsync() {
        commitAsync(null);
    }

    @Override
    public void commitAsync(OffsetCommitCallback callback) {
        commitAsync(gate.call(() -> core.subscriptions().consumedPositions(null)), callback);
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        acquireOpen();
        try {
            Map<TopicPartition, OffsetAndMetadata> copy = Map.copyOf(offsets);
            gate.call(() -> {
                CompletableFuture<Void> done = copy.isEmpty() ? CompletableFuture.completedFuture(null)
                        : core.commit(copy, clock.monotonicMs() + apiTimeoutMs());
                if (callback != null) {
                    done.whenComplete((v, e) -> core.addAppCallback(new AppCallback("commit callback",
                            () -> callback.onComplete(copy, unwrap(e)), new CompletableFuture<>())));
                }
            });
            thread.wakeup();
        } finally {
            gate.release();
        }
    }

    private static Exception unwrap(Throwable e) {
        if (e == null) {
            return null;
        }
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof Exception ex ? ex : new RuntimeException(cause);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return committed(partitions, Duration.ofMillis(apiTimeoutMs()));
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
        acquireOpen();
        try {
            long deadlineMs = deadline(timeout);
            var future = gate.call(() -> core.committed(Set.copyOf(partitions), deadlineMs));
            thread.wakeup();
            return gate.await(future, deadlineMs, "committed offsets lookup");
        } finally {
            gate.release();
        }
    }

    // ---- positions ----

    @Override
    public void seek(TopicPartition partition, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
        acquireOpen();
        try {
            gate.call(() -> {
                core.subscriptions().seek(partition, offset, -1);
                core.dropUnfetchable();
            });
            thread.wakeup();
        } finally {
            gate.release();
        }
    }

    @Override
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        requestReset(partitions, OffsetResetStrategy.EARLIEST);
    }

    @Override
    public void seekToEnd(Collection<TopicPartition> partitions) {
        requestReset(partitions, OffsetResetStrategy.LATEST);
    }

    private void requestReset(Collection<TopicPartition> partitions, OffsetResetStrategy strategy) {
        acquireOpen();
        try {
            gate.call(() -> partitions.forEach(tp -> core.subscriptions().requestReset(tp, strategy)));
            thread.wakeup();
        } finally {
            gate.release();
        }
    }

    @Override
    public void seekToTimestamp(Collection<TopicPartition> partitions, long timestampMs) {
        Map<TopicPartition, Long> query = new LinkedHashMap<>();
        partitions.forEach(tp -> query.put(tp, timestampMs));
        Map<TopicPartition, OffsetAndTimestamp> found = offsetsForTimes(query);
        List<TopicPartition> toEnd = new ArrayList<>();
        found.forEach((tp, ot) -> {
            if (ot == null) {
                toEnd.add(tp);
            } else {
                seek(tp, ot.offset());
            }
        });
        seekToEnd(toEnd);
    }

    @Override
    public long position(TopicPartition partition) {
        return position(partition, Duration.ofMillis(apiTimeoutMs()));
    }

    @Override
    public long position(TopicPartition partition, Duration timeout) {
        acquireOpen();
        try {
            long deadlineMs = deadline(timeout);
            thread.wakeup();
            while (true) {
                gate.checkWakeup();
                SluiceException error = gate.call(() -> core.subscriptions().stateError(partition));
                if (error != null) {
                    throw error;
                }
                OptionalLong position = gate.call(() -> core.subscriptions().position(partition));
                if (position.isPresent()) {
                    return position.getAsLong();
                }
                long remaining = deadlineMs - clock.monotonicMs();
                if (remaining <= 0) {
                    throw new SluiceTimeoutException("the position of " + partition + " was not found in time");
                }
                gate.awaitProgress(remaining);
            }
        } finally {
            gate.release();
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
        Map<TopicPartition, ListOffsetsOperation.Query> queries = new LinkedHashMap<>();
        timestamps.forEach((tp, ts) ->
                queries.put(tp, new ListOffsetsOperation.Query(OffsetSpec.OFFSET_SPEC_TIMESTAMP, ts)));
        Map<TopicPartition, OffsetAndTimestamp> out = new LinkedHashMap<>();
        // The protocol answers "no record that recent" with the end offset and timestamp -1.
        listOffsets(queries).forEach((tp, r) -> out.put(tp, r.offset() < 0 || r.timestampMs() < 0 ? null
                : new OffsetAndTimestamp(r.offset(), r.timestampMs(), r.leaderEpoch())));
        return out;
    }

    @Override
    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return offsetsBySpec(partitions, OffsetSpec.OFFSET_SPEC_EARLIEST);
    }

    @Override
    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return offsetsBySpec(partitions, OffsetSpec.OFFSET_SPEC_LATEST);
    }

    private Map<TopicPartition, Long> offsetsBySpec(Collection<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, ListOffsetsOperation.Query> queries = new LinkedHashMap<>();
        partitions.forEach(tp -> queries.put(tp, new ListOffsetsOperation.Query(spec, 0)));
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        listOffsets(queries).forEach((tp, r) -> out.put(tp, r.offset()));
        return out;
    }

    private Map<TopicPartition, ListOffsetsOperation.Result> listOffsets(
            Map<TopicPartition, ListOffsetsOperation.Query> queries) {
        acquireOpen();
        try {
            long deadlineMs = deadline(Duration.ofMillis(apiTimeoutMs()));
            var future = gate.call(() -> core.listOffsets(queries, deadlineMs));
            thread.wakeup();
            return gate.await(future, deadlineMs, "offset lookup");
        } finally {
            gate.release();
        }
    }

    @Override
    public OptionalLong currentLag(TopicPartition partition) {
        return gate.call(() -> core.subscriptions().lag(partition));
    }

    @Override
    public List<TopicPartition> partitionsFor(String topic) {
        acquireOpen();
        try {
            metadata.addTopics(List.of(topic));
            metadata.requestUpdate();
            thread.wakeup();
            long deadlineMs = deadline(Duration.ofMillis(apiTimeoutMs()));
            while (metadata.cluster().partitionCount(topic) <= 0) {
                gate.checkWakeup();
                if (clock.monotonicMs() >= deadlineMs) {
                    throw metadata.cluster().topicNotFound(topic, apiTimeoutMs(), "default.api.timeout.ms");
                }
                gate.awaitProgress(deadlineMs - clock.monotonicMs());
            }
            List<TopicPartition> out = new ArrayList<>();
            for (int p = 0; p < metadata.cluster().partitionCount(topic); p++) {
                out.add(new TopicPartition(topic, p));
            }
            return out;
        } finally {
            gate.release();
        }
    }

    @Override
    public void pause(Collection<TopicPartition> partitions) {
        acquireOpen();
        try {
            gate.call(() -> {
                core.subscriptions().pause(partitions);
                core.dropUnfetchable();
            });
        } finally {
            gate.release();
        }
    }

    @Override
    public void resume(Collection<TopicPartition> partitions) {
        acquireOpen();
        try {
            gate.call(() -> core.subscriptions().resume(partitions));
            thread.wakeup();
        } finally {
            gate.release();
        }
    }

    @Override
    public Set<TopicPartition> paused() {
        return gate.call(() -> core.subscriptions().paused());
    }

    @Override
    public void wakeup() {
        gate.wakeup();
    }

    @Override
    public void close() {
        close(Duration.ofMillis(DEFAULT_CLOSE_MS));
    }

    @Override
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        acquireOpen();
        try {
            long deadlineMs = deadline(timeout);
            try {
                commitOnCloseIfManual(deadlineMs);
                leaveGroup(true, deadlineMs);
            } finally {
                closed = true;
                try {
                    thread.close(Math.max(1, deadlineMs - clock.monotonicMs()) + 5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (ownsTransport) {
                    transport.close();
                }
            }
        } finally {
            gate.release();
        }
    }

    private void commitOnCloseIfManual(long deadlineMs) {
        boolean manual = gate.call(() -> core.subscriptions().mode() == SubscriptionState.Mode.MANUAL);
        if (!manual || !config.autoCommitEnabled()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = gate.call(() -> core.subscriptions().consumedPositions(null));
        if (offsets.isEmpty()) {
            return;
        }
        try {
            CompletableFuture<Void> done = gate.call(() -> core.commit(offsets, deadlineMs));
            gate.await(done, deadlineMs, "commit on close");
        } catch (SluiceException e) {
            LOG.warn("commit on close failed: {}", e.getMessage());
        }
    }
}
