package io.sluice.jepsen.checker.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.checker.AnomalyKind;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.TopicPartition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.function.Function;

/**
 * Poll order per consumer process: poll-skip and nonmonotonic-poll. Replays each process's events
 * in history order, remembering per partition the last offset it read (and in which entry). Each
 * record read is compared with the one before it in the same partition, within a poll and across
 * polls: at or below it is nonmonotonic; above it with offsets known to exist in between is a skip.
 *
 * <p>The memory of a partition is dropped whenever the consumer's position may have moved for a
 * reason other than reading: a crash (all partitions), an assign (the partitions it no longer
 * holds, or all with {@code seekToBeginning} or an info outcome), a subscribe (all), a seek (its
 * partitions), a rebalance reported by a poll (the partitions revoked or assigned) and an info poll
 * (all: it may have consumed records nobody saw). Not thread-safe.
 */
public final class ConsumerChecks {
    private static final int MAX_SKIPPED_LISTED = 10;

    /** The last record a process read from a partition. */
    private record Last(long offset, long index) {
    }

    private static final class Consumer {
        private String mode = "none";
        private final Map<TopicPartition, Last> last = new HashMap<>();
    }

    private final Function<TopicPartition, NavigableSet<Long>> knownOffsets;
    private final Findings findings;
    private final Map<Integer, Consumer> consumers = new HashMap<>();

    /**
     * @param knownOffsets the offsets known to exist per partition (acknowledged or read by anyone)
     * @param findings     where to report
     */
    public ConsumerChecks(Function<TopicPartition, NavigableSet<Long>> knownOffsets, Findings findings) {
        this.knownOffsets = knownOffsets;
        this.findings = findings;
    }

    /** Replays the events of every process. */
    public void run(List<ClientEvent> events) {
        for (ClientEvent event : events) {
            if (event instanceof ClientEvent.Crash) {
                consumers.remove(event.process());
            } else if (event instanceof ClientEvent.Assigned assigned) {
                Consumer consumer = consumer(assigned.process());
                consumer.mode = "assign";
                if (assigned.outcome() == OpType.INFO || assigned.seekToBeginning()) {
                    consumer.last.clear();
                } else {
                    consumer.last.keySet().retainAll(assigned.partitions());
                }
            } else if (event instanceof ClientEvent.Subscribed subscribed) {
                Consumer consumer = consumer(subscribed.process());
                consumer.mode = "subscribe";
                consumer.last.clear();
            } else if (event instanceof ClientEvent.Sought sought) {
                consumer(sought.process()).last.keySet().removeAll(sought.partitions());
            } else if (event instanceof ClientEvent.Polled polled) {
                onPoll(polled);
            }
        }
    }

    private Consumer consumer(int process) {
        return consumers.computeIfAbsent(process, p -> new Consumer());
    }

    private void onPoll(ClientEvent.Polled polled) {
        Consumer consumer = consumer(polled.process());
        if (polled.outcome() != OpType.OK) {
            consumer.last.clear();
            return;
        }
        consumer.last.keySet().removeAll(polled.rebalanced());
        polled.records().forEach((partition, reads) -> {
            Last previous = consumer.last.get(partition);
            for (Read read : reads) {
                if (previous != null) {
                    compare(consumer, partition, previous, read);
                }
                previous = new Last(read.offset(), read.index());
            }
            if (previous != null) {
                consumer.last.put(partition, previous);
            }
        });
    }

    private void compare(Consumer consumer, TopicPartition partition, Last previous, Read read) {
        if (read.offset() <= previous.offset()) {
            findings.report(AnomalyKind.NONMONOTONIC_POLL, example(consumer, partition, previous, read));
            return;
        }
        NavigableSet<Long> skipped = knownOffsets.apply(partition).subSet(previous.offset(), false,
                read.offset(), false);
        if (!skipped.isEmpty()) {
            ObjectNode example = example(consumer, partition, previous, read);
            example.put("skippedCount", skipped.size());
            ArrayNode listed = example.putArray("skippedOffsets");
            skipped.stream().limit(MAX_SKIPPED_LISTED).forEach(listed::add);
            findings.report(AnomalyKind.POLL_SKIP, example);
        }
    }

    private static ObjectNode example(Consumer consumer, TopicPartition partition, Last previous, Read read) {
        ObjectNode example = Findings.example();
        example.put("process", read.process());
        example.put("mode", consumer.mode);
        example.put("partition", partition.toString());
        example.put("previousOffset", previous.offset());
        example.put("offset", read.offset());
        example.put("previousIndex", previous.index());
        example.put("index", read.index());
        return example;
    }
}
