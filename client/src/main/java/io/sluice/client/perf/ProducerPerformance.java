package io.sluice.client.perf;

import io.sluice.client.common.ClientConfig;
import io.sluice.client.perf.internal.LatencyRecorder;
import io.sluice.client.perf.internal.Pacer;
import io.sluice.client.perf.internal.Payloads;
import io.sluice.client.perf.internal.ProducerLoop;
import io.sluice.client.perf.internal.SendSchedule;
import io.sluice.client.perf.internal.Stats;
import io.sluice.client.producer.Producer;
import io.sluice.common.Clock;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code sluice perf produce}: Kafka's ProducerPerformance for Sluice. Runs {@code producers}
 * producers on their own threads, each sending its share of the records (random A-Z values of the
 * record size, no key) at its share of the rate, prints a progress line every reporting interval
 * and, at the end, records/s, MB/s and the latency average, maximum and percentiles of the whole
 * run and, after a warm-up, of the steady state.
 *
 * <p>Latency is the time from a record's intended send time to its acknowledgement. Without a
 * throughput cap the intended time is when {@code send} was called, as in Kafka's tool; with a cap
 * it is the record's slot on the fixed schedule, so stalls are not hidden (no coordinated
 * omission). The run's figures therefore never look better than what a client at that rate sees.
 *
 * <p>Not thread-safe: one run per instance.
 */
public final class ProducerPerformance {
    private static final long NS_PER_MS = 1_000_000L;

    private final ProducerPerfOptions options;
    private final Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory;
    private final Clock clock;
    private final Pacer pacer;
    private final PrintStream out;

    /** What a run measured. */
    public record Result(Stats total, Stats steadyState, long failures, Exception firstError) {
    }

    public ProducerPerformance(ProducerPerfOptions options,
            Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory, Clock clock, Pacer pacer,
            PrintStream out) {
        this.options = options;
        this.producerFactory = producerFactory;
        this.clock = clock;
        this.pacer = pacer;
        this.out = out;
    }

    /**
     * Runs the benchmark, printing as it goes; returns once every record has an outcome. Each producer
     * first fetches the topic's metadata (as Kafka's tool does in its first {@code send}), so a topic
     * that does not exist fails the run after {@code max.block.ms}.
     */
    public Result run() throws InterruptedException {
        List<Producer<byte[], byte[]>> producers = new ArrayList<>();
        try {
            for (int i = 0; i < options.producers(); i++) {
                Map<String, Object> settings = new HashMap<>(options.producerSettings());
                settings.putIfAbsent(ClientConfig.CLIENT_ID, "perf-producer");
                settings.put(ClientConfig.CLIENT_ID, settings.get(ClientConfig.CLIENT_ID) + "-" + (i + 1));
                producers.add(producerFactory.apply(settings));
            }
            // The schedule starts once every producer knows the topic's partitions: a paced run would
            // otherwise start with the metadata round trips' worth of records already late.
            for (Producer<byte[], byte[]> producer : producers) {
                producer.partitionsFor(options.topic());
            }
            return runWith(producers);
        } finally {
            for (Producer<byte[], byte[]> producer : producers) {
                producer.close();
            }
        }
    }

    private Result runWith(List<Producer<byte[], byte[]>> producers) throws InterruptedException {
        long startNs = clock.monotonicNs();
        LatencyRecorder recorder = new LatencyRecorder(clock, startNs);
        int n = producers.size();
        LoadThreads threads = new LoadThreads(n);
        for (int i = 0; i < n; i++) {
            ProducerLoop loop = new ProducerLoop(producers.get(i), plan(i, n, startNs), pacer, clock,
                    new Payloads(options.recordSize(), startNs + i), recorder);
            threads.start("perf-producer-" + (i + 1), loop::produce);
        }
        while (!threads.awaitAll(options.reportingIntervalMs())) {
            out.println(recorder.takeWindow().windowLine());
        }
        threads.rethrowFailure();
        for (Producer<byte[], byte[]> producer : producers) {
            producer.flush();
        }
        long endNs = clock.monotonicNs();
        // A record's future completes just before its callback runs: closing waits for the callbacks.
        for (Producer<byte[], byte[]> producer : producers) {
            producer.close();
        }
        Stats total = recorder.total(startNs, endNs);
        Stats steady = recorder.steadyState(endNs);
        out.println(total.summaryLine(""));
        if (options.warmupRecords() > 0) {
            out.println(steady.summaryLine("steady state "));
        }
        return new Result(total, steady, recorder.failures(), recorder.firstError());
    }

    /** Producer {@code i} of {@code n}: its share of the records, the warm-up and the rate. */
    ProducerLoop.Plan plan(int i, int n, long startNs) {
        long records = options.numRecords() < 0 ? Long.MAX_VALUE : share(options.numRecords(), i, n);
        long endNs = options.durationMs() > 0 ? startNs + options.durationMs() * NS_PER_MS : Long.MAX_VALUE;
        SendSchedule schedule = SendSchedule.unpaced();
        if (options.paced()) {
            // Producers take turns: producer i's slots lie i/n of an interval after producer 0's.
            double perProducer = options.throughput() / n;
            long offsetNs = Math.round(i * 1e9 / options.throughput());
            schedule = SendSchedule.fixedRate(startNs + offsetNs, perProducer);
        }
        return new ProducerLoop.Plan(options.topic(), records, endNs, share(options.warmupRecords(), i, n), schedule,
                false);
    }

    /** Producer {@code i}'s share of {@code total} when split over {@code n}: the first ones take the remainder. */
    static long share(long total, int i, int n) {
        return total / n + (i < total % n ? 1 : 0);
    }
}
