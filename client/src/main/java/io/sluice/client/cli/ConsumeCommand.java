package io.sluice.client.cli;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.Consumer;
import io.sluice.client.consumer.ConsumerConfig;
import io.sluice.client.consumer.ConsumerRebalanceListener;
import io.sluice.client.consumer.ConsumerRecord;
import io.sluice.client.errors.WakeupException;
import io.sluice.common.Clock;
import io.sluice.common.SystemClock;
import io.sluice.record.TimestampType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice consume}: prints records of a topic, alone (every partition, or one) or as a
 * member of a group. Stops after {@code --max-messages}, after {@code --timeout-ms} without a new
 * record, or on Ctrl-C, and always closes the consumer cleanly (committing, with a group).
 */
final class ConsumeCommand extends ClientCommand {
    private static final Duration POLL = Duration.ofMillis(200);

    private static final Args.Spec SPEC = new Args.Spec(Set.of("topic", "group", "offset", "timestamp",
            "partition", "max-messages", "timeout-ms", "key-separator"),
            Set.of("from-beginning", "print-key", "print-offsets", "print-timestamp"), Set.of("consumer-property"));
    private static final String USAGE = """
            --topic T [--group G] [--from-beginning | --offset N | --timestamp MS] [--partition P]
                   [--max-messages N] [--timeout-ms N] [--print-key] [--print-offsets] [--print-timestamp]
                   [--key-separator S] [--consumer-property k=v ...]

            Prints each record's value on a line (null values print as "null").
              --topic T             the topic to read
              --group G             read as a member of group G (partitions shared, offsets committed);
                                    without it, every partition (or --partition P) is read
              --from-beginning      start at the log start (with a group: only where nothing is committed)
              --offset N            start every partition at offset N
              --timestamp MS        start at the first record at or after MS (ms since the epoch)
                                    (default start: the end, i.e. only new records)
              --partition P         read only partition P (not with --group)
              --max-messages N      stop after N records
              --timeout-ms N        stop after N ms without a new record
              --print-key           print the key before the value (separated by --key-separator, default tab)
              --print-offsets       print Partition:P and Offset:O before the record
              --print-timestamp     print CreateTime:T (or LogAppendTime:T) before the record
              --consumer-property k=v  any consumer setting (repeatable)
            """;

    private final Clock clock = SystemClock.INSTANCE;

    ConsumeCommand(CliEnvironment env) {
        super("consume", "print records of a topic", env, SPEC, USAGE);
    }

    @Override
    int execute(Args args, Session s) throws Exception {
        String topic = args.required("topic");
        String start = args.oneOf("from-beginning", "offset", "timestamp");
        String group = args.value("group", null);
        if (group != null && args.has("partition")) {
            throw new UsageException("--partition cannot be used with --group (the group assigns partitions)");
        }
        long maxMessages = args.longValue("max-messages", Long.MAX_VALUE, 1);
        long idleTimeoutMs = args.longValue("timeout-ms", -1, 0);
        List<TopicPartition> partitions = partitions(args, s, topic);
        Map<String, Object> settings = s.clientSettings();
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET, "from-beginning".equals(start) ? "earliest" : "latest");
        if (group != null) {
            settings.put(ConsumerConfig.GROUP_ID, group);
        }
        settings.putAll(args.pairs("consumer-property"));
        CountDownLatch closed = new CountDownLatch(1);
        long count = 0;
        try (Consumer<byte[], byte[]> consumer = env.clients().consumer(settings)) {
            env.onInterrupt().accept(() -> {
                consumer.wakeup();
                awaitQuietly(closed);
            });
            position(consumer, args, start, group, topic, partitions);
            count = loop(consumer, args, s, maxMessages, idleTimeoutMs);
        } finally {
            closed.countDown();
        }
        s.err.println("Processed a total of " + count + " message" + (count == 1 ? "" : "s") + ".");
        return OK;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<TopicPartition> partitions(Args args, Session s, String topic) throws Exception {
        int count = s.await(s.admin().describeTopics(List.of(topic))).get(topic).partitions().size();
        int only = args.intValue("partition", -1, 0);
        if (only >= count) {
            throw new UsageException("--partition " + only + " does not exist; topic " + topic + " has " + count);
        }
        List<TopicPartition> out = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            if (only < 0 || p == only) {
                out.add(new TopicPartition(topic, p));
            }
        }
        return out;
    }

    private static void position(Consumer<byte[], byte[]> consumer, Args args, String start, String group,
            String topic, List<TopicPartition> partitions) throws UsageException {
        long offset = args.longValue("offset", 0, 0);
        long timestamp = args.longValue("timestamp", 0, 0);
        if (group != null) {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                    // positions are committed by auto-commit
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                    seek(consumer, start, assigned, offset, timestamp);
                }
            });
            return;
        }
        consumer.assign(partitions);
        if (start == null) {
            consumer.seekToEnd(partitions);
        } else {
            seek(consumer, start, partitions, offset, timestamp);
        }
    }

    private static void seek(Consumer<byte[], byte[]> consumer, String start, Collection<TopicPartition> partitions,
            long offset, long timestamp) {
        if ("from-beginning".equals(start)) {
            consumer.seekToBeginning(partitions);
        } else if ("offset".equals(start)) {
            partitions.forEach(tp -> consumer.seek(tp, offset));
        } else if ("timestamp".equals(start)) {
            consumer.seekToTimestamp(partitions, timestamp);
        }
    }

    private long loop(Consumer<byte[], byte[]> consumer, Args args, Session s, long maxMessages, long idleTimeoutMs) {
        long count = 0;
        long idleSince = clock.monotonicMs();
        try {
            while (count < maxMessages) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    s.out.println(format(r, args));
                    idleSince = clock.monotonicMs();
                    if (++count >= maxMessages) {
                        break;
                    }
                }
                if (idleTimeoutMs >= 0 && clock.monotonicMs() - idleSince >= idleTimeoutMs) {
                    break;
                }
            }
        } catch (WakeupException stopped) {
            s.out.flush();
        }
        return count;
    }

    private static String format(ConsumerRecord<byte[], byte[]> r, Args args) {
        StringBuilder b = new StringBuilder();
        if (args.flag("print-timestamp")) {
            b.append(r.timestampType() == TimestampType.LOG_APPEND_TIME ? "LogAppendTime:" : "CreateTime:")
                    .append(r.timestamp()).append('\t');
        }
        if (args.flag("print-offsets")) {
            b.append("Partition:").append(r.partition()).append("\tOffset:").append(r.offset()).append('\t');
        }
        if (args.flag("print-key")) {
            b.append(text(r.key())).append(args.value("key-separator", "\t"));
        }
        return b.append(text(r.value())).toString();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
