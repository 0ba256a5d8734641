package io.sluice.metastore.bench;

import io.sluice.common.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The metadata quorum benchmark: three {@link BenchNode} processes on 127.0.0.1, each a voter with its
 * own data directory, driven from this process. It measures offset commits submitted on the leader
 * (closed loop at a fixed concurrency, and open loop at a fixed rate), topic creation through the
 * controller, the time from SIGKILL of the leader to the next committed command, and, with 100,000
 * partitions of metadata, the snapshot's size and times, the image's heap, and failover again. It
 * prints a Markdown report and writes it to {@code work/report.md}.
 *
 * <p>Arguments ({@code key=value}, all optional): {@code work} (directory, emptied first),
 * {@code warmup}, {@code total} and {@code concurrency} (closed loop), {@code warmupSeconds} (an open
 * loop at {@code rate} run before the measurements and discarded, default 120), {@code single} (commits one at a
 * time), {@code rate}, {@code seconds} and {@code tickUs} (open loop: see {@link Workloads}),
 * {@code topicsOneByOne} and {@code topicsConcurrent} (topic creations), {@code totalLarge} (commits with
 * the large state), {@code kills} (failovers per phase), {@code partitions} (0 skips the large-state phase),
 * {@code election} (ms min:max), {@code inflight} and {@code batch} (group commit; {@code batch=0}
 * turns coalescing off), {@code heap} (node -Xmx), {@code gc} (the nodes' collector: G1, the
 * default, Z, Parallel or Serial), {@code jvm} (extra node JVM flags separated by spaces; {@code {id}}
 * becomes the node's id). Each node's GC log is {@code work/node-N-gc.log}. Run through
 * {@code bench/metadata-quorum.sh}.
 */
public final class MetadataBench {
    private final BenchNode.Args args;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final Report report;

    private MetadataBench(BenchNode.Args args, Report report) {
        this.args = args;
        this.report = report;
    }

    public static void main(String[] argv) throws Exception {
        BenchNode.Args a = BenchNode.Args.parse(argv, 0);
        Path work = Path.of(a.text("work", "target/metadata-bench"));
        deleteRecursively(work);
        Files.createDirectories(work);
        Report report = new Report(work.resolve("report.md"));
        MetadataBench bench = new MetadataBench(a, report);
        try {
            bench.run(work);
        } finally {
            bench.closeAll();
            report.machine("at the end");
        }
        System.exit(0);
    }

    private void run(Path work) throws Exception {
        report.header(String.join(" ", args.values().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .sorted().toList()));
        startNodes(work);
        NodeProcess leader = awaitLeader();
        leader.request("setup brokers=3 partitions=1000");
        int concurrency = args.integer("concurrency", 300);
        int rate = args.integer("rate", 5000);
        String tick = " tickUs=" + args.integer("tickUs", 0);
        leader.request("commits mode=closed total=" + args.integer("warmup", 20_000) + " concurrency=" + concurrency);
        // Discarded: the JIT compiles Raft's per-entry path only after thousands of entries, and a
        // closed loop at high concurrency writes few, large ones. Without this the rows below measure
        // an interpreted Ratis (a lone commit p50 ~20 ms instead of ~10 on this box).
        int warmupSeconds = args.integer("warmupSeconds", 120);
        if (warmupSeconds > 0) {
            leader.request("commits mode=open rate=" + rate + " seconds=" + warmupSeconds + tick);
        }
        report.row("offset commits, closed loop, " + concurrency + " outstanding", leader.request(
                "commits mode=closed total=" + args.integer("total", 100_000) + " concurrency=" + concurrency));
        optionalRow(leader, "offset commits, closed loop, 1 outstanding", "single", 300,
                n -> "commits mode=closed total=" + n + " concurrency=1");
        int openSeconds = args.integer("seconds", 20);
        long[] cpuBefore = nodes.stream().mapToLong(NodeProcess::cpuMs).toArray();
        optionalRow(leader, "offset commits, open loop, " + rate + "/s offered", "seconds", 20,
                n -> "commits mode=open rate=" + rate + " seconds=" + n + tick);
        if (openSeconds > 0) {
            cpuRow("CPU of the three nodes in the open loop (the leader runs the load generator)", cpuBefore,
                    (long) rate * openSeconds);
        }
        optionalRow(leader, "topic creation (1 partition, RF 3), 1 request at a time", "topicsOneByOne", 300,
                n -> "topics count=" + n + " concurrency=1 prefix=seq");
        optionalRow(leader, "topic creation (1 partition, RF 3), 32 requests outstanding", "topicsConcurrent", 2000,
                n -> "topics count=" + n + " concurrency=32 prefix=par");
        failovers("small state");
        int partitions = args.integer("partitions", 100_000);
        if (partitions > 0) {
            leader = awaitLeader();
            report.row("create " + partitions + " partitions (1000 per topic, RF 3, 4 requests outstanding)",
                    leader.request("bulk partitions=" + partitions + " perTopic=1000 rf=3 concurrency=4"));
            report.row("leader heap after GC with that state", leader.request("heap"));
            report.row("snapshot on the leader", leader.request("snapshot"));
            report.row("offset commits with that state, closed loop, " + concurrency + " outstanding",
                    leader.request("commits mode=closed total=" + args.integer("totalLarge", 20_000) + " concurrency="
                            + concurrency));
            failovers(partitions + " partitions");
        }
    }

    /** Reports each node's CPU since {@code before} (ms per node, in start order), and per command. */
    private void cpuRow(String what, long[] before, long commands) {
        StringBuilder b = new StringBuilder();
        long total = 0;
        for (int i = 0; i < nodes.size(); i++) {
            long ms = nodes.get(i).cpuMs() - before[i];
            total += ms;
            b.append("node").append(i + 1).append('=').append(String.format("%.1fs", ms / 1000.0)).append(' ');
        }
        report.row(what, b.append(String.format("total=%.1fs perCommand=%.0fus", total / 1000.0,
                commands == 0 ? 0.0 : total * 1000.0 / commands)).toString());
    }

    /** Runs the request {@code request.apply(n)} and reports it, unless argument {@code key} is 0. */
    private void optionalRow(NodeProcess leader, String what, String key, int fallback,
            IntFunction<String> request) throws IOException {
        int n = args.integer(key, fallback);
        if (n > 0) {
            report.row(what, leader.request(request.apply(n)));
        }
    }

    private void startNodes(Path work) throws IOException {
        StringBuilder voters = new StringBuilder();
        int[] ports = LoopbackPorts.free(6);
        for (int id = 1; id <= 3; id++) {
            voters.append(id > 1 ? "," : "").append(id).append("@127.0.0.1:").append(ports[2 * id - 2]).append(':')
                    .append(ports[2 * id - 1]);
        }
        for (int id = 1; id <= 3; id++) {
            List<String> nodeArgs = List.of("id=" + id, "data=" + work.resolve("node-" + id).toAbsolutePath(),
                    "voters=" + voters, "election=" + args.text("election", "500:1000"),
                    "snapshot=" + args.integer("snapshot", 10_000), "inflight=" + args.integer("inflight", 4),
                    "batch=" + args.integer("batch", 256 * 1024));
            List<String> jvm = new ArrayList<>(List.of("-Xmx" + args.text("heap", "2g"),
                    "-XX:+Use" + args.text("gc", "G1") + "GC",
                    "-Xlog:gc,gc+cpu:file=" + work.resolve("node-" + id + "-gc.log").toAbsolutePath()));
            String extra = args.text("jvm", "").replace("{id}", String.valueOf(id)).trim();
            if (!extra.isEmpty()) {
                jvm.addAll(List.of(extra.split("\\s+")));
            }
            NodeProcess n = new NodeProcess(id, nodeArgs, jvm, work.resolve("node-" + id + ".log"));
            n.start();
            nodes.add(n);
        }
    }

    /** The node that leads with an active controller, polling every 20 ms for up to 300 s (a loaded box). */
    private NodeProcess awaitLeader() throws Exception {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (NodeProcess n : nodes) {
                if (n.alive() && "true".equals(n.request("status").get("active"))) {
                    return n;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no leader within 300 s");
    }

    /**
     * Kills the leader with SIGKILL {@code kills} times; after each kill the survivors commit until one
     * commit succeeds (the first answer counts), then the killed node restarts from its data and
     * catches up before the next round.
     */
    private void failovers(String phase) throws Exception {
        for (int k = 0; k < args.integer("kills", 3); k++) {
            NodeProcess leader = awaitLeader();
            long start = System.nanoTime();
            leader.kill();
            List<CompletableFuture<String>> probes = new ArrayList<>();
            for (NodeProcess n : nodes) {
                if (n != leader) {
                    probes.add(CompletableFuture.supplyAsync(() -> probe(n, leader.id(), start)));
                }
            }
            String first = (String) CompletableFuture.anyOf(probes.toArray(new CompletableFuture<?>[0])).join();
            CompletableFuture.allOf(probes.toArray(new CompletableFuture<?>[0])).join();
            report.row("SIGKILL of leader " + leader.id() + " (" + phase + ") → next committed command", first);
            long restart = System.nanoTime();
            leader.start();
            long target = Long.parseLong(awaitLeader().request("status").get("applied"));
            while (Long.parseLong(leader.request("status").get("applied")) < target) {
                Thread.sleep(20);
            }
            report.row("restart of node " + leader.id() + " until it applied the leader's index",
                    "ms=" + (System.nanoTime() - restart) / 1_000_000);
        }
    }

    private static String probe(NodeProcess n, int old, long killedAt) {
        try {
            Map<String, String> r = n.request("probe old=" + old);
            return "failoverMs=" + (System.nanoTime() - killedAt) / 1_000_000 + " via=node-" + n.id() + " electedMs~"
                    + r.get("electedMs") + " attempts=" + r.get("attempts") + " newLeader=" + r.get("leader");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void closeAll() throws InterruptedException {
        for (NodeProcess n : nodes) {
            n.close();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
