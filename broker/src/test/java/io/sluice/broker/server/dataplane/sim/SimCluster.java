package io.sluice.broker.server.dataplane.sim;

import io.sluice.broker.log.LogConfig;
import io.sluice.broker.partition.LeaderRole;
import io.sluice.broker.partition.MetadataDelta;
import io.sluice.broker.partition.Partition;
import io.sluice.broker.partition.ReplicationConfig;
import io.sluice.broker.partition.TopicInfo;
import io.sluice.broker.partition.TopicSettings;
import io.sluice.broker.replication.FetcherConfig;
import io.sluice.broker.replication.TopicIdPartition;
import io.sluice.broker.server.dataplane.DataPlaneConfig;
import io.sluice.common.ManualClock;
import io.sluice.proto.internal.v1.PartitionRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * A seeded, single-threaded simulation of a cluster: 3 to 5 brokers running the real data plane
 * over in-memory logs, a {@link FakeController}, a {@link SimNetwork}, and idempotent acks=all
 * producers and consumers per partition. A chaos phase crashes and restarts brokers (a crash keeps
 * the disk and loses the process), partitions the network (whole brokers, broker to controller,
 * one-way links, clients), drops and delays messages; then everything heals and the run must
 * converge (every replica back in the ISR with identical logs). {@link SimChecks} watches the
 * safety properties throughout.
 */
final class SimCluster {
    static final String TOPIC = "sim";
    static final String TOPIC_ID = "00000000-0000-4000-8000-000000000001";
    private static final int TICK_MS = 4;
    private static final int CLIENTS = 1000;

    private final long seed;
    private final Random random;
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final SimNetwork network;
    private final FakeController controller = new FakeController(200);
    private final Map<Integer, SimBroker> brokers = new TreeMap<>();
    private final Map<Integer, Long> restartAtMs = new TreeMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<SimProducer> producers = new ArrayList<>();
    private final List<SimConsumer> consumers = new ArrayList<>();
    private final SimChecks checks = new SimChecks();
    private final DataPlaneConfig config;
    private final int partitionCount;
    private double dropRate = 0.01;
    private long nextHeartbeatMs;
    private int crashes;
    private int partitionsCut;

    private record Fault(List<int[]> links, long endMs) {
    }

    SimCluster(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        this.network = new SimNetwork(clock, random);
        int brokerCount = 3 + random.nextInt(3);
        this.partitionCount = 1 + random.nextInt(3);
        this.config = DataPlaneConfig.DEFAULT.withReplication(new ReplicationConfig(300,
                new FetcherConfig(100, 1, 64 << 10, 16 << 10, 50, 400), 50, 400, 50, 50, 60_000));
        for (int id = 1; id <= brokerCount; id++) {
            brokers.put(id, new SimBroker(id, this));
        }
    }

    ManualClock clock() {
        return clock;
    }

    SimNetwork network() {
        return network;
    }

    FakeController controller() {
        return controller;
    }

    SimBroker broker(int id) {
        return brokers.get(id);
    }

    List<SimBroker> replicasOf(TopicIdPartition id) {
        return controller.partition(id).getReplicasList().stream().map(brokers::get).toList();
    }

    /** Runs {@code chaosMs} of faults, then heals and waits for convergence; returns the violations. */
    List<String> run(long chaosMs, long maxHealMs) {
        setUp();
        long end = chaosMs;
        network.setFaults(dropRate, 10);
        while (clock.monotonicMs() < end) {
            step(true);
        }
        heal();
        long healDeadline = clock.monotonicMs() + maxHealMs;
        while (!converged()) {
            if (clock.monotonicMs() > healDeadline) {
                checks.violations().add("did not converge within " + maxHealMs + " ms after healing: "
                        + describe());
                return checks.violations();
            }
            step(false);
        }
        checks.checkRunning(List.copyOf(brokers.values()));
        checks.checkFinal(this, producers, consumers);
        return checks.violations();
    }

    private void setUp() {
        for (SimBroker broker : brokers.values()) {
            broker.start(clock, config, controller.register(broker.id, 0));
        }
        deliverMetadata(true);
        brokers.values().forEach(b -> controller.heartbeat(b.id, b.brokerEpoch(), 0));
        List<Integer> ids = new ArrayList<>(brokers.keySet());
        List<List<Integer>> assignments = new ArrayList<>();
        for (int p = 0; p < partitionCount; p++) {
            Collections.rotate(ids, 1);
            assignments.add(List.copyOf(ids.subList(0, 3)));
        }
        LogConfig logConfig = new LogConfig(1 << 20, Long.MAX_VALUE, -1, -1, 1 << 16, false,
                LogConfig.FlushPolicy.PAGE_CACHE, 1000, 4096);
        controller.createTopic(new TopicInfo(TOPIC_ID, TOPIC, new TopicSettings(logConfig, 2)), assignments);
        for (int p = 0; p < partitionCount; p++) {
            TopicIdPartition id = new TopicIdPartition(TOPIC_ID, p);
            producers.add(new SimProducer(this, CLIENTS + p, TOPIC, id, new Random(random.nextLong())));
            consumers.add(new SimConsumer(this, 2 * CLIENTS + p, TOPIC, id));
        }
    }

    private void step(boolean chaos) {
        long nextTick = (clock.monotonicMs() / TICK_MS + 1) * TICK_MS;
        long next = Math.min(nextTick, network.nextEventMs());
        clock.advanceMs(Math.max(0, next - clock.monotonicMs()));
        network.deliverDue();
        if (clock.monotonicMs() < nextTick) {
            return;
        }
        long now = clock.monotonicMs();
        if (chaos) {
            injectFaults(now);
        }
        endFaults(now);
        restartDue(now);
        deliverMetadata(false);
        if (now >= nextHeartbeatMs) {
            heartbeats(now);
            nextHeartbeatMs = now + 20;
        }
        controller.tick(now);
        for (SimBroker broker : brokers.values()) {
            if (broker.isUp()) {
                broker.process().poll(now);
            }
        }
        producers.forEach(p -> p.tick(now, chaos));
        consumers.forEach(c -> c.tick(now));
        if (now % 40 == 0) {
            checks.checkRunning(List.copyOf(brokers.values()));
        }
    }

    private void deliverMetadata(boolean all) {
        for (SimBroker broker : brokers.values()) {
            if (!broker.isUp() || network.isBlocked(SimNetwork.CONTROLLER, broker.id)
                    || !controller.hasPendingFor(broker.id) || (!all && random.nextInt(4) != 0)) {
                continue;
            }
            for (MetadataDelta delta : controller.pendingFor(broker.id)) {
                broker.process().applyMetadata(delta);
            }
        }
    }

    private void heartbeats(long now) {
        for (SimBroker broker : brokers.values()) {
            if (broker.isUp() && !network.isBlocked(broker.id, SimNetwork.CONTROLLER)
                    && !controller.hasPendingFor(broker.id)) {
                controller.heartbeat(broker.id, broker.brokerEpoch(), now);
            }
        }
    }

    private void injectFaults(long now) {
        int down = (int) brokers.values().stream().filter(b -> !b.isUp()).count();
        if (random.nextInt(300) == 0 && down < 1 + (brokers.size() > 3 ? 1 : 0)) {
            List<SimBroker> up = brokers.values().stream().filter(SimBroker::isUp).toList();
            SimBroker victim = up.get(random.nextInt(up.size()));
            victim.crash();
            crashes++;
            restartAtMs.put(victim.id, now + 50 + random.nextInt(1_000));
        }
        if (random.nextInt(400) == 0 && faults.size() < 2) {
            faults.add(new Fault(randomCut(), now + 50 + random.nextInt(1_200)));
            partitionsCut++;
            applyFaults();
        }
    }

    private List<int[]> randomCut() {
        List<Integer> ids = new ArrayList<>(brokers.keySet());
        int a = ids.get(random.nextInt(ids.size()));
        int b = ids.get(random.nextInt(ids.size()));
        List<int[]> links = new ArrayList<>();
        switch (random.nextInt(5)) {
            case 0 -> {
                for (int other : ids) {
                    links.add(new int[] {a, other});
                    links.add(new int[] {other, a});
                }
                links.add(new int[] {a, SimNetwork.CONTROLLER});
                links.add(new int[] {SimNetwork.CONTROLLER, a});
            }
            case 1 -> {
                links.add(new int[] {a, SimNetwork.CONTROLLER});
                links.add(new int[] {SimNetwork.CONTROLLER, a});
            }
            case 2 -> links.add(new int[] {a, b});
            case 3 -> {
                for (int other : ids) {
                    links.add(new int[] {a, other});
                    links.add(new int[] {other, a});
                }
            }
            default -> {
                for (int p = 0; p < partitionCount; p++) {
                    links.add(new int[] {CLIENTS + p, a});
                    links.add(new int[] {a, 2 * CLIENTS + p});
                }
            }
        }
        return links;
    }

    private void endFaults(long now) {
        if (faults.removeIf(f -> f.endMs() <= now)) {
            applyFaults();
        }
    }

    private void applyFaults() {
        network.healAll();
        network.setFaults(dropRate, 10);
        for (Fault fault : faults) {
            for (int[] link : fault.links()) {
                network.block(link[0], link[1]);
            }
        }
    }

    private void restartDue(long now) {
        restartAtMs.entrySet().removeIf(e -> {
            if (e.getValue() > now) {
                return false;
            }
            SimBroker broker = brokers.get(e.getKey());
            broker.start(clock, config, controller.register(broker.id, now));
            return true;
        });
    }

    private void heal() {
        faults.clear();
        dropRate = 0;
        network.healAll();
        restartAtMs.replaceAll((id, at) -> clock.monotonicMs());
        restartDue(clock.monotonicMs());
    }

    private boolean converged() {
        if (!producers.stream().allMatch(SimProducer::isIdle)) {
            return false;
        }
        for (TopicIdPartition id : controller.partitions().keySet()) {
            PartitionRecord record = controller.partition(id);
            if (record.getLeader() < 0 || record.getIsrCount() != record.getReplicasCount()) {
                return false;
            }
            Optional<Partition> leader = local(record.getLeader(), id);
            if (leader.isEmpty() || !(leader.get().role() instanceof LeaderRole)
                    || leader.get().highWatermark() != leader.get().logEndOffset()) {
                return false;
            }
            for (int replica : record.getReplicasList()) {
                Optional<Partition> p = local(replica, id);
                if (p.isEmpty() || p.get().logEndOffset() != leader.get().logEndOffset()
                        || p.get().highWatermark() != leader.get().highWatermark()
                        || p.get().role().leaderEpoch() != record.getLeaderEpoch()) {
                    return false;
                }
            }
        }
        return true;
    }

    private Optional<Partition> local(int brokerId, TopicIdPartition id) {
        SimBroker broker = brokers.get(brokerId);
        return broker.isUp() ? broker.process().replicaManager().partition(id) : Optional.empty();
    }

    String describe() {
        StringBuilder out = new StringBuilder("seed=").append(seed).append(" t=").append(clock.monotonicMs())
                .append(" crashes=").append(crashes).append(" cuts=").append(partitionsCut).append(' ')
                .append(controller.stats()).append(' ').append(network.stats());
        for (TopicIdPartition id : controller.partitions().keySet()) {
            out.append("\n  ").append(controller.partition(id).toString().replace('\n', ' '));
            for (SimBroker broker : brokers.values()) {
                local(broker.id, id).ifPresent(p -> out.append("\n    broker ").append(broker.id).append(": ")
                        .append(p));
            }
        }
        producers.forEach(p -> out.append("\n  producer ").append(p.partition()).append(" acked=")
                .append(p.acked().size()).append(" idle=").append(p.isIdle()));
        return out.toString();
    }

    int acknowledgedBatches() {
        return producers.stream().mapToInt(p -> p.acked().size()).sum();
    }
}
