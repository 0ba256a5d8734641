package io.sluice.metastore.bench;

import io.sluice.common.SystemClock;
import io.sluice.metastore.AsyncStages;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.MetadataNode;
import io.sluice.metastore.MetadataNodeConfig;
import io.sluice.metastore.QuorumInfo;
import io.sluice.metastore.QuorumPeer;
import io.sluice.metastore.controller.ControllerConfig;
import io.sluice.metastore.internal.Endpoints;
import io.sluice.metastore.internal.InvariantChecker;
import io.sluice.metastore.internal.SnapshotFiles;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One metadata quorum member in its own process, driven line by line over stdin by
 * {@link MetadataBench}: each request line ({@code command key=value ...}) gets exactly one answer
 * line on stdout, {@code @@OK key=value ...} or {@code @@ERR reason}; logs go to stderr. Commands:
 * {@code status}, {@code setup}, {@code commits}, {@code topics}, {@code bulk}, {@code probe}
 * (see {@link Workloads}), {@code snapshot}, {@code heap}, {@code exit}. One request at a time.
 *
 * <p>Arguments: {@code id=N data=DIR voters=1@host:raftPort:clientPort,... election=minMs:maxMs
 * snapshot=entries inflight=K batch=bytes}.
 */
public final class BenchNode {
    private final MetadataNode node;
    private final Path dataDir;
    private final Workloads workloads;

    private BenchNode(MetadataNode node, Path dataDir) {
        this.node = node;
        this.dataDir = dataDir;
        this.workloads = new Workloads(node);
    }

    /** Starts the node and serves requests until {@code exit} or the end of stdin. */
    public static void main(String[] args) throws Exception {
        AsyncStages.usePooledThreads();
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Args a = Args.parse(args, 0);
        Path data = Path.of(a.text("data"));
        int id = a.integer("id", -1);
        List<QuorumPeer> voters = voters(a.text("voters"));
        QuorumPeer me = voters.stream().filter(v -> v.nodeId() == id).findFirst().orElseThrow();
        String[] election = a.text("election", "500:1000").split(":");
        MetadataNodeConfig config = MetadataNodeConfig.builder().nodeId(id).voters(voters).dataDir(data)
                .raftEndpoint(me.raftEndpoint()).clientEndpoint(me.clientEndpoint())
                .electionTimeoutMs(Long.parseLong(election[0]), Long.parseLong(election[1]))
                .snapshotThreshold(a.integer("snapshot", 10_000)).requestTimeoutMs(a.integer("timeoutMs", 30_000))
                .groupCommit(a.integer("inflight", 4), a.integer("batch", 256 * 1024))
                .controller(ControllerConfig.defaults().withSessionTimeoutMs(24 * 3_600_000L)).build();
        MetadataNode node = MetadataNode.start(config, SystemClock.INSTANCE);
        new BenchNode(node, data).serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                protocol);
    }

    /** {@code 1@host:raftPort:clientPort,...}. */
    static List<QuorumPeer> voters(String spec) {
        List<QuorumPeer> out = new ArrayList<>();
        for (String v : spec.split(",")) {
            String[] idAndRest = v.split("@");
            String[] parts = idAndRest[1].split(":");
            out.add(new QuorumPeer(Integer.parseInt(idAndRest[0]), Endpoints.of(parts[0], Integer.parseInt(parts[1])),
                    Endpoints.of(parts[0], Integer.parseInt(parts[2]))));
        }
        return out;
    }

    private void serve(BufferedReader in, PrintStream protocol) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("exit")) {
                break;
            }
            try {
                protocol.println("@@OK " + handle(words[0], Args.parse(words, 1)));
            } catch (Exception | AssertionError e) {
                e.printStackTrace(System.err);
                protocol.println("@@ERR " + String.valueOf(e).replace('\n', ' '));
            }
        }
        node.close();
        protocol.println("@@OK closed");
        System.exit(0);
    }

    private String handle(String command, Args a) throws Exception {
        return switch (command) {
            case "status" -> status();
            case "setup" -> workloads.setup(a);
            case "commits" -> workloads.commits(a);
            case "topics" -> workloads.topics(a);
            case "bulk" -> workloads.bulk(a);
            case "probe" -> workloads.probe(a);
            case "snapshot" -> snapshot();
            case "heap" -> "usedBytes=" + usedHeapAfterGc();
            default -> throw new IllegalArgumentException("unknown command " + command);
        };
    }

    private String status() {
        QuorumInfo q = node.metaStore().quorumInfo();
        boolean active = node.controller() != null && node.controller().isActive();
        MetadataImage image = node.metaStore().image();
        return "leader=" + q.leaderId() + " active=" + (active && q.leaderId() == node.nodeId()) + " term=" + q.term()
                + " applied=" + image.lastAppliedIndex() + " partitions=" + image.partitionCount() + " pid="
                + ProcessHandle.current().pid();
    }

    /**
     * Takes a snapshot now and reports its time and size, then the time to load it (read, CRC, decode,
     * every invariant) and the heap a loaded image retains.
     */
    private String snapshot() throws IOException {
        long t0 = System.nanoTime();
        long index = node.takeSnapshot();
        long writeMs = (System.nanoTime() - t0) / 1_000_000;
        Path file = newestSnapshot();
        long before = usedHeapAfterGc();
        long t1 = System.nanoTime();
        MetadataImage loaded = SnapshotFiles.read(file);
        InvariantChecker.checkAll(loaded);
        long loadMs = (System.nanoTime() - t1) / 1_000_000;
        long retained = usedHeapAfterGc() - before;
        String answer = "index=" + index + " writeMs=" + writeMs + " bytes=" + Files.size(file) + " loadMs=" + loadMs
                + " imageBytes=" + retained + " partitions=" + loaded.partitionCount();
        java.lang.ref.Reference.reachabilityFence(loaded);
        return answer;
    }

    private Path newestSnapshot() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("snapshot.")
                    && !p.getFileName().toString().endsWith(".md5"))
                    .max(Comparator.comparingLong(BenchNode::snapshotIndex)).orElseThrow();
        }
    }

    private static long snapshotIndex(Path p) {
        String name = p.getFileName().toString();
        return Long.parseLong(name.substring(name.indexOf('_') + 1));
    }

    /** Heap in use after two full collections. */
    static long usedHeapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** {@code key=value} words. */
    record Args(Map<String, String> values) {
        static Args parse(String[] words, int from) {
            Map<String, String> m = new java.util.HashMap<>();
            for (int i = from; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                if (eq > 0) {
                    m.put(words[i].substring(0, eq), words[i].substring(eq + 1));
                }
            }
            return new Args(m);
        }

        String text(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new IllegalArgumentException("missing " + key + "=");
            }
            return v;
        }

        String text(String key, String fallback) {
            return values.getOrDefault(key, fallback);
        }

        int integer(String key, int fallback) {
            return values.containsKey(key) ? Integer.parseInt(values.get(key)) : fallback;
        }
    }
}
