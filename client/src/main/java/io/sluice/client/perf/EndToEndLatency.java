package io.sluice.client.perf;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.Consumer;
import io.sluice.client.consumer.ConsumerConfig;
import io.sluice.client.consumer.ConsumerRecord;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.client.perf.internal.LatencyHistogram;
import io.sluice.client.perf.internal.LatencyRecorder;
import io.sluice.client.perf.internal.Pacer;
import io.sluice.client.perf.internal.Payloads;
import io.sluice.client.perf.internal.ProducerLoop;
import io.sluice.client.perf.internal.SendSchedule;
import io.sluice.client.perf.internal.Stats;
import io.sluice.client.producer.Producer;
import io.sluice.client.producer.ProducerConfig;
import io.sluice.client.producer.ProducerRecord;
import io.sluice.common.Clock;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code sluice perf e2e}: the time from a record's (intended) send to its arrival at a consumer
 * reading the topic's leaders. Every value carries its intended send time in its first 8 bytes,
 * read back by the consumer in the same process, on the same monotonic clock.
 *
 * <p>Two modes. One at a time (no throughput): send a record, wait until the consumer has it,
 * then the next — Kafka's EndToEndLatency; the producer's {@code linger.ms} defaults to 0. Fixed
 * rate: a producer thread sends on a schedule and the consumer measures each arrival against the
 * record's slot on the schedule, so a stall delays every record behind it in the figures too (no
 * coordinated omission). The consumer is assigned every partition and starts at their ends.
 *
 * <p>Not thread-safe: one run per instance.
 */
public final class EndToEndLatency {
    private static final double NS_PER_MS = 1e6;
    private static final Duration POLL = Duration.ofMillis(100);

    private final EndToEndOptions options;
    private final Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory;
    private final Function<Map<String, Object>, Consumer<byte[], byte[]>> consumerFactory;
    private final Clock clock;
    private final Pacer pacer;
    private final PrintStream out;

    /** What a run measured: end-to-end latencies, and (fixed rate only) the producer's acknowledgements. */
    public record Result(Stats endToEnd, Stats acknowledged) {
    }

    public EndToEndLatency(EndToEndOptions options,
            Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory,
            Function<Map<String, Object>, Consumer<byte[], byte[]>> consumerFactory, Clock clock, Pacer pacer,
            PrintStream out) {
        this.options = options;
        this.producerFactory = producerFactory;
        this.consumerFactory = consumerFactory;
        this.clock = clock;
        this.pacer = pacer;
        this.out = out;
    }

    /** Runs the measurement and prints its lines. */
    public Result run() throws InterruptedException {
        Map<String, Object> consumerSettings = new HashMap<>(options.consumerSettings());
        consumerSettings.putIfAbsent(ConsumerConfig.ENABLE_AUTO_COMMIT, "false");
        Map<String, Object> producerSettings = new HashMap<>(options.producerSettings());
        producerSettings.putIfAbsent(ProducerConfig.LINGER_MS, options.paced() ? "5" : "0");
        try (Consumer<byte[], byte[]> consumer = consumerFactory.apply(consumerSettings);
             Producer<byte[], byte[]> producer = producerFactory.apply(producerSettings)) {
            List<TopicPartition> partitions = consumer.partitionsFor(options.topic());
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            Result result = options.paced() ? atFixedRate(producer, consumer) : oneAtATime(producer, consumer);
            print(result);
            return result;
        }
    }

    private Result oneAtATime(Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> consumer) {
        LatencyHistogram latencies = new LatencyHistogram();
        Payloads payloads = new Payloads(options.recordSize(), clock.monotonicNs());
        long startNs = clock.monotonicNs();
        long bytes = 0;
        for (long i = 0; i < options.numRecords(); i++) {
            long sendNs = clock.monotonicNs();
            byte[] value = payloads.nextStamped(sendNs);
            producer.send(new ProducerRecord<>(options.topic(), value));
            awaitStamp(consumer, sendNs);
            latencies.record(clock.monotonicNs() - sendNs);
            bytes += value.length;
        }
        Stats endToEnd = new Stats(options.numRecords(), bytes, clock.monotonicNs() - startNs, latencies);
        return new Result(endToEnd, null);
    }

    /** Polls until the record stamped {@code sendNs} arrives; records before it are skipped. */
    private void awaitStamp(Consumer<byte[], byte[]> consumer, long sendNs) {
        long deadline = sendNs + options.timeoutMs() * 1_000_000L;
        while (clock.monotonicNs() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                if (r.value() != null && r.value().length >= Payloads.STAMP_BYTES
                        && Payloads.stampOf(r.value()) == sendNs) {
                    return;
                }
            }
        }
        throw new SluiceTimeoutException("a record sent was not consumed within " + options.timeoutMs()
                + " ms (--timeout)");
    }

    private Result atFixedRate(Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> consumer)
            throws InterruptedException {
        long startNs = clock.monotonicNs();
        LatencyRecorder acks = new LatencyRecorder(clock, startNs);
        ProducerLoop loop = new ProducerLoop(producer, new ProducerLoop.Plan(options.topic(), options.numRecords(),
                Long.MAX_VALUE, 0, SendSchedule.fixedRate(startNs, options.throughput()), true), pacer, clock,
                new Payloads(options.recordSize(), startNs), acks);
        LoadThreads threads = new LoadThreads(1);
        threads.start("perf-e2e-producer", loop::produce);
        LatencyHistogram latencies = new LatencyHistogram();
        long received = 0;
        long bytes = 0;
        long lastArrivalNs = clock.monotonicNs();
        long timeoutNs = options.timeoutMs() * 1_000_000L;
        while (received < options.numRecords() && clock.monotonicNs() - lastArrivalNs <= timeoutNs) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                long now = clock.monotonicNs();
                latencies.record(now - Payloads.stampOf(r.value()));
                received++;
                bytes += r.value().length;
                lastArrivalNs = now;
            }
        }
        threads.interruptAll();
        threads.awaitAll(options.timeoutMs());
        threads.rethrowFailure();
        producer.flush();
        long endNs = clock.monotonicNs();
        if (received < options.numRecords()) {
            throw new SluiceTimeoutException("only " + received + " of " + options.numRecords()
                    + " records arrived; none for " + options.timeoutMs() + " ms (--timeout)");
        }
        return new Result(new Stats(received, bytes, endNs - startNs, latencies), acks.total(startNs, endNs));
    }

    private void print(Result result) {
        Stats e2e = result.endToEnd();
        out.printf(Locale.ROOT, "Avg latency: %.4f ms%n", e2e.meanMs());
        out.printf(Locale.ROOT, "Percentiles: 50th = %.2f, 99th = %.2f, 99.9th = %.2f%n", e2e.percentileMs(50),
                e2e.percentileMs(99), e2e.percentileMs(99.9));
        out.printf(Locale.ROOT, "%d records received, %.1f records/sec, end-to-end latency %.2f ms avg, %.2f ms 50th, "
                + "%.2f ms 95th, %.2f ms 99th, %.2f ms 99.9th, %.2f ms max.%n", e2e.records(), e2e.recordsPerSecond(),
                e2e.meanMs(), e2e.percentileMs(50), e2e.percentileMs(95), e2e.percentileMs(99),
                e2e.percentileMs(99.9), e2e.latencies().max() / NS_PER_MS);
        if (result.acknowledged() != null) {
            out.println("producer: " + result.acknowledged().summaryLine(""));
        }
    }
}
