package io.sluice.jepsen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.checker.AnomalyKind;
import io.sluice.jepsen.checker.Checker;
import io.sluice.jepsen.history.NemesisOps;
import io.sluice.jepsen.history.Op;
import io.sluice.jepsen.history.OpType;
import io.sluice.jepsen.history.QueueOps;
import io.sluice.jepsen.history.TopicPartition;
import io.sluice.jepsen.report.internal.Charts;
import io.sluice.jepsen.testing.DocExamples;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report renders recorded histories into one self-contained, well-formed page with its plots. */
class HtmlReportTest {
    private static final RunInfo RUN = new RunInfo(42, "bin/sluice chaos --nodes 3 --seed 42", 3, 10_000,
            List.of("kill", "partition"), "loopback", List.of("Fault 'delay' was skipped: no netem"), List.of(),
            List.of("n1/node.log"));

    @TempDir
    Path dir;

    /** The documented example with a kill and a partition around it, and a skipped delay. */
    private List<Op> exampleWithFaults() throws Exception {
        List<Op> ops = new ArrayList<>(DocExamples.history("Example", dir));
        long index = ops.size();
        ops.add(nemesis(index++, 1_500_000, 1, "kill", "start", null));
        ops.add(nemesis(index++, 2_500_000, 2, "partition", "start", null));
        ops.add(nemesis(index++, 5_500_000, 1, "kill", "heal", null));
        ops.add(nemesis(index++, 6_000_000, 3, "delay", "skip", "no netem"));
        ops.add(nemesis(index++, 9_500_000, 2, "partition", "heal", null));
        ops.add(nemesis(index, 9_600_000, 0, "all", "heal", null));
        return ops;
    }

    private static Op nemesis(long index, long timeNs, int id, String fault, String action, String error) {
        ObjectNode value = JsonNodeFactory.instance.objectNode().put("id", id).put("fault", fault)
                .put("action", action).put("target", "one");
        value.putArray("nodes").add(2);
        if (fault.equals("partition")) {
            value.putArray("cuts").addArray().add(1).add(2);
        }
        return new Op(index, timeNs, NemesisOps.PROCESS, OpType.INFO, NemesisOps.NEMESIS, value, error);
    }

    private static Document parse(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRecordedHistoryRendersToOneSelfContainedPageWithItsPlots() throws Exception {
        List<Op> ops = exampleWithFaults();
        String html = HtmlReport.render(new ReportInput(RUN, ops, Checker.check(ops)));
        Document page = parse(html);
        NodeList svgs = page.getElementsByTagName("svg");
        assertEquals(3, svgs.getLength(), "timeline, latency, throughput");
        assertEquals("fault timeline", ((Element) svgs.item(0)).getAttribute("aria-label"));

        List<String> titles = new ArrayList<>();
        NodeList titleNodes = ((Element) svgs.item(0)).getElementsByTagName("title");
        for (int i = 0; i < titleNodes.getLength(); i++) {
            titles.add(titleNodes.item(i).getTextContent());
        }
        assertEquals(3, titles.size(), titles.toString());
        assertTrue(titles.stream().anyMatch(t -> t.startsWith("#2 one [2] partition") && t.contains("cuts 1→2")),
                titles.toString());
        assertTrue(titles.stream().anyMatch(t -> t.contains("(skipped)") && t.contains("no netem")));

        // one point per completed operation: 2 sends, subscribe, 2 polls, assign (the crash ends nothing)
        NodeList latencyRects = ((Element) svgs.item(1)).getElementsByTagName("rect");
        long points = 0;
        for (int i = 0; i < latencyRects.getLength(); i++) {
            points += ((Element) latencyRects.item(i)).getAttribute("width").equals("2.2") ? 1 : 0;
        }
        assertEquals(6, points);
        assertTrue(((Element) svgs.item(2)).getElementsByTagName("polyline").getLength() >= 2);

        for (AnomalyKind kind : AnomalyKind.values()) {
            assertTrue(html.contains("<td>" + kind.wireName() + "</td>"), kind.wireName());
        }
        assertTrue(html.contains("seed 42") && html.contains(RUN.replayCommand()));
        assertTrue(html.contains("Valid: the checker found no anomaly") && html.contains("no netem"));
        assertTrue(html.contains("final heal"));
        for (String external : List.of("http:", "https:", "<script", "src=", "<link", "@import", "url(")) {
            assertFalse(html.contains(external), "nothing external: " + external);
        }
    }

    @Test
    void anInvalidRunShowsItsAnomalyAndProblems() throws Exception {
        List<Op> ops = new ArrayList<>();
        ops.add(new Op(0, 1_000_000, 0, OpType.INVOKE, QueueOps.SEND, QueueOps.send("queue", 0, null, "v1"), null));
        ops.add(new Op(1, 2_000_000, 0, OpType.OK, QueueOps.SEND, QueueOps.sendOk("queue", 0, null, "v1", 1), null));
        ops.add(new Op(2, 3_000_000, 0, OpType.INVOKE, QueueOps.SEND, QueueOps.send("queue", 0, null, "v2"), null));
        ops.add(new Op(3, 4_000_000, 0, OpType.OK, QueueOps.SEND, QueueOps.sendOk("queue", 0, null, "v2", 2), null));
        TreeMap<TopicPartition, List<QueueOps.Polled>> records = new TreeMap<>();
        records.put(new TopicPartition("queue", 0), List.of(new QueueOps.Polled(2, "v2")));
        ops.add(new Op(4, 5_000_000, 5, OpType.INVOKE, QueueOps.POLL, QueueOps.poll(false), null));
        ops.add(new Op(5, 6_000_000, 5, OpType.OK, QueueOps.POLL, QueueOps.pollOk(records, List.of(), false), null));
        RunInfo run = new RunInfo(7, "bin/sluice chaos --seed 7", 3, 5_000, List.of("kill"), "loopback", List.of(),
                List.of("node 2 exited on its own with code 1"), List.of());
        String html = HtmlReport.render(new ReportInput(run, ops, Checker.check(ops)));
        parse(html);
        assertTrue(html.contains("Invalid: lost-write (1)"), html);
        assertTrue(html.contains("&quot;value&quot;:&quot;v1&quot;"), "the example names the lost value");
        assertTrue(html.contains("node 2 exited on its own"));
        assertTrue(html.contains("No fault was injected."));
    }

    @Test
    void bigHistoriesAreThinnedAndSaySo() throws Exception {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            ops.add(new Op(2L * i, 1_000_000L * i, 0, OpType.INVOKE, "describe", null, null));
            ops.add(new Op(2L * i + 1, 1_000_000L * i + 500_000, 0, i % 1000 == 0 ? OpType.FAIL : OpType.OK,
                    "describe", null, null));
        }
        String html = HtmlReport.render(new ReportInput(RUN, ops, Checker.check(ops)));
        assertTrue(html.contains("Showing " + Charts.MAX_POINTS + " of 30000 operations")
                || html.contains("of 30000 operations"), "the caption says how many are drawn");
        long drawn = html.split("width=\"2.2\"", -1).length - 1;
        assertTrue(drawn <= Charts.MAX_POINTS + 1, "drawn " + drawn);
        assertTrue(drawn >= Charts.MAX_POINTS * 9 / 10, "drawn " + drawn);
    }
}
