package io.sluice.jepsen.checker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.jepsen.checker.HistoryFormatException;
import io.sluice.jepsen.history.NemesisOps;
import io.sluice.jepsen.history.Op;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import io.sluice.jepsen.history.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns a list of history entries into a {@link ParsedHistory}. Not thread-safe; one use per instance.
 *
 * <p>Pairing follows Jepsen: a process has at most one operation outstanding, so a completion
 * belongs to its process's pending invocation, which must have the same {@code f}. A {@code crash}
 * entry (any type) ends the process's pending operation as info; so does the end of the history.
 * Nemesis entries ({@link NemesisOps}) must be well formed and are otherwise skipped: they neither
 * pair with client operations nor move the history's end.
 * Anything else that breaks the format is a {@link HistoryFormatException} naming the entry.
 */
public final class HistoryParser {
    private final Map<Integer, Op> pending = new HashMap<>();
    private final List<Send> sends = new ArrayList<>();
    private final Map<String, Send> sendByValue = new HashMap<>();
    private final Map<String, Long> invokedValues = new HashMap<>();
    private final List<Read> reads = new ArrayList<>();
    private final List<ClientEvent> events = new ArrayList<>();
    private final List<ParsedHistory.Completion> completions = new ArrayList<>();
    private int finalPolls;
    private long endNs;

    private HistoryParser() {
    }

    /** Parses a history, refusing one that breaks the format. */
    public static ParsedHistory parse(List<Op> ops) {
        return new HistoryParser().run(ops);
    }

    private ParsedHistory run(List<Op> ops) {
        long lastIndex = -1;
        for (Op op : ops) {
            if (op.index() <= lastIndex) {
                throw new HistoryFormatException("entry " + op.index() + " follows entry " + lastIndex
                        + ": indices must increase");
            }
            lastIndex = op.index();
            if (NemesisOps.isNemesis(op)) {
                requireWellFormedNemesis(op);
                continue;
            }
            endNs = Math.max(endNs, op.timeNs());
            accept(op);
        }
        List<Op> unfinished = new ArrayList<>(pending.values());
        unfinished.sort(Comparator.comparingLong(Op::index));
        for (Op invoke : unfinished) {
            complete(invoke, null, invoke.index(), endNs);
        }
        sends.sort(Comparator.comparingLong(Send::invokeIndex));
        return new ParsedHistory(ops.size(), List.copyOf(sends), Map.copyOf(sendByValue), List.copyOf(reads),
                List.copyOf(events), List.copyOf(completions), finalPolls, endNs);
    }

    /** Nemesis entries are the report's timeline: checked for form, counted for nothing. */
    private static void requireWellFormedNemesis(Op op) {
        String problem = NemesisOps.problem(op);
        if (problem != null) {
            throw format(op, problem);
        }
    }

    private void accept(Op op) {
        if (op.f().equals(QueueOps.CRASH)) {
            Op invoke = pending.remove(op.process());
            if (invoke != null) {
                complete(invoke, null, op.index(), op.timeNs());
            }
            events.add(new ClientEvent.Crash(op.process(), op.index()));
        } else if (op.type() == OpType.INVOKE) {
            Op outstanding = pending.putIfAbsent(op.process(), op);
            if (outstanding != null) {
                throw new HistoryFormatException("entry " + op.index() + ": process " + op.process()
                        + " invokes while entry " + outstanding.index() + " is outstanding");
            }
            if (op.f().equals(QueueOps.SEND)) {
                String value = text(op, op.value(), "value");
                Long earlier = invokedValues.putIfAbsent(value, op.index());
                if (earlier != null) {
                    throw new HistoryFormatException("entry " + op.index() + ": value '" + value
                            + "' was already sent by entry " + earlier + "; values must be unique");
                }
            }
        } else {
            Op invoke = pending.remove(op.process());
            if (invoke == null || !invoke.f().equals(op.f())) {
                throw new HistoryFormatException("entry " + op.index() + ": " + op.type() + " " + op.f()
                        + " of process " + op.process() + " completes no pending " + op.f());
            }
            complete(invoke, op, op.index(), op.timeNs());
        }
    }

    /** Records an operation's outcome; completion null means it never completed (info). */
    private void complete(Op invoke, Op completion, long index, long timeNs) {
        OpType outcome = completion == null ? OpType.INFO : completion.type();
        completions.add(new ParsedHistory.Completion(invoke.f(), outcome, timeNs));
        JsonNode result = completion == null ? invoke.value() : completion.value();
        int process = invoke.process();
        switch (invoke.f()) {
            case QueueOps.SEND -> completeSend(invoke, completion, outcome, index, timeNs);
            case QueueOps.POLL -> completePoll(invoke, completion, outcome, index);
            case QueueOps.ASSIGN -> {
                if (outcome != OpType.FAIL) {
                    events.add(new ClientEvent.Assigned(process, index, outcome,
                            partitions(invoke, invoke.value(), "partitions"),
                            invoke.value().path("seekToBeginning").asBoolean(false)
                                    || result.path("seekToBeginning").asBoolean(false)));
                }
            }
            case QueueOps.SUBSCRIBE -> {
                if (outcome != OpType.FAIL) {
                    events.add(new ClientEvent.Subscribed(process, index, outcome));
                }
            }
            case QueueOps.SEEK -> {
                if (outcome != OpType.FAIL) {
                    events.add(new ClientEvent.Sought(process, index, outcome,
                            partitions(invoke, invoke.value(), "partitions")));
                }
            }
            default -> {
                // commit and operations the checker does not interpret count only for availability
            }
        }
    }

    private void completeSend(Op invoke, Op completion, OpType outcome, long index, long timeNs) {
        String value = text(invoke, invoke.value(), "value");
        TopicPartition partition = null;
        long offset = -1;
        if (outcome == OpType.OK) {
            JsonNode result = completion.value();
            String topic = result.hasNonNull("topic") ? text(completion, result, "topic")
                    : text(invoke, invoke.value(), "topic");
            partition = new TopicPartition(topic, (int) number(completion, result, "partition"));
            offset = number(completion, result, "offset");
        }
        Send send = new Send(value, invoke.process(), invoke.index(), index, outcome, partition, offset, timeNs);
        sends.add(send);
        sendByValue.put(value, send);
        events.add(new ClientEvent.Sent(send));
    }

    private void completePoll(Op invoke, Op completion, OpType outcome, long index) {
        boolean isFinal = invoke.value().path("final").asBoolean(false);
        if (outcome == OpType.FAIL) {
            return;
        }
        SortedMap<TopicPartition, List<Read>> records = new TreeMap<>();
        Set<TopicPartition> rebalanced = new LinkedHashSet<>();
        if (outcome == OpType.OK) {
            JsonNode result = completion.value();
            isFinal = isFinal || result.path("final").asBoolean(false);
            readRecords(completion, result.path("records"), records);
            for (JsonNode event : result.path("rebalances")) {
                rebalanced.addAll(partitions(completion, event, "revoked"));
                rebalanced.addAll(partitions(completion, event, "assigned"));
            }
            records.values().forEach(reads::addAll);
            if (isFinal) {
                finalPolls++;
            }
        }
        events.add(new ClientEvent.Polled(invoke.process(), index, outcome, records, rebalanced, isFinal));
    }

    private static void readRecords(Op op, JsonNode records, Map<TopicPartition, List<Read>> into) {
        if (records.isMissingNode() || records.isNull()) {
            return;
        }
        if (!records.isObject()) {
            throw format(op, "'records' must map topic-partitions to [offset, value] pairs");
        }
        for (Map.Entry<String, JsonNode> entry : records.properties()) {
            TopicPartition partition = topicPartition(op, entry.getKey());
            if (!entry.getValue().isArray()) {
                throw format(op, "records of " + partition + " must be an array");
            }
            List<Read> polled = new ArrayList<>();
            for (JsonNode pair : entry.getValue()) {
                boolean wellFormed = pair.isArray() && pair.size() == 2 && pair.get(0).isIntegralNumber()
                        && pair.get(0).asLong() >= 0 && pair.get(1).isValueNode() && !pair.get(1).isNull();
                if (!wellFormed) {
                    throw format(op, "record " + pair + " of " + partition + " is not [offset, value]");
                }
                polled.add(new Read(pair.get(1).asText(), partition, pair.get(0).asLong(), op.process(),
                        op.index()));
            }
            into.put(partition, polled);
        }
    }

    private static Set<TopicPartition> partitions(Op op, JsonNode node, String field) {
        JsonNode names = node.path(field);
        if (!names.isArray()) {
            throw format(op, "'" + field + "' must be an array of topic-partitions");
        }
        Set<TopicPartition> partitions = new LinkedHashSet<>();
        names.forEach(name -> partitions.add(topicPartition(op, name.asText())));
        return partitions;
    }

    private static TopicPartition topicPartition(Op op, String text) {
        try {
            return TopicPartition.parse(text);
        } catch (IllegalArgumentException e) {
            throw new HistoryFormatException("entry " + op.index() + ": " + e.getMessage(), e);
        }
    }

    private static String text(Op op, JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isValueNode() || value.isNull() || value.asText().isEmpty()) {
            throw format(op, op.f() + " lacks '" + field + "'");
        }
        return value.asText();
    }

    private static long number(Op op, JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isIntegralNumber() || value.asLong() < 0) {
            throw format(op, "ok " + op.f() + " lacks a non-negative '" + field + "'");
        }
        return value.asLong();
    }

    private static HistoryFormatException format(Op op, String message) {
        return new HistoryFormatException("entry " + op.index() + ": " + message);
    }
}
