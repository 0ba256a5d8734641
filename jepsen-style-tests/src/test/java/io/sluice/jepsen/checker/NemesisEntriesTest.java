package io.sluice.jepsen.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.history.NemesisOps;
import io.sluice.jepsen.history.Op;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import io.sluice.jepsen.testing.DocExamples;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nemesis entries are the report's timeline: checked for form, counted for nothing else. */
class NemesisEntriesTest {
    @TempDir
    Path dir;

    @Test
    void theDocumentedNemesisExampleChecksLikeTheSameHistoryWithoutIt() throws Exception {
        List<Op> withNemesis = DocExamples.history("Nemesis entries", dir);
        assertEquals(4, withNemesis.stream().filter(NemesisOps::isNemesis).count());
        List<Op> without = renumber(withNemesis.stream().filter(op -> !NemesisOps.isNemesis(op)).toList());
        CheckResult with = Checker.check(withNemesis);
        CheckResult plain = Checker.check(without);
        assertTrue(with.valid(), with.toJsonString());
        assertEquals(withNemesis.size(), with.summary().entries(), "entries counts every line");
        ObjectNode a = with.toJson();
        ObjectNode b = plain.toJson();
        ((ObjectNode) a.get("summary")).remove("entries");
        ((ObjectNode) b.get("summary")).remove("entries");
        assertEquals(b, a);
        assertTrue(!with.availability().byF().containsKey(NemesisOps.NEMESIS), "not an operation");
    }

    @Test
    void malformedNemesisEntriesAreRefused() {
        ObjectNode value = JsonNodeFactory.instance.objectNode().put("fault", "kill").put("action", "start");
        assertRefused(new Op(0, 0, NemesisOps.PROCESS, OpType.OK, NemesisOps.NEMESIS, value, null));
        assertRefused(new Op(0, 0, 3, OpType.INFO, NemesisOps.NEMESIS, value, null));
        assertRefused(new Op(0, 0, NemesisOps.PROCESS, OpType.INFO, NemesisOps.NEMESIS,
                JsonNodeFactory.instance.objectNode().put("fault", "kill"), null));
    }

    private static void assertRefused(Op op) {
        HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> Checker.check(List.of(op)));
        assertTrue(e.getMessage().contains("nemesis"), e.getMessage());
    }

    @Test
    void nemesisEntriesDoNotStretchTheAvailabilityWindow() {
        ObjectNode heal = JsonNodeFactory.instance.objectNode().put("id", 0).put("fault", "all").put("action", "heal");
        List<Op> ops = List.of(
                new Op(0, 1_000_000, 0, OpType.INVOKE, QueueOps.SEND, QueueOps.send("queue", 0, null, "v0"), null),
                new Op(1, 2_000_000, 0, OpType.OK, QueueOps.SEND, QueueOps.sendOk("queue", 0, null, "v0", 0), null),
                new Op(2, 9_000_000_000L, NemesisOps.PROCESS, OpType.INFO, NemesisOps.NEMESIS, heal, null));
        Availability availability = Checker.check(ops).availability();
        assertEquals(2, availability.longestNoSendMs(), "the window ends at the last client entry");
    }

    private static List<Op> renumber(List<Op> ops) {
        List<Op> renumbered = new ArrayList<>();
        for (Op op : ops) {
            renumbered.add(new Op(renumbered.size(), op.timeNs(), op.process(), op.type(), op.f(), op.value(),
                    op.error()));
        }
        return renumbered;
    }
}
