package io.sluice.metastore.bench;

import io.sluice.metastore.MetaStore;
import io.sluice.metastore.MetadataNode;
import io.sluice.metastore.TopicImage;
import io.sluice.metastore.internal.RatisMetaStore;
import io.sluice.proto.internal.v1.ChangeBrokerState;
import io.sluice.proto.internal.v1.CommitOffsets;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.OffsetRecord;
import io.sluice.proto.internal.v1.RegisterBroker;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.CreatableTopic;
import io.sluice.proto.v1.CreateTopicResult;
import io.sluice.proto.v1.CreateTopicsRequest;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The benchmark's workloads, run inside a {@link BenchNode} against its own {@link MetaStore} (offset
 * commits are submitted where the group coordinator submits them: on the node that leads the
 * quorum) or its controller (topic creation, as a broker's forwarded CreateTopics is handled).
 * Each returns one answer line of {@code key=value} figures. Latencies are measured with
 * {@link System#nanoTime()} from the moment a command was due (open loop) or sent (closed loop).
 */
final class Workloads {
    static final String OFFSETS_TOPIC = "bench-offsets";
    private static final long WAIT_SECONDS = 600;
    private static final int RETRIES = 10;

    private final MetadataNode node;
    private final MetaStore store;
    private final AtomicLong offsets = new AtomicLong();

    Workloads(MetadataNode node) {
        this.node = node;
        this.store = node.metaStore();
    }

    /**
     * Registers and unfences brokers 0..n-1 and creates the offsets topic (run on the leader). Each step
     * is retried while the quorum does not answer in time (a heavily loaded box): registering the same
     * incarnation again returns the same epoch, and a state or topic that is already there counts.
     */
    String setup(BenchNode.Args a) throws Exception {
        int brokers = a.integer("brokers", 3);
        for (int b = 0; b < brokers; b++) {
            MetaCommand register = MetaCommand.newBuilder().setRegisterBroker(RegisterBroker.newBuilder()
                    .setBrokerId(b).setIncarnationId("bench-" + b).setEndpoint(Endpoint.newBuilder()
                            .setHost("127.0.0.1").setPort(19_000 + b))).build();
            long epoch = okRetrying(() -> store.submit(register)).getBrokerRegistered().getBrokerEpoch();
            for (int attempt = 0; store.image().broker(b).getState() != BrokerState.BROKER_STATE_ACTIVE; attempt++) {
                MetaResult r = store.submit(MetaCommand.newBuilder().setChangeBrokerState(ChangeBrokerState
                        .newBuilder().setBrokerId(b).setExpectedBrokerEpoch(epoch)
                        .setNewState(BrokerState.BROKER_STATE_ACTIVE)).build()).get(WAIT_SECONDS, TimeUnit.SECONDS);
                giveUpAfter(attempt, r);
            }
        }
        for (int attempt = 0; store.image().topicByName(OFFSETS_TOPIC) == null; attempt++) {
            CreateTopicResult t = createTopic(OFFSETS_TOPIC, a.integer("partitions", 1000), Math.min(3, brokers))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            if (attempt >= RETRIES && t.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                throw new IllegalStateException("setup: " + t.getErrorCode() + " " + t.getErrorMessage());
            }
        }
        return "brokers=" + brokers + " topic=" + store.image().topicByName(OFFSETS_TOPIC).id();
    }

    private static void giveUpAfter(int attempt, MetaResult r) {
        if (attempt >= RETRIES && r.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            throw new IllegalStateException(r.getErrorCode() + " " + r.getErrorMessage());
        }
    }

    /** Submits until the answer is not QUORUM_UNAVAILABLE (at most {@link #RETRIES} more times); it must be OK. */
    private static MetaResult okRetrying(Supplier<CompletableFuture<MetaResult>> submit)
            throws Exception {
        MetaResult r = submit.get().get(WAIT_SECONDS, TimeUnit.SECONDS);
        for (int attempt = 0; r.getErrorCode() == ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE && attempt < RETRIES;
                attempt++) {
            r = submit.get().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        giveUpAfter(RETRIES, r);
        return r;
    }

    private CompletableFuture<CreateTopicResult> createTopic(String name, int partitions, int rf) {
        CreateTopicsRequest req = CreateTopicsRequest.newBuilder().addTopics(CreatableTopic.newBuilder().setName(name)
                .setNumPartitions(partitions).setReplicationFactor(rf)).build();
        return node.controller().call((c, now) -> c.handleCreateTopics(req, now)).thenApply(r -> r.getTopics(0));
    }

    private MetaCommand commit(TopicImage topic, int groups, long n) {
        return MetaCommand.newBuilder().setCommitOffsets(CommitOffsets.newBuilder().setGroupId("bench-g" + (n % groups))
                .setCommitTimeMs(System.currentTimeMillis()).addOffsets(OffsetRecord.newBuilder()
                        .setTopicId(topic.id()).setPartition((int) (n % topic.partitionCount())).setCommittedOffset(n)
                        .setCommittedLeaderEpoch(-1))).build();
    }

    /**
     * Offset commits, one partition each. {@code mode=closed total=N concurrency=C}: C commits
     * outstanding at all times; {@code mode=open rate=R seconds=S}: one commit due every 1/R s,
     * latency counted from when it was due (so a stall delays every later commit's clock too);
     * {@code tickUs=T} (open loop) sends the commits that fell due in each T µs together at its end
     * instead of waking for each one, which costs up to T µs of counted latency and fewer wake-ups of
     * the load generator, which shares the leader's cores (default 0: each at its due time).
     */
    String commits(BenchNode.Args a) throws Exception {
        TopicImage topic = store.image().topicByName(OFFSETS_TOPIC);
        int groups = a.integer("groups", 100);
        Latencies latencies = new Latencies();
        AtomicInteger errors = new AtomicInteger();
        long[] before = sentCounts();
        boolean open = a.text("mode", "closed").equals("open");
        int total = open ? a.integer("rate", 5000) * a.integer("seconds", 10) : a.integer("total", 50_000);
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime();
        AtomicLong lastDone = new AtomicLong(start);
        IntFunction<CompletableFuture<MetaResult>> send = i -> store.submit(commit(topic, groups,
                offsets.incrementAndGet()));
        Latencies[] bySecond = new Latencies[0];
        if (open) {
            Pace pace = new Pace(a.integer("rate", 5000), a.integer("tickUs", 0) * 1000L);
            bySecond = openLoop(send, pace, total, start, latencies, errors, lastDone, done);
        } else {
            closedLoop(send, a.integer("concurrency", 300), total, latencies, errors, lastDone, done);
        }
        if (!done.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("commits did not complete");
        }
        String p99BySecond = bySecond.length == 0 ? "" : Arrays.stream(bySecond)
                .map(s -> String.valueOf(Math.round(s.percentileMs(99))))
                .collect(Collectors.joining(",", " p99BySecond=", ""));
        long[] after = sentCounts();
        double seconds = (lastDone.get() - start) / 1e9;
        long entries = after[0] - before[0];
        return String.format("count=%d seconds=%.2f rate=%.0f %s errors=%d entries=%d localEntries=%d "
                + "commandsPerEntry=%.1f%s", total, seconds, total / seconds, latencies.summary(), errors.get(),
                entries, after[2] - before[2], entries == 0 ? 0.0 : (after[1] - before[1]) / (double) entries,
                p99BySecond);
    }

    private static void closedLoop(IntFunction<CompletableFuture<MetaResult>> send, int concurrency, int total,
            Latencies latencies, AtomicInteger errors, AtomicLong lastDone, CountDownLatch done)
            throws InterruptedException {
        Semaphore window = new Semaphore(concurrency);
        for (int i = 0; i < total; i++) {
            window.acquire();
            long sent = System.nanoTime();
            send.apply(i).whenComplete((r, e) -> {
                long now = System.nanoTime();
                latencies.add(now - sent);
                record(r, e, errors, lastDone, now);
                window.release();
                done.countDown();
            });
        }
    }

    /** The open loop's schedule: {@code rate} commits per second, sent every {@code tickNanos} (0: each when due). */
    private record Pace(int rate, long tickNanos) {
    }

    /**
     * Runs the open loop; returns the latencies of each second of due times (filled as commits complete),
     * so that a tail made by a few stalls (a GC pause, a snapshot) can be told from one spread over the run.
     */
    private static Latencies[] openLoop(IntFunction<CompletableFuture<MetaResult>> send, Pace pace, int total,
            long start, Latencies latencies, AtomicInteger errors, AtomicLong lastDone, CountDownLatch done) {
        int rate = pace.rate();
        long tickNanos = pace.tickNanos();
        double intervalNanos = 1e9 / rate;
        Latencies[] seconds = new Latencies[(total + rate - 1) / rate];
        Arrays.setAll(seconds, s -> new Latencies());
        for (int i = 0; i < total; i++) {
            Latencies second = seconds[i / rate];
            long due = start + (long) (i * intervalNanos);
            long sendAt = tickNanos <= 0 ? due
                    : start + Math.floorDiv(due - start + tickNanos - 1, tickNanos) * tickNanos;
            for (long wait = sendAt - System.nanoTime(); wait > 0; wait = sendAt - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            send.apply(i).whenComplete((r, e) -> {
                long now = System.nanoTime();
                latencies.add(now - due);
                second.add(now - due);
                record(r, e, errors, lastDone, now);
                done.countDown();
            });
        }
        return seconds;
    }

    private static void record(MetaResult r, Throwable e, AtomicInteger errors, AtomicLong lastDone, long now) {
        if (e != null || r.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            errors.incrementAndGet();
        }
        lastDone.accumulateAndGet(now, Math::max);
    }

    /** Entries sent, the commands they carried, and the entries proposed on the local server. */
    private long[] sentCounts() {
        if (!(store instanceof RatisMetaStore r)) {
            return new long[3];
        }
        long[] sent = r.sentCounts();
        return new long[] {sent[0], sent[1], r.localEntries()};
    }

    /** {@code count=N concurrency=C partitions=P rf=R prefix=X}: CreateTopics through the controller. */
    String topics(BenchNode.Args a) throws Exception {
        int count = a.integer("count", 500);
        int partitions = a.integer("partitions", 1);
        int rf = a.integer("rf", 3);
        String prefix = a.text("prefix", "t");
        Latencies latencies = new Latencies();
        AtomicInteger errors = new AtomicInteger();
        Semaphore window = new Semaphore(a.integer("concurrency", 1));
        CountDownLatch done = new CountDownLatch(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            window.acquire();
            long sent = System.nanoTime();
            createTopic(prefix + "-" + i, partitions, rf).whenComplete((r, e) -> {
                latencies.add(System.nanoTime() - sent);
                if (e != null || r.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                    errors.incrementAndGet();
                }
                window.release();
                done.countDown();
            });
        }
        if (!done.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("topic creation did not complete");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return String.format("count=%d seconds=%.2f rate=%.1f %s errors=%d", count, seconds, count / seconds,
                latencies.summary(), errors.get());
    }

    /** {@code partitions=N perTopic=P rf=R concurrency=C}: creates topics until N partitions exist in all. */
    String bulk(BenchNode.Args a) throws Exception {
        int perTopic = a.integer("perTopic", 1000);
        int topics = a.integer("partitions", 100_000) / perTopic;
        String answer = topics(BenchNode.Args.parse(new String[] {"count=" + topics, "partitions=" + perTopic,
            "rf=" + a.integer("rf", 3), "concurrency=" + a.integer("concurrency", 4), "prefix=bulk"}, 0));
        return answer + " totalPartitions=" + store.image().partitionCount();
    }

    /**
     * After the driver killed the leader ({@code old=id}): commits until one succeeds. Answers the
     * milliseconds from this request to that commit, and to the moment this node first knew a new
     * leader.
     */
    String probe(BenchNode.Args a) throws Exception {
        int old = a.integer("old", -1);
        long start = System.nanoTime();
        AtomicLong electedAt = new AtomicLong(-1);
        Thread watcher = new Thread(() -> {
            while (electedAt.get() < 0 && !Thread.currentThread().isInterrupted()) {
                int leader = store.quorumInfo().leaderId();
                if (leader >= 0 && leader != old) {
                    electedAt.set(System.nanoTime());
                }
                LockSupport.parkNanos(1_000_000);
            }
        }, "probe-watcher");
        watcher.setDaemon(true);
        watcher.start();
        TopicImage topic = store.image().topicByName(OFFSETS_TOPIC);
        int attempts = 0;
        MetaResult r;
        do {
            attempts++;
            r = store.submit(commit(topic, 1, offsets.incrementAndGet())).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } while (r.getErrorCode() != ErrorCode.ERROR_CODE_NONE);
        long committed = System.nanoTime();
        watcher.interrupt();
        long elected = electedAt.get();
        return "commitMs=" + (committed - start) / 1_000_000 + " electedMs="
                + (elected < 0 ? -1 : (elected - start) / 1_000_000) + " attempts=" + attempts + " leader="
                + store.quorumInfo().leaderId();
    }
}
