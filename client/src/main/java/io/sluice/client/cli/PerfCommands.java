package io.sluice.client.cli;

import io.sluice.client.common.ClientConfig;
import io.sluice.client.consumer.ConsumerConfig;
import io.sluice.client.perf.ConsumerPerfOptions;
import io.sluice.client.perf.ConsumerPerformance;
import io.sluice.client.perf.EndToEndLatency;
import io.sluice.client.perf.EndToEndOptions;
import io.sluice.client.perf.ProducerPerfOptions;
import io.sluice.client.perf.ProducerPerformance;
import io.sluice.client.perf.internal.Pacer;
import io.sluice.client.producer.ProducerConfig;
import io.sluice.common.Clock;
import io.sluice.common.SystemClock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code sluice perf produce|consume|e2e}: the load generators of {@code io.sluice.client.perf}
 * with the knobs of Kafka's ProducerPerformance and ConsumerPerformance. This class turns command
 * lines into their options (the parsing is what the tests check); the generators do the rest.
 */
final class PerfCommands {
    private static final Set<String> PRODUCER_KNOBS = Set.of("acks", "batch-size", "linger-ms", "compression");
    private static final String PRODUCER_KNOB_USAGE = """
              --acks all|leader|none     replicas that must have a record (also -1, 1, 0; default all)
              --batch-size B             batch.size in bytes (default 16384)
              --linger-ms L              linger.ms (default 5)
              --compression C            none, gzip, lz4 or zstd (default none)
            """;

    private PerfCommands() {
    }

    static CommandGroup group(CliEnvironment env) {
        return new CommandGroup("perf", "benchmark a cluster: produce, consume, end-to-end latency",
                List.of(new Produce(env), new Consume(env), new EndToEnd(env)));
    }

    /** Producer settings from the common knobs and {@code --command-property}/{@code --producer-property}. */
    static Map<String, Object> producerSettings(Args args, Map<String, Object> base) throws UsageException {
        Map<String, Object> settings = new LinkedHashMap<>(base);
        settings.remove(ClientConfig.CLIENT_ID);
        String acks = args.value("acks", null);
        if (acks != null) {
            if (!Set.of("all", "leader", "none", "-1", "1", "0").contains(acks)) {
                throw new UsageException("--acks must be all, leader, none, -1, 1 or 0, got '" + acks + "'");
            }
            settings.put(ProducerConfig.ACKS, acks);
        }
        if (args.has("batch-size")) {
            settings.put(ProducerConfig.BATCH_SIZE, args.intValue("batch-size", 0, 1));
        }
        if (args.has("linger-ms")) {
            settings.put(ProducerConfig.LINGER_MS, args.intValue("linger-ms", 0, 0));
        }
        if (args.has("compression")) {
            settings.put(ProducerConfig.COMPRESSION_TYPE, args.value("compression", "none"));
        }
        settings.putAll(args.pairs("command-property"));
        settings.putAll(args.pairs("producer-property"));
        return settings;
    }

    /** Records per second: -1 (no cap) or a positive number. */
    static double throughput(Args args) throws UsageException {
        String raw = args.value("throughput", "-1");
        try {
            double value = Double.parseDouble(raw.trim());
            if (value == -1 || (value > 0 && !Double.isInfinite(value))) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--throughput must be -1 (no cap) or a positive number of records per second, got '"
                + raw + "'");
    }

    /** {@code perf produce}'s options. */
    static ProducerPerfOptions produceOptions(Args args, Map<String, Object> base) throws UsageException {
        String bound = args.oneOf("num-records", "duration-ms");
        if (bound == null) {
            throw new UsageException("give --num-records N or --duration-ms D");
        }
        long records = bound.equals("num-records") ? args.longValue("num-records", 0, 1) : -1;
        long durationMs = bound.equals("duration-ms") ? args.longValue("duration-ms", 0, 1) : 0;
        return new ProducerPerfOptions(args.required("topic"), records, durationMs,
                args.intValue("record-size", 1024, 0), throughput(args), args.intValue("producers", 1, 1),
                args.longValue("warmup-records", 0, 0), args.longValue("reporting-interval", 5_000, 1),
                producerSettings(args, base));
    }

    /** {@code perf consume}'s options. */
    static ConsumerPerfOptions consumeOptions(Args args, Map<String, Object> base) throws UsageException {
        Map<String, Object> settings = new LinkedHashMap<>(base);
        settings.remove(ClientConfig.CLIENT_ID);
        if (args.has("fetch-size")) {
            settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES, args.intValue("fetch-size", 0, 1));
        }
        settings.putAll(args.pairs("command-property"));
        settings.putAll(args.pairs("consumer-property"));
        String group = args.value("group", "perf-consumer-" + ThreadLocalRandom.current().nextInt(100_000));
        return new ConsumerPerfOptions(args.required("topic"), args.longValue("num-records", Long.MAX_VALUE, 1),
                args.longValue("timeout", 10_000, 1), group, args.intValue("consumers", 1, 1),
                args.flag("from-latest"), args.longValue("reporting-interval", 5_000, 1),
                args.flag("show-detailed-stats"), args.flag("hide-header"), settings);
    }

    /** {@code perf e2e}'s options. */
    static EndToEndOptions endToEndOptions(Args args, Map<String, Object> base) throws UsageException {
        Map<String, Object> consumer = new LinkedHashMap<>(base);
        consumer.putAll(args.pairs("consumer-property"));
        int size = args.intValue("record-size", 1024, 0);
        if (size < Long.BYTES) {
            throw new UsageException("--record-size must be at least 8 for e2e (the send time travels in the value)");
        }
        return new EndToEndOptions(args.required("topic"), args.longValue("num-records", 0, 1), size,
                throughput(args), args.longValue("timeout", 60_000, 1), producerSettings(args, base), consumer);
    }

    private static Clock clock() {
        return SystemClock.INSTANCE;
    }

    /** {@code perf produce}. */
    static final class Produce extends ClientCommand {
        static final Args.Spec SPEC = new Args.Spec(union(PRODUCER_KNOBS, Set.of("topic", "num-records",
                "duration-ms", "record-size", "throughput", "producers", "warmup-records", "reporting-interval")),
                Set.of(), Set.of("command-property", "producer-property"));
        private static final String USAGE = """
                --topic T (--num-records N | --duration-ms D) [--record-size B] [--throughput R]
                       [--acks A] [--batch-size B] [--linger-ms L] [--compression C] [--producers N]
                       [--warmup-records W] [--reporting-interval MS] [--command-property k=v ...]

                Sends records of random letters (no key) and prints, like Kafka's ProducerPerformance,
                progress lines and a summary: records/s, MB/s, latency avg, max, p50, p95, p99, p99.9.
                With --throughput, latency counts from each record's slot on the fixed schedule (no
                coordinated omission; above 1,000 records/s each millisecond's records go together at
                its end, and that wait counts too); without, from the send call.
                  --topic T                  the topic to write to (it must exist)
                  --num-records N            records to send in all, or
                  --duration-ms D            send for D ms
                  --record-size B            bytes per record value (default 1024)
                  --throughput R             records/s over all producers; -1 = no cap (default)
                """ + PRODUCER_KNOB_USAGE + """
                  --producers N              producer instances, one thread each (default 1)
                  --warmup-records W         also print steady-state figures without the first W records
                  --reporting-interval MS    progress line interval (default 5000)
                  --command-property k=v     any producer setting (repeatable; alias --producer-property)
                Exits 1 if any record failed.
                """;

        Produce(CliEnvironment env) {
            super("perf produce", "producer throughput and latency (ProducerPerformance)", env, SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            ProducerPerfOptions options = produceOptions(args, s.clientSettings());
            s.probe();
            ProducerPerformance.Result result = new ProducerPerformance(options, env.clients()::producer, clock(),
                    Pacer.parking(clock()), s.out).run();
            if (result.failures() > 0) {
                s.err.println("sluice perf produce: " + result.failures() + " records failed; first error: "
                        + Failures.describe(result.firstError(), s.bootstrap));
                return FAILED;
            }
            return OK;
        }
    }

    /** {@code perf consume}. */
    static final class Consume extends ClientCommand {
        static final Args.Spec SPEC = new Args.Spec(Set.of("topic", "num-records", "timeout", "group",
                "consumers", "fetch-size", "reporting-interval"), Set.of("from-latest", "show-detailed-stats",
                "hide-header"), Set.of("command-property", "consumer-property"));
        private static final String USAGE = """
                --topic T --num-records N [--timeout MS] [--group G] [--consumers N] [--from-latest]
                       [--fetch-size B] [--show-detailed-stats] [--reporting-interval MS] [--hide-header]
                       [--command-property k=v ...]

                Reads the topic in a consumer group and prints Kafka ConsumerPerformance's line:
                start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
                rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec.
                  --topic T                  the topic to read
                  --num-records N            stop after N records in all
                  --timeout MS               a consumer stops after MS without a record (default 10000)
                  --group G                  the group (default perf-consumer-<random>)
                  --consumers N              consumers in the group, one thread each (default 1)
                  --from-latest              start at the end where nothing is committed (default: the start)
                  --fetch-size B             max.partition.fetch.bytes
                  --show-detailed-stats      Kafka's progress lines, one per reporting interval with
                                             records, instead of the result line
                  --reporting-interval MS    progress line interval (default 5000)
                  --hide-header              print no header line
                  --command-property k=v     any consumer setting (repeatable; alias --consumer-property)
                """;

        Consume(CliEnvironment env) {
            super("perf consume", "consumer throughput (ConsumerPerformance)", env, SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            ConsumerPerfOptions options = consumeOptions(args, s.clientSettings());
            s.probe();
            ConsumerPerformance.Result result = new ConsumerPerformance(options, env.clients()::consumer, clock(),
                    s.out).run();
            return result.records() > 0 ? OK : FAILED;
        }
    }

    /** {@code perf e2e}. */
    static final class EndToEnd extends ClientCommand {
        static final Args.Spec SPEC = new Args.Spec(union(PRODUCER_KNOBS, Set.of("topic", "num-records",
                "record-size", "throughput", "timeout")), Set.of(),
                Set.of("command-property", "producer-property", "consumer-property"));
        private static final String USAGE = """
                --topic T --num-records N [--record-size B] [--throughput R] [--timeout MS]
                       [--acks A] [--batch-size B] [--linger-ms L] [--compression C]
                       [--producer-property k=v ...] [--consumer-property k=v ...]

                Produce-to-consume latency: each record carries its send time; a consumer in the same
                process, at the end of every partition, measures its arrival. Without --throughput, one
                record at a time (Kafka's EndToEndLatency, linger.ms 0); with it, at a fixed rate and
                measured from each record's slot on the schedule.
                  --topic T                  the topic (it must exist)
                  --num-records N            records to send and receive
                  --record-size B            bytes per value, at least 8 (default 1024)
                  --throughput R             records/s on a fixed schedule; -1 = one at a time (default)
                  --timeout MS               longest wait for a record to arrive (default 60000)
                """ + PRODUCER_KNOB_USAGE + """
                  --producer-property k=v    any producer setting (repeatable; alias --command-property)
                  --consumer-property k=v    any consumer setting (repeatable)
                """;

        EndToEnd(CliEnvironment env) {
            super("perf e2e", "produce-to-consume latency (EndToEndLatency)", env, SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            EndToEndOptions options = endToEndOptions(args, s.clientSettings());
            s.probe();
            new EndToEndLatency(options, env.clients()::producer, env.clients()::consumer, clock(),
                    Pacer.parking(clock()), s.out).run();
            return OK;
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }
}
