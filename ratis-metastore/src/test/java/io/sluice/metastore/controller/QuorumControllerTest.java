package io.sluice.metastore.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.common.ManualClock;
import io.sluice.metastore.InMemoryMetaStore;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.TopicImage;
import io.sluice.metastore.controller.internal.Elections;
import io.sluice.proto.internal.v1.AlterPartitionRequest;
import io.sluice.proto.internal.v1.AlterPartitionResponse;
import io.sluice.proto.internal.v1.BrokerHeartbeatRequest;
import io.sluice.proto.internal.v1.BrokerHeartbeatResponse;
import io.sluice.proto.internal.v1.ChangePartitions;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.PartitionChangeRequest;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.internal.v1.RegisterBrokerRequest;
import io.sluice.proto.internal.v1.RegisterBrokerResponse;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.CreatableTopic;
import io.sluice.proto.v1.CreateTopicResult;
import io.sluice.proto.v1.CreateTopicsRequest;
import io.sluice.proto.v1.ElectLeadersRequest;
import io.sluice.proto.v1.ElectionType;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller core driven by a manual clock over an in-memory metadata store: sessions and
 * fencing, elections (clean, and unclean only when allowed), controlled shutdown, the grace period of
 * a new controller, placement, request validation, and fencing a silent broker early when a probe
 * finds its endpoint refusing connections. Deterministic (seeded ids, a scripted probe, no threads).
 */
class QuorumControllerTest {
    private static final long SESSION_MS = 3000;
    private static final long PROBE_AFTER_MS = 1000;
    private final ScriptedProbe probe = new ScriptedProbe();
    private int commitSpreads;
    private ManualClock clock;
    private InMemoryMetaStore store;
    private QuorumController controller;
    private final Map<Integer, Long> epochs = new HashMap<>();
    /** Runs once just before the controller's next command reaches the store: a change racing it. */
    private Runnable beforeNextSubmit;

    @BeforeEach
    void setUp() {
        setUp(0);
    }

    /** A fresh store and an active controller that rebalances leaders every {@code rebalanceMs} (0: never). */
    private void setUp(long rebalanceMs) {
        clock = new ManualClock(1_000_000);
        store = new InMemoryMetaStore(100);
        Random random = new Random(42);
        controller = new QuorumController(100, ControllerConfig.defaults().withSessionTimeoutMs(SESSION_MS)
                .withProbeAfterMs(PROBE_AFTER_MS).withTopicDefaults(1, 1).withLeaderRebalanceIntervalMs(rebalanceMs),
                new CommandSink() {
                    @Override
                    public CompletableFuture<MetaResult> submit(MetaCommand command) {
                        Runnable first = beforeNextSubmit;
                        beforeNextSubmit = null;
                        if (first != null) {
                            first.run();
                        }
                        return store.submit(command);
                    }

                    @Override
                    public void spreadCommits() {
                        commitSpreads++;
                    }
                }, store::image,
                () -> new UUID(random.nextLong(), random.nextLong()), probe, () -> { });
        controller.activate(now());
        controller.poll(now());
    }

    private long now() {
        return clock.monotonicMs();
    }

    private static <T> T get(CompletableFuture<T> f) {
        assertTrue(f.isDone(), "the in-memory store answers at once");
        return f.join();
    }

    private long register(int broker, String incarnation) {
        return register(broker, incarnation, false);
    }

    private long register(int broker, String incarnation, boolean logIntact) {
        RegisterBrokerResponse r = get(controller.handleRegisterBroker(RegisterBrokerRequest.newBuilder()
                .setBrokerId(broker).setIncarnationId(incarnation).setEndpoint(Endpoint.newBuilder()
                        .setHost("127.0.0.1").setPort(9000 + broker)).setLogIntact(logIntact).build(), now()));
        assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.getErrorMessage());
        epochs.put(broker, r.getBrokerEpoch());
        return r.getBrokerEpoch();
    }

    private BrokerHeartbeatResponse heartbeat(int broker, boolean shutDown) {
        BrokerHeartbeatResponse r = get(controller.handleBrokerHeartbeat(BrokerHeartbeatRequest.newBuilder()
                .setBrokerId(broker).setBrokerEpoch(epochs.get(broker))
                .setMetadataOffset(store.image().lastAppliedIndex()).setWantShutDown(shutDown).build(), now()));
        controller.poll(now());
        return r;
    }

    private void startBrokers(int n) {
        for (int b = 0; b < n; b++) {
            register(b, "inc-" + b);
            heartbeat(b, false);
        }
        for (int b = 0; b < n; b++) {
            assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(b).getState());
        }
    }

    /** Advances time in heartbeat-sized steps; only the listed brokers heartbeat. */
    private void advance(long ms, int... alive) {
        for (long t = 0; t < ms; t += 500) {
            clock.advanceMs(500);
            for (int b : alive) {
                heartbeat(b, false);
            }
            controller.poll(now());
        }
    }

    private TopicImage createTopic(String name, int partitions, int rf, Map<String, String> configs) {
        CreateTopicResult r = get(controller.handleCreateTopics(CreateTopicsRequest.newBuilder().addTopics(
                CreatableTopic.newBuilder().setName(name).setNumPartitions(partitions).setReplicationFactor(rf)
                        .putAllConfigs(configs)).build(), now())).getTopics(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.getErrorMessage());
        return store.image().topicByName(name);
    }

    private AlterPartitionResponse alterIsr(PartitionRecord p, List<Integer> isr) {
        return get(controller.handleAlterPartition(AlterPartitionRequest.newBuilder().setBrokerId(p.getLeader())
                .setBrokerEpoch(epochs.get(p.getLeader())).addPartitions(PartitionChangeRequest.newBuilder()
                        .setTopicId(p.getTopicId()).setPartition(p.getPartition()).setLeaderEpoch(p.getLeaderEpoch())
                        .setPartitionEpoch(p.getPartitionEpoch()).addAllNewIsr(isr)).build(), now()));
    }

    @Test
    void theFirstControllerInitialisesTheClusterId() {
        assertEquals(36, store.image().clusterId().length());
    }

    @Test
    void aBrokerIsUnfencedOnlyOnceCaughtUp() {
        long epoch = register(0, "a");
        BrokerHeartbeatResponse r = get(controller.handleBrokerHeartbeat(BrokerHeartbeatRequest.newBuilder()
                .setBrokerId(0).setBrokerEpoch(epoch).setMetadataOffset(epoch - 1).build(), now()));
        assertEquals(BrokerState.BROKER_STATE_FENCED, r.getState());
        assertEquals(BrokerState.BROKER_STATE_FENCED, store.image().broker(0).getState());
        heartbeat(0, false);
        assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(0).getState());
        assertEquals(BrokerState.BROKER_STATE_ACTIVE, heartbeat(0, false).getState());
    }

    @Test
    void staleEpochsAndDuplicateRegistrationsAreRefused() {
        startBrokers(1);
        BrokerHeartbeatResponse r = get(controller.handleBrokerHeartbeat(BrokerHeartbeatRequest.newBuilder()
                .setBrokerId(0).setBrokerEpoch(epochs.get(0) + 1).build(), now()));
        assertEquals(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH, r.getErrorCode());
        RegisterBrokerResponse dup = get(controller.handleRegisterBroker(RegisterBrokerRequest.newBuilder()
                .setBrokerId(0).setIncarnationId("other").setEndpoint(Endpoint.newBuilder().setHost("h").setPort(1))
                .build(), now()));
        assertEquals(ErrorCode.ERROR_CODE_DUPLICATE_BROKER_REGISTRATION, dup.getErrorCode());
        RegisterBrokerResponse wrongCluster = get(controller.handleRegisterBroker(RegisterBrokerRequest.newBuilder()
                .setBrokerId(5).setIncarnationId("x").setClusterId(new UUID(1, 1).toString())
                .setEndpoint(Endpoint.newBuilder().setHost("h").setPort(1)).build(), now()));
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, wrongCluster.getErrorCode());
    }

    @Test
    void anExpiredSessionFencesTheBrokerAndMovesItsLeadershipsWithinTheIsr() {
        startBrokers(3);
        TopicImage t = createTopic("t", 6, 3, Map.of());
        advance(SESSION_MS - 500, 1, 2);
        assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(0).getState(), "not before the timeout");
        advance(1500, 1, 2);
        MetadataImage image = store.image();
        assertEquals(BrokerState.BROKER_STATE_FENCED, image.broker(0).getState());
        assertTrue(image.partitionsInIsr(0).isEmpty());
        for (PartitionRecord p : image.topic(t.id()).partitions()) {
            assertTrue(p.getLeader() == 1 || p.getLeader() == 2, "leader " + p.getLeader());
            assertFalse(p.getIsrList().contains(0));
        }
        assertFalse(controller.isSessionAlive(0));
    }

    @Test
    void anOutOfSyncReplicaIsNeverElectedAndTheLastInSyncOneLeadsAgainOnReturn() {
        startBrokers(2);
        PartitionRecord p = createTopic("t", 1, 2, Map.of()).partition(0);
        int leader = p.getLeader();
        int other = 1 - leader;
        assertEquals(ErrorCode.ERROR_CODE_NONE, alterIsr(p, List.of(leader)).getPartitions(0).getErrorCode());
        advance(SESSION_MS + 1000, other);
        PartitionRecord offline = store.image().topicByName("t").partition(0);
        assertEquals(-1, offline.getLeader(), "the out-of-sync replica must not lead");
        assertEquals(List.of(leader), offline.getEligibleLeadersList());
        ElectLeadersRequest preferred = ElectLeadersRequest.newBuilder().setType(ElectionType.ELECTION_TYPE_PREFERRED)
                .build();
        assertEquals(ErrorCode.ERROR_CODE_ELIGIBLE_LEADERS_NOT_AVAILABLE,
                get(controller.handleElectLeaders(preferred, now())).getResults(0).getErrorCode());
        heartbeat(leader, false);
        PartitionRecord back = store.image().topicByName("t").partition(0);
        assertEquals(leader, back.getLeader(), "the last in-sync replica leads again (clean)");
        assertEquals(List.of(leader), back.getIsrList());
    }

    @Test
    void theLastInSyncReplicaBackWithALogThatMayHaveLostWritesIsNotElected() {
        for (boolean intact : new boolean[] {true, false}) {
            setUp();
            startBrokers(2);
            PartitionRecord p = createTopic("t", 1, 2, Map.of()).partition(0);
            int leader = p.getLeader();
            int other = 1 - leader;
            alterIsr(p, List.of(leader));
            advance(SESSION_MS + 1000, other);
            advance(SESSION_MS + 1000);
            assertEquals(List.of(leader), store.image().topicByName("t").partition(0).getEligibleLeadersList());
            register(leader, "restarted", intact);
            heartbeat(leader, false);
            register(other, "restarted", true);
            heartbeat(other, false);
            PartitionRecord after = store.image().topicByName("t").partition(0);
            assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(leader).getState());
            if (intact) {
                assertEquals(leader, after.getLeader(), "an intact log leads again");
            } else {
                assertEquals(-1, after.getLeader(), "a log that may have lost writes must not lead");
                assertEquals(List.of(), after.getEligibleLeadersList());
                assertEquals(List.of(), after.getIsrList());
            }
        }
    }

    @Test
    void uncleanElectionOnlyWhenTheTopicAllowsIt() {
        startBrokers(2);
        PartitionRecord p = createTopic("t", 1, 2, Map.of("unclean.leader.election.enable", "true")).partition(0);
        int leader = p.getLeader();
        int other = 1 - leader;
        alterIsr(p, List.of(leader));
        advance(SESSION_MS + 2000, other);
        PartitionRecord now = store.image().topicByName("t").partition(0);
        assertEquals(other, now.getLeader(), "the topic allows an out-of-sync replica to lead");
        assertEquals(List.of(other), now.getIsrList());
    }

    @Test
    void controlledShutdownMovesLeadershipAwayThenCompletes() {
        startBrokers(3);
        createTopic("t", 6, 2, Map.of());
        BrokerHeartbeatResponse first = heartbeat(0, true);
        assertFalse(first.getShutdownComplete());
        assertEquals(BrokerState.BROKER_STATE_SHUTTING_DOWN, store.image().broker(0).getState());
        assertTrue(store.image().partitionsInIsr(0).isEmpty());
        for (PartitionRecord p : store.image().topicByName("t").partitions()) {
            assertTrue(p.getLeader() == 1 || p.getLeader() == 2);
        }
        assertTrue(heartbeat(0, true).getShutdownComplete());
    }

    @Test
    void leadershipGoesBackToPreferredReplicasOnlyOnceTheyAreInSyncAndOnlyWhenEnabled() {
        for (long rebalanceMs : new long[] {0, 10_000}) {
            setUp(rebalanceMs);
            startBrokers(3);
            createTopic("t", 6, 3, Map.of());
            advance(SESSION_MS + 1000, 1, 2);
            assertEquals(BrokerState.BROKER_STATE_FENCED, store.image().broker(0).getState());
            register(0, "restarted", true);
            advance(rebalanceMs + 1000, 0, 1, 2);
            assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(0).getState());
            assertTrue(leadersOf("t").stream().noneMatch(l -> l == 0), "a replica out of the ISR never leads: "
                    + leadersOf("t"));
            assertEquals(List.of(), Elections.preferredLeaders(store.image(), id -> true),
                    "no preferred election is even proposed for a replica out of the ISR");
            for (PartitionRecord p : store.image().topicByName("t").partitions()) {
                List<Integer> isr = new ArrayList<>(p.getIsrList());
                isr.add(0);
                assertEquals(ErrorCode.ERROR_CODE_NONE, alterIsr(p, isr).getPartitions(0).getErrorCode());
            }
            advance(rebalanceMs == 0 ? 30_000 : rebalanceMs, 0, 1, 2);
            List<Integer> preferred = store.image().topicByName("t").partitions().stream()
                    .map(p -> p.getReplicas(0)).toList();
            if (rebalanceMs == 0) {
                assertTrue(leadersOf("t").stream().noneMatch(l -> l == 0), "off: leadership stays where it is");
            } else {
                assertEquals(preferred, leadersOf("t"), "every partition led by its first replica again");
                assertEquals(List.of(2, 2, 2), List.of(count(leadersOf("t"), 0), count(leadersOf("t"), 1),
                        count(leadersOf("t"), 2)));
            }
        }
    }

    @Test
    void aPreferredElectionThatLostARaceToTheSameMoveSaysItWasNotNeeded() {
        startBrokers(3);
        createTopic("t", 1, 3, Map.of());
        advance(SESSION_MS + 1000, 1, 2);
        register(0, "restarted", true);
        advance(500, 0, 1, 2);
        PartitionRecord p = store.image().topicByName("t").partition(0);
        if (!p.getIsrList().contains(0)) {
            alterIsr(p, List.of(p.getLeader(), 0));
        }
        int preferred = store.image().topicByName("t").partition(0).getReplicas(0);
        assertNotEquals(preferred, store.image().topicByName("t").partition(0).getLeader());
        beforeNextSubmit = () -> get(store.submit(MetaCommand.newBuilder().setChangePartitions(ChangePartitions
                .newBuilder().addChanges(Elections.preferred(store.image(), store.image().topicByName("t")
                        .partition(0)))).build()));
        ElectLeadersRequest request = ElectLeadersRequest.newBuilder().setType(ElectionType.ELECTION_TYPE_PREFERRED)
                .build();
        assertEquals(ErrorCode.ERROR_CODE_ELECTION_NOT_NEEDED,
                get(controller.handleElectLeaders(request, now())).getResults(0).getErrorCode());
        assertEquals(preferred, store.image().topicByName("t").partition(0).getLeader());
    }

    @Test
    void aSilentPreferredReplicaIsNotHandedLeadershipBeforeItsSessionEnds() {
        setUp(1_000);
        startBrokers(3);
        createTopic("t", 6, 3, Map.of());
        advance(SESSION_MS + 1000, 1, 2);
        register(0, "restarted", true);
        advance(500, 0, 1, 2);
        advance(1500, 1, 2);
        for (PartitionRecord p : store.image().topicByName("t").partitions()) {
            List<Integer> isr = new ArrayList<>(p.getIsrList());
            isr.add(0);
            assertEquals(ErrorCode.ERROR_CODE_NONE, alterIsr(p, isr).getPartitions(0).getErrorCode());
        }
        advance(1000, 1, 2);
        assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(0).getState(), "its session still runs");
        assertEquals(0, count(leadersOf("t"), 0), "silent for over half a session: not a leader");
        advance(1500, 0, 1, 2);
        assertEquals(2, count(leadersOf("t"), 0), "heard from again: its preferred partitions come back");
    }

    @Test
    void aRoundProposesAtMostItsCapAndTheNextPollTheRest() {
        setUp(2_000);
        startBrokers(2);
        int partitions = 2 * QuorumController.MAX_PREFERRED_ELECTIONS_PER_ROUND + 100;
        createTopic("t", partitions, 2, Map.of());
        advance(SESSION_MS + 1000, 1);
        register(0, "restarted", true);
        advance(1000, 0, 1);
        for (PartitionRecord p : store.image().topicByName("t").partitions()) {
            if (!p.getIsrList().contains(0)) {
                assertEquals(ErrorCode.ERROR_CODE_NONE, alterIsr(p, List.of(1, 0)).getPartitions(0).getErrorCode());
            }
        }
        int preferredOnZero = count(store.image().topicByName("t").partitions().stream()
                .map(p -> p.getReplicas(0)).toList(), 0);
        assertTrue(preferredOnZero > QuorumController.MAX_PREFERRED_ELECTIONS_PER_ROUND, "" + preferredOnZero);
        assertEquals(0, count(leadersOf("t"), 0));
        clock.advanceMs(2_000);
        heartbeat(0, false);
        assertEquals(QuorumController.MAX_PREFERRED_ELECTIONS_PER_ROUND, count(leadersOf("t"), 0), "one round");
        controller.poll(now());
        assertEquals(preferredOnZero, count(leadersOf("t"), 0), "the rest at the next poll");
    }

    private List<Integer> leadersOf(String topic) {
        return store.image().topicByName(topic).partitions().stream().map(PartitionRecord::getLeader).toList();
    }

    private static int count(List<Integer> values, int value) {
        return (int) values.stream().filter(v -> v == value).count();
    }

    @Test
    void aNewControllerGivesEveryBrokerAFreshGracePeriod() {
        startBrokers(2);
        controller.deactivate();
        clock.advanceMs(SESSION_MS * 3);
        controller.activate(now());
        controller.poll(now());
        assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(0).getState());
        advance(SESSION_MS - 500, 1);
        assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(0).getState());
        advance(1500, 1);
        assertEquals(BrokerState.BROKER_STATE_FENCED, store.image().broker(0).getState());
    }

    @Test
    void placementSpreadsLeadersAndReplicasEvenly() {
        startBrokers(3);
        createTopic("a", 6, 2, Map.of());
        createTopic("b", 3, 1, Map.of());
        int[] leaders = new int[3];
        int[] replicas = new int[3];
        for (TopicImage t : store.image().topics().values()) {
            for (PartitionRecord p : t.partitions()) {
                leaders[p.getLeader()]++;
                p.getReplicasList().forEach(r -> replicas[r]++);
            }
        }
        assertEquals(List.of(3, 3, 3), List.of(leaders[0], leaders[1], leaders[2]));
        assertEquals(List.of(5, 5, 5), List.of(replicas[0], replicas[1], replicas[2]));
    }

    @Test
    void alterPartitionIsConditionalAndRefusesIneligibleReplicas() {
        startBrokers(3);
        PartitionRecord p = createTopic("t", 1, 3, Map.of()).partition(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, alterIsr(p, List.of(p.getLeader(), p.getReplicas(1)))
                .getPartitions(0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_STALE_PARTITION_EPOCH, alterIsr(p, List.of(p.getLeader()))
                .getPartitions(0).getErrorCode());
        PartitionRecord now = store.image().topicByName("t").partition(0);
        PartitionRecord wrongEpoch = now.toBuilder().setLeaderEpoch(now.getLeaderEpoch() - 1).build();
        assertEquals(ErrorCode.ERROR_CODE_FENCED_LEADER_EPOCH, alterIsr(wrongEpoch, List.of(now.getLeader()))
                .getPartitions(0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INELIGIBLE_REPLICA, alterIsr(now, List.of(now.getLeader(), 7))
                .getPartitions(0).getErrorCode());
        AlterPartitionResponse ok = alterIsr(now, List.of(now.getReplicasList().toArray(new Integer[0])));
        assertEquals(3, ok.getPartitions(0).getIsrCount());
        assertEquals(now.getPartitionEpoch() + 1, ok.getPartitions(0).getPartitionEpoch());
    }

    @Test
    void createTopicsValidatesEachTopicAndValidateOnlyChangesNothing() {
        startBrokers(2);
        CreateTopicsRequest req = CreateTopicsRequest.newBuilder()
                .addTopics(CreatableTopic.newBuilder().setName("ok").setNumPartitions(2).setReplicationFactor(2))
                .addTopics(CreatableTopic.newBuilder().setName("bad name").setNumPartitions(1).setReplicationFactor(1))
                .addTopics(CreatableTopic.newBuilder().setName("rf").setNumPartitions(1).setReplicationFactor(3))
                .addTopics(CreatableTopic.newBuilder().setName("cfg").setNumPartitions(1).setReplicationFactor(1)
                        .putConfigs("min.insync.replicas", "zero"))
                .addTopics(CreatableTopic.newBuilder().setName("parts").setNumPartitions(0).setReplicationFactor(1))
                .addTopics(CreatableTopic.newBuilder().setName("ok").setNumPartitions(1).setReplicationFactor(1))
                .setValidateOnly(true).build();
        List<CreateTopicResult> r = get(controller.handleCreateTopics(req, now())).getTopicsList();
        assertEquals(ErrorCode.ERROR_CODE_NONE, r.get(0).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_TOPIC, r.get(1).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REPLICATION_FACTOR, r.get(2).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_CONFIG, r.get(3).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_PARTITIONS, r.get(4).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_REQUEST, r.get(5).getErrorCode());
        assertTrue(store.image().topics().isEmpty(), "validate_only creates nothing");
        assertEquals("1", r.get(0).getConfigsMap().get("min.insync.replicas"));
    }

    @Test
    void aSilentBrokerWhoseEndpointRefusesIsFencedBeforeItsSessionExpires() {
        startBrokers(3);
        TopicImage t = createTopic("t", 6, 3, Map.of());
        probe.answers.put(9000, BrokerProbe.Answer.REFUSED);
        advance(PROBE_AFTER_MS, 1, 2);
        int spreadsBefore = commitSpreads;
        assertEquals(List.of(), probe.probedPorts, "nobody is probed before probeAfterMs of silence");
        assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(0).getState());
        advance(500, 1, 2);
        assertEquals(List.of(9000), probe.probedPorts);
        MetadataImage image = store.image();
        assertEquals(BrokerState.BROKER_STATE_FENCED, image.broker(0).getState(), "fenced 1.5 s into a 3 s session");
        assertEquals(spreadsBefore + 1, commitSpreads, "the other nodes are told of the fence's commit at once");
        assertTrue(image.partitionsInIsr(0).isEmpty());
        for (PartitionRecord p : image.topic(t.id()).partitions()) {
            assertTrue(p.getLeader() == 1 || p.getLeader() == 2, "leader " + p.getLeader());
        }
        advance(1000, 1, 2);
        assertEquals(List.of(9000), probe.probedPorts, "a fenced broker is not probed again");
    }

    @Test
    void aSilentBrokerThatStillAcceptsConnectionsWaitsOutItsSession() {
        startBrokers(3);
        probe.answers.put(9000, BrokerProbe.Answer.REACHABLE);
        probe.answers.put(9001, BrokerProbe.Answer.UNKNOWN);
        advance(SESSION_MS - 500, 2);
        assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(0).getState());
        assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(1).getState());
        assertTrue(probe.probedPorts.stream().filter(port -> port == 9000).count() >= 2,
                "probed again while silent: " + probe.probedPorts);
        advance(1500, 2);
        assertEquals(BrokerState.BROKER_STATE_FENCED, store.image().broker(0).getState());
        assertEquals(BrokerState.BROKER_STATE_FENCED, store.image().broker(1).getState());
    }

    @Test
    void aRefusalIsIgnoredOnceTheBrokerWasHeardFromOrTheControllerChanged() {
        startBrokers(3);
        probe.hold = true;
        advance(1500, 2);
        assertEquals(List.of(9000, 9001), probe.probedPorts);
        heartbeat(0, false);
        probe.release(0, BrokerProbe.Answer.REFUSED);
        controller.poll(now());
        assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(0).getState(), "heard from since");
        controller.deactivate();
        controller.activate(now());
        probe.release(1, BrokerProbe.Answer.REFUSED);
        controller.poll(now());
        assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(1).getState(), "asked by an earlier term");
    }

    @Test
    void aNewControllerProbesEveryBrokerOnceAndFencesOneThatRefuses() {
        startBrokers(3);
        probe.answers.put(9001, BrokerProbe.Answer.REFUSED);
        controller.deactivate();
        controller.activate(now());
        controller.poll(now());
        controller.poll(now());
        assertEquals(List.of(9000, 9001, 9002), probe.probedPorts);
        assertEquals(BrokerState.BROKER_STATE_FENCED, store.image().broker(1).getState(),
                "the grace period is for live brokers");
        assertEquals(BrokerState.BROKER_STATE_ACTIVE, store.image().broker(0).getState());
        advance(500, 0, 2);
        assertEquals(List.of(9000, 9001, 9002), probe.probedPorts, "once, then only after probeAfterMs of silence");
    }

    /** Answers probes from a table by port (UNKNOWN if absent), at once or when released. */
    private static final class ScriptedProbe implements BrokerProbe {
        final Map<Integer, Answer> answers = new HashMap<>();
        final List<Integer> probedPorts = new ArrayList<>();
        final List<CompletableFuture<Answer>> held = new ArrayList<>();
        boolean hold;

        @Override
        public CompletableFuture<Answer> probe(Endpoint endpoint) {
            probedPorts.add(endpoint.getPort());
            CompletableFuture<Answer> answer = new CompletableFuture<>();
            if (hold) {
                held.add(answer);
            } else {
                answer.complete(answers.getOrDefault(endpoint.getPort(), Answer.UNKNOWN));
            }
            return answer;
        }

        void release(int index, Answer answer) {
            held.get(index).complete(answer);
        }
    }
}
