package io.sluice.client.producer.internal;

import io.sluice.client.internal.Backoff;
import io.sluice.client.internal.metadata.MetadataManager;
import io.sluice.client.internal.network.EventQueue;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.client.producer.ProducerConfig;
import io.sluice.client.producer.RecordMetadata;
import io.sluice.common.ManualClock;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/** A sender wired to a {@link FakeProduceCluster} under a manual clock: no threads, fully deterministic. */
final class SenderHarness {
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final FakeProduceCluster cluster;
    final ProducerConfig config;
    final BufferPool pool;
    final RecordAccumulator accumulator;
    final MetadataManager metadata;
    final NetworkClient network;
    final Sender sender;

    SenderHarness(FakeProduceCluster cluster, Map<String, Object> overrides) {
        this(cluster, overrides, 42);
    }

    SenderHarness(FakeProduceCluster cluster, Map<String, Object> overrides, long seed) {
        this.cluster = cluster;
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS, cluster.address(1).toString());
        settings.put(ProducerConfig.LINGER_MS, 0);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS, 1_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS, 10_000);
        settings.put(ProducerConfig.RETRY_BACKOFF_MS, 10L);
        settings.put(ProducerConfig.RETRY_BACKOFF_MAX_MS, 100L);
        settings.putAll(overrides);
        this.config = new ProducerConfig(settings);
        Random random = new Random(seed);
        Backoff backoff = new Backoff(config.getLong(ProducerConfig.RETRY_BACKOFF_MS),
                config.getLong(ProducerConfig.RETRY_BACKOFF_MAX_MS), random);
        this.pool = new BufferPool(config.getLong(ProducerConfig.BUFFER_MEMORY), clock);
        this.accumulator = new RecordAccumulator(config.getInt(ProducerConfig.BATCH_SIZE), config.compression(),
                config.getInt(ProducerConfig.LINGER_MS), pool, new Partitioner(true,
                        config.getInt(ProducerConfig.BATCH_SIZE), random));
        this.metadata = new MetadataManager(List.of(cluster.address(1)), 300_000, 1_000, backoff);
        this.network = new NetworkClient(cluster.transport, new EventQueue());
        this.sender = new Sender(SenderSettings.from(config, "test"), accumulator, pool, metadata, network, backoff);
    }

    CompletableFuture<RecordMetadata> send(String topic, int partition, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int size = PendingRecord.sizeUpperBound(null, bytes, List.of());
        pool.reserve(size, 0);
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        metadata.addTopics(List.of(topic));
        accumulator.append(new PendingRecord(topic, partition, clock.wallMs(), null, bytes, List.of(), future, null,
                size, clock.monotonicMs()), metadata.cluster(), clock.monotonicMs());
        return future;
    }

    /** Learns the topic's metadata and a producer id before the test starts sending. */
    void warmUp(String topic) {
        metadata.addTopics(List.of(topic));
        run(3, 1);
    }

    void poll() {
        sender.poll(clock.monotonicMs());
    }

    /** Polls {@code times} times, advancing the clock by {@code stepMs} before each poll. */
    void run(int times, long stepMs) {
        for (int i = 0; i < times; i++) {
            clock.advanceMs(stepMs);
            poll();
        }
    }
}
