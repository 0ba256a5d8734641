package io.sluice.client.consumer.internal;

import io.sluice.client.consumer.ConsumerConfig;
import io.sluice.client.internal.Backoff;
import io.sluice.client.internal.metadata.MetadataManager;
import io.sluice.client.internal.network.EventQueue;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.common.ManualClock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A consumer core wired to a {@link FakeConsumerCluster} under a manual clock; no threads. */
final class CoreHarness {
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final FakeConsumerCluster cluster;
    final ConsumerConfig config;
    final MetadataManager metadata;
    final ConsumerCore core;

    CoreHarness(FakeConsumerCluster cluster, Map<String, Object> overrides) {
        this.cluster = cluster;
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS, "broker1:9092");
        settings.put(ConsumerConfig.RETRY_BACKOFF_MS, 10L);
        settings.put(ConsumerConfig.RETRY_BACKOFF_MAX_MS, 100L);
        settings.putAll(overrides);
        this.config = new ConsumerConfig(settings);
        Backoff backoff = new Backoff(10, 100, new Random(7));
        this.metadata = new MetadataManager(List.of(FakeConsumerCluster.broker(1)), 300_000, 1_000, backoff);
        NetworkClient network = new NetworkClient(cluster.transport, new EventQueue());
        ConsumerCore.Settings core = new ConsumerCore.Settings(config.groupId(), config.autoCommitEnabled(),
                config.getInt(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS), 5_000, config.offsetResetStrategy(),
                config.isolationLevel());
        this.core = new ConsumerCore(core, FetchSettings.from(config, "test"), GroupSettings.from(config, "test"),
                "member-1", metadata, network, backoff, 1_000);
    }

    /** Polls {@code times} times, advancing {@code stepMs} before each. */
    void run(int times, long stepMs) {
        for (int i = 0; i < times; i++) {
            clock.advanceMs(stepMs);
            core.poll(clock.monotonicMs());
        }
    }

    /** Polls until records come (at most 50 rounds) and returns them. */
    List<FetchedRecord> pollRecords(int max) {
        for (int i = 0; i < 50; i++) {
            run(1, 5);
            List<FetchedRecord> records = core.collect(max);
            if (!records.isEmpty()) {
                return records;
            }
        }
        return List.of();
    }
}
