package io.sluice.jepsen.e2e;

import io.sluice.client.common.Serdes;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.Consumer;
import io.sluice.client.consumer.ConsumerRebalanceListener;
import io.sluice.client.consumer.ConsumerRecord;
import io.sluice.client.consumer.SluiceConsumer;
import io.sluice.client.errors.WakeupException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A consumer-group member as an application writes one: subscribe, poll, process each record,
 * {@code commitSync()} after each poll (so everything committed was processed first). It runs on
 * a thread of the test ({@link #start}) or as a child JVM ({@link #main}), where it prints what it
 * does as lines the test parses: {@code @@ASSIGNED p,p}, {@code @@REVOKED p,p},
 * {@code @@RECORD p offset value} and {@code @@ERROR ...}; the test SIGKILLs such a child to crash a
 * member without it leaving the group.
 */
final class GroupMember implements AutoCloseable {
    /** What a member saw: the records it processed, its rebalance callbacks and its errors. */
    interface Sink {
        void assigned(Collection<TopicPartition> partitions);

        void revoked(Collection<TopicPartition> partitions);

        void record(ConsumerRecord<String, String> record);

        void error(Exception e);
    }

    /** A sink that keeps everything, for members on the test's threads. Thread-safe. */
    static final class Recorder implements Sink {
        final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Exception> errors = new CopyOnWriteArrayList<>();
        final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();

        @Override
        public void assigned(Collection<TopicPartition> partitions) {
            events.add("assigned " + partitions(partitions));
            owned.addAll(partitions);
        }

        @Override
        public void revoked(Collection<TopicPartition> partitions) {
            events.add("revoked " + partitions(partitions));
            owned.removeAll(partitions);
        }

        @Override
        public void record(ConsumerRecord<String, String> record) {
            records.add(record);
        }

        @Override
        public void error(Exception e) {
            errors.add(e);
        }
    }

    private final Consumer<String, String> consumer;
    private final Sink sink;
    private final Thread thread;
    private volatile boolean running = true;

    private GroupMember(Map<String, Object> settings, String topic, Sink sink, String name) {
        this.consumer = new SluiceConsumer<>(settings, Serdes.stringDeserializer(), Serdes.stringDeserializer());
        this.sink = sink;
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                sink.revoked(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                sink.assigned(partitions);
            }
        });
        this.thread = new Thread(this::run, name);
    }

    /** The settings of a member: manual commits, reading from the start where nothing is committed. */
    static Map<String, Object> settings(String bootstrap, String group, String instanceId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("group.id", group);
        settings.put("enable.auto.commit", "false");
        settings.put("auto.offset.reset", "earliest");
        settings.put("max.poll.records", "200");
        settings.put("default.api.timeout.ms", "30000");
        settings.put("request.timeout.ms", "10000");
        if (instanceId != null) {
            settings.put("group.instance.id", instanceId);
        }
        return settings;
    }

    /** Starts a member on a thread of its own. */
    static GroupMember start(Map<String, Object> settings, String topic, Sink sink, String name) {
        GroupMember member = new GroupMember(settings, topic, sink, name);
        member.thread.start();
        return member;
    }

    private void run() {
        while (running) {
            try {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    sink.record(r);
                }
                consumer.commitSync();
            } catch (WakeupException stopping) {
                return;
            } catch (Exception e) {
                sink.error(e);
            }
        }
    }

    /** Stops the loop and closes the consumer (committing, leaving the group). */
    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(60_000);
        consumer.close(Duration.ofSeconds(30));
    }

    static String partitions(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new))
                .stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** A member in a child JVM: {@code GroupMember <bootstrap> <group> <topic> [<instance id>]}. */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Sink printer = new Sink() {
            @Override
            public void assigned(Collection<TopicPartition> partitions) {
                out.println("@@ASSIGNED " + partitions(partitions));
            }

            @Override
            public void revoked(Collection<TopicPartition> partitions) {
                out.println("@@REVOKED " + partitions(partitions));
            }

            @Override
            public void record(ConsumerRecord<String, String> record) {
                out.println("@@RECORD " + record.partition() + " " + record.offset() + " " + record.value());
            }

            @Override
            public void error(Exception e) {
                out.println("@@ERROR " + e);
            }
        };
        GroupMember member = new GroupMember(settings(args[0], args[1], args.length > 3 ? args[3] : null), args[2],
                printer, "member");
        member.run();
    }
}
