package io.sluice.client.perf;

import io.sluice.client.common.ClientConfig;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.Consumer;
import io.sluice.client.consumer.ConsumerConfig;
import io.sluice.client.consumer.ConsumerRebalanceListener;
import io.sluice.client.consumer.ConsumerRecord;
import io.sluice.client.consumer.ConsumerRecords;
import io.sluice.client.perf.internal.ConsumerProgress;
import io.sluice.common.Clock;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * {@code sluice perf consume}: Kafka's ConsumerPerformance for Sluice. {@code consumers} consumers
 * join one group and read the topic (from the start, unless told otherwise) until they have read
 * {@code numRecords} together or a consumer sees no record for {@code timeoutMs}; then it prints
 * Kafka's line: start and end time, MB and MB/s, records and records/s, the time until the first
 * partitions were assigned (rebalance) and the rates over the rest (fetch). With detailed stats it
 * prints Kafka's progress lines ({@link ConsumerProgress}) instead of that line, as Kafka's tool does;
 * a run that ends short of {@code numRecords} prints Kafka's timeout warning first.
 *
 * <p>Not thread-safe: one run per instance.
 */
public final class ConsumerPerformance {
    /** Kafka's header line, which the result line follows. */
    public static final String HEADER = "start.time, end.time, " + ConsumerProgress.AMOUNT_COLUMNS;
    private static final double MIB = ConsumerProgress.MIB;
    private static final long NS_PER_MS = 1_000_000L;
    private static final Duration POLL = Duration.ofMillis(100);

    private final ConsumerPerfOptions options;
    private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumerFactory;
    private final Clock clock;
    private final PrintStream out;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong firstAssignmentNs = new AtomicLong(Long.MAX_VALUE);

    /**
     * What a run measured.
     *
     * @param records     records read
     * @param bytes       key and value bytes read
     * @param elapsedMs   from the start to the end of reading
     * @param rebalanceMs from the start until the first partitions were assigned
     */
    public record Result(long records, long bytes, long elapsedMs, long rebalanceMs) {
        /** MiB per second over the whole run, or over the fetch time only. */
        public double mbPerSecond(boolean fetchOnly) {
            return perSecond(bytes / MIB, fetchOnly);
        }

        /** Records per second over the whole run, or over the fetch time only. */
        public double recordsPerSecond(boolean fetchOnly) {
            return perSecond(records, fetchOnly);
        }

        private double perSecond(double amount, boolean fetchOnly) {
            return ConsumerProgress.perSecond(amount, fetchOnly ? elapsedMs - rebalanceMs : elapsedMs);
        }
    }

    public ConsumerPerformance(ConsumerPerfOptions options,
            Function<Map<String, Object>, Consumer<byte[], byte[]>> consumerFactory, Clock clock, PrintStream out) {
        this.options = options;
        this.consumerFactory = consumerFactory;
        this.clock = clock;
        this.out = out;
    }

    /** Runs the benchmark and prints its line; returns what it measured. */
    public Result run() throws InterruptedException {
        List<Consumer<byte[], byte[]>> consumers = new ArrayList<>();
        try {
            for (int i = 0; i < options.consumers(); i++) {
                consumers.add(consumerFactory.apply(settings(i)));
            }
            return runWith(consumers);
        } finally {
            for (Consumer<byte[], byte[]> consumer : consumers) {
                consumer.close();
            }
        }
    }

    private Map<String, Object> settings(int i) {
        Map<String, Object> settings = new HashMap<>(options.consumerSettings());
        settings.put(ConsumerConfig.GROUP_ID, options.group());
        settings.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET, options.fromLatest() ? "latest" : "earliest");
        settings.putIfAbsent(ClientConfig.CLIENT_ID, "perf-consumer");
        settings.put(ClientConfig.CLIENT_ID, settings.get(ClientConfig.CLIENT_ID) + "-" + (i + 1));
        return settings;
    }

    private Result runWith(List<Consumer<byte[], byte[]>> consumers) throws InterruptedException {
        long startWallMs = clock.wallMs();
        long startNs = clock.monotonicNs();
        LoadThreads threads = new LoadThreads(consumers.size());
        for (int i = 0; i < consumers.size(); i++) {
            Consumer<byte[], byte[]> consumer = consumers.get(i);
            threads.start("perf-consumer-" + (i + 1), () -> consume(consumer));
        }
        ConsumerProgress progress = new ConsumerProgress(startNs);
        if (options.showDetailedStats() && !options.hideHeader()) {
            out.println(ConsumerProgress.HEADER);
        }
        while (!threads.awaitAll(options.reportingIntervalMs())) {
            if (options.showDetailedStats()) {
                progress.line(clock.monotonicNs(), clock.wallMs(), records.get(), bytes.get(), firstAssignmentNs.get())
                        .ifPresent(out::println);
            }
        }
        threads.rethrowFailure();
        long endNs = clock.monotonicNs();
        long elapsedMs = (endNs - startNs) / NS_PER_MS;
        long assigned = firstAssignmentNs.get();
        long rebalanceMs = assigned == Long.MAX_VALUE ? 0 : Math.max(0, (assigned - startNs) / NS_PER_MS);
        Result result = new Result(records.get(), bytes.get(), elapsedMs, rebalanceMs);
        if (result.records() < options.numRecords()) {
            out.printf(Locale.ROOT, "WARNING: Exiting before consuming the expected number of records: timeout (%d ms)"
                    + " exceeded. You can use the --timeout option to increase the timeout.%n", options.timeoutMs());
        }
        if (!options.showDetailedStats()) {   // as in Kafka's tool: progress lines or the summary
            if (!options.hideHeader()) {
                out.println(HEADER);
            }
            out.println(line(result, startWallMs));
        }
        return result;
    }

    private void consume(Consumer<byte[], byte[]> consumer) {
        consumer.subscribe(List.of(options.topic()), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // nothing to commit beyond what auto-commit does
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                firstAssignmentNs.accumulateAndGet(clock.monotonicNs(), Math::min);
            }
        });
        long lastRecordNs = clock.monotonicNs();
        long timeoutNs = options.timeoutMs() * NS_PER_MS;
        while (records.get() < options.numRecords() && clock.monotonicNs() - lastRecordNs <= timeoutNs) {
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);
            if (polled.isEmpty()) {
                continue;
            }
            long size = 0;
            for (ConsumerRecord<byte[], byte[]> r : polled) {
                size += (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
            }
            bytes.addAndGet(size);
            records.addAndGet(polled.count());
            lastRecordNs = clock.monotonicNs();
        }
    }

    private String line(Result r, long startWallMs) {
        return String.format(Locale.ROOT, "%s, %s, %.4f, %.4f, %d, %.4f, %d, %d, %.4f, %.4f",
                ConsumerProgress.time(startWallMs), ConsumerProgress.time(startWallMs + r.elapsedMs()), r.bytes() / MIB,
                r.mbPerSecond(false), r.records(), r.recordsPerSecond(false), r.rebalanceMs(),
                r.elapsedMs() - r.rebalanceMs(),
                r.mbPerSecond(true), r.recordsPerSecond(true));
    }
}
