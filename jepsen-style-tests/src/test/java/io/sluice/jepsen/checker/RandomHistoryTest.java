package io.sluice.jepsen.checker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.history.Op;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Histories of a simulated correct log ({@link QueueSimulation}) must be valid; the same with one
 * anomaly injected must be caught. Seeded: prints its seed, replays with {@code -Dsluice.seed=N}.
 */
class RandomHistoryTest {
    private static final long SEED = Long.getLong("sluice.seed", new Random().nextLong());
    private static final int ROUNDS = 15;
    private static final int STEPS = 250;

    @BeforeAll
    static void printSeed() {
        System.out.println("RandomHistoryTest seed " + SEED + " (replay with -Dsluice.seed=" + SEED + ")");
    }

    private static List<Op> simulate(long seed) {
        return new QueueSimulation(new Random(seed)).run(STEPS);
    }

    @Test
    void simulatedCorrectHistoriesAreValid() {
        for (int round = 0; round < ROUNDS; round++) {
            long seed = SEED + round;
            CheckResult result = Checker.check(simulate(seed));
            assertTrue(result.valid(), () -> "seed " + seed + " (replay with -Dsluice.seed=" + SEED + "): "
                    + result.toJsonString());
            assertTrue(result.summary().finalPolls() > 0);
        }
    }

    @ParameterizedTest
    @EnumSource(AnomalyKind.class)
    void oneInjectedAnomalyIsCaught(AnomalyKind kind) {
        for (int round = 0; round < ROUNDS; round++) {
            long seed = SEED + round;
            Random random = new Random(seed);
            List<Op> ops = new ArrayList<>(simulate(seed));
            inject(kind, ops, random);
            CheckResult result = Checker.check(ops);
            assertFalse(result.valid());
            assertTrue(result.found().contains(kind), () -> "seed " + seed + " (replay with -Dsluice.seed=" + SEED
                    + "): " + kind + " injected, found " + result.found());
        }
    }

    private static void inject(AnomalyKind kind, List<Op> ops, Random random) {
        switch (kind) {
            case LOST_WRITE -> dropAllReadsOf(ops, pick(random, okSendsBelowTheEnd(ops)).get("value").asText());
            case UNSEEN -> sendAtEnd(ops, 50, "injected", 1_000_000);
            case DUPLICATE -> editPoll(ops, random, 1, list -> {
                long beyond = list.get(list.size() - 1).get(0).asLong() + 1000;
                list.addArray().add(beyond).add(list.get(0).get(1));
            });
            case INCONSISTENT_OFFSETS -> {
                // A second value at an offset is only detectable where the first is known from
                // elsewhere: overwrite a record whose value was acknowledged (at that offset).
                Set<String> acknowledged = acknowledgedValues(ops);
                editPoll(ops, random, list -> list.size() >= 2 && acknowledged.contains(list.get(1).get(1).asText()),
                        list -> ((ArrayNode) list.get(1)).set(1, list.get(0).get(1)));
            }
            case ABORTED_READ -> failTheSendOf(ops, pick(random, readValues(ops)));
            case PHANTOM_READ -> editPoll(ops, random, 1, list -> ((ArrayNode) list.get(0)).set(1, "never-sent"));
            case POLL_SKIP -> {
                // Only a skip over an offset known to exist is detectable: remove an acknowledged record.
                Set<String> acknowledged = acknowledgedValues(ops);
                editPoll(ops, random, list -> list.size() >= 3 && acknowledged.contains(list.get(1).get(1).asText()),
                        list -> list.remove(1));
            }
            case NONMONOTONIC_POLL -> editPoll(ops, random, 2, list -> list.insert(0, list.remove(1)));
            case NONMONOTONIC_SEND -> {
                sendAtEnd(ops, 50, "later-but-higher", 1_000_001);
                sendAtEnd(ops, 50, "earlier-but-lower", 1_000_000);
            }
            default -> throw new IllegalArgumentException("no injection for " + kind);
        }
    }

    private static <T> T pick(Random random, List<T> candidates) {
        assertFalse(candidates.isEmpty(), "the simulation gave nothing to inject into");
        return candidates.get(random.nextInt(candidates.size()));
    }

    private static Op replace(Op op, OpType type, JsonNode value) {
        return new Op(op.index(), op.timeNs(), op.process(), type, op.f(), value, op.error());
    }

    private static boolean isOk(Op op, String f) {
        return op.type() == OpType.OK && op.f().equals(f);
    }

    /** Ok send values whose partition holds a higher offset (which the final reads read). */
    private static List<JsonNode> okSendsBelowTheEnd(List<Op> ops) {
        Map<String, Long> highest = new HashMap<>();
        ops.stream().filter(op -> isOk(op, QueueOps.SEND)).forEach(op -> highest.merge(
                op.value().get("partition").asText(), op.value().get("offset").asLong(), Math::max));
        return ops.stream().filter(op -> isOk(op, QueueOps.SEND)).map(Op::value)
                .filter(v -> v.get("offset").asLong() < highest.get(v.get("partition").asText())).toList();
    }

    private static List<String> readValues(List<Op> ops) {
        List<String> values = new ArrayList<>();
        ops.stream().filter(op -> isOk(op, QueueOps.POLL)).forEach(op -> op.value().get("records")
                .forEach(list -> list.forEach(pair -> values.add(pair.get(1).asText()))));
        return values;
    }

    private static void dropAllReadsOf(List<Op> ops, String value) {
        for (int i = 0; i < ops.size(); i++) {
            if (isOk(ops.get(i), QueueOps.POLL)) {
                ObjectNode edited = ops.get(i).value().deepCopy();
                edited.get("records").forEach(list -> {
                    for (int j = list.size() - 1; j >= 0; j--) {
                        if (list.get(j).get(1).asText().equals(value)) {
                            ((ArrayNode) list).remove(j);
                        }
                    }
                });
                ops.set(i, replace(ops.get(i), OpType.OK, edited));
            }
        }
    }

    private static void failTheSendOf(List<Op> ops, String value) {
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (op.f().equals(QueueOps.SEND) && op.isCompletion() && op.value().get("value").asText().equals(value)) {
                ops.set(i, replace(op, OpType.FAIL, QueueOps.send(HistoryBuilder.TOPIC, null, null, value)));
            }
        }
    }

    /** Appends an acknowledged send of process 50 to partition 0. */
    private static void sendAtEnd(List<Op> ops, int process, String value, long offset) {
        Op last = ops.get(ops.size() - 1);
        ops.add(new Op(last.index() + 1, last.timeNs() + 1, process, OpType.INVOKE, QueueOps.SEND,
                QueueOps.send(HistoryBuilder.TOPIC, 0, null, value), null));
        ops.add(new Op(last.index() + 2, last.timeNs() + 2, process, OpType.OK, QueueOps.SEND,
                QueueOps.sendOk(HistoryBuilder.TOPIC, 0, null, value, offset), null));
    }

    private static Set<String> acknowledgedValues(List<Op> ops) {
        Set<String> values = new HashSet<>();
        ops.stream().filter(op -> isOk(op, QueueOps.SEND)).forEach(op -> values.add(op.value().get("value").asText()));
        return values;
    }

    /** Edits one partition's records of a random ok poll that returned at least this many there. */
    private static void editPoll(List<Op> ops, Random random, int atLeast, Consumer<ArrayNode> edit) {
        editPoll(ops, random, list -> list.size() >= atLeast, edit);
    }

    /** Edits one partition's records, chosen among those the filter accepts, of a random ok poll. */
    private static void editPoll(List<Op> ops, Random random, Predicate<JsonNode> eligible, Consumer<ArrayNode> edit) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (isOk(ops.get(i), QueueOps.POLL)) {
                for (JsonNode list : ops.get(i).value().get("records")) {
                    if (eligible.test(list)) {
                        candidates.add(i);
                        break;
                    }
                }
            }
        }
        int index = pick(random, candidates);
        ObjectNode edited = ops.get(index).value().deepCopy();
        List<ArrayNode> lists = new ArrayList<>();
        edited.get("records").forEach(list -> {
            if (eligible.test(list)) {
                lists.add((ArrayNode) list);
            }
        });
        edit.accept(pick(random, lists));
        ops.set(index, replace(ops.get(index), OpType.OK, edited));
    }
}
