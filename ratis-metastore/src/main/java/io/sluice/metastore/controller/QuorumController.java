package io.sluice.metastore.controller;

import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.controller.internal.BrokerSessions;
import io.sluice.metastore.controller.internal.ConfigAdmin;
import io.sluice.metastore.controller.internal.Elections;
import io.sluice.metastore.controller.internal.PartitionAdmin;
import io.sluice.metastore.controller.internal.TopicAdmin;
import io.sluice.proto.internal.v1.AllocateProducerIds;
import io.sluice.proto.internal.v1.AllocateProducerIdsRequest;
import io.sluice.proto.internal.v1.AllocateProducerIdsResponse;
import io.sluice.proto.internal.v1.AlterPartitionRequest;
import io.sluice.proto.internal.v1.AlterPartitionResponse;
import io.sluice.proto.internal.v1.BrokerHeartbeatRequest;
import io.sluice.proto.internal.v1.BrokerHeartbeatResponse;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.internal.v1.ChangeBrokerState;
import io.sluice.proto.internal.v1.ChangePartitions;
import io.sluice.proto.internal.v1.InitCluster;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.internal.v1.PartitionChange;
import io.sluice.proto.internal.v1.RegisterBroker;
import io.sluice.proto.internal.v1.RegisterBrokerRequest;
import io.sluice.proto.internal.v1.RegisterBrokerResponse;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.CreatePartitionsRequest;
import io.sluice.proto.v1.CreatePartitionsResponse;
import io.sluice.proto.v1.CreateTopicsRequest;
import io.sluice.proto.v1.CreateTopicsResponse;
import io.sluice.proto.v1.DeleteTopicsRequest;
import io.sluice.proto.v1.DeleteTopicsResponse;
import io.sluice.proto.v1.ElectLeadersRequest;
import io.sluice.proto.v1.ElectLeadersResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.IncrementalAlterConfigsRequest;
import io.sluice.proto.v1.IncrementalAlterConfigsResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller: code that runs only on the metadata Raft leader and turns time and broker requests
 * into metadata commands ("decide on the leader, replay everywhere").
 *
 * <p>It keeps broker sessions in memory; {@link #poll} fences brokers whose session expired (moving
 * their leaderships to other ISR members), proposes InitCluster with a fresh UUID while the cluster
 * has no id, elects leaders for leaderless partitions that have a candidate and, every
 * {@code leaderRebalanceIntervalMs}, gives leadership back to preferred replicas that are active and in
 * sync. Heartbeats unfence a broker once it has applied the metadata up to its registration, and run
 * controlled shutdown. Admin requests are validated and placed here and proposed as conditional commands.
 * {@link #activate} (on becoming leader) gives every live broker a fresh session grace period.
 *
 * <p>A broker silent for {@code probeAfterMs} is probed ({@link BrokerProbe}) every
 * {@value #PROBE_RETRY_MS} ms until it is heard from or fenced, and a new controller probes every
 * broker once at activation (a node killed with the old controller is often a broker too). A
 * refused connection while the broker is still silent fences it at once, as if its session had
 * expired: a killed process is fenced in about a second instead of a full session. Nothing else
 * shortens a session.
 *
 * <p>Single-threaded and poll-driven: every method must be called from one thread (the
 * {@link ControllerDriver}'s, or a test's); time is passed in; randomness comes from the injected id
 * supplier. Proposal results come back through an internal queue drained by {@link #poll} and by the
 * handlers, so their continuations also run on the controller's thread. The one real-time wait is the
 * {@value #UNCOMMITTED_PAUSE_MS} ms before the result of a proposal the quorum did not commit is
 * queued (an in-memory store always commits, so tests never meet it).
 */
public final class QuorumController {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumController.class);
    /** Time between probes of a broker that stays silent and reachable. */
    static final long PROBE_RETRY_MS = 250;
    /** How long an uncommitted proposal's answer is held back, so retries of it cannot spin. */
    static final long UNCOMMITTED_PAUSE_MS = 100;
    /**
     * Preferred elections proposed per round, each as its own command so that one partition whose
     * epoch moved meanwhile does not void the others (a command's changes apply all or none); more
     * wait for the next poll, so that a large cluster's first round is not one burst of entries.
     */
    static final int MAX_PREFERRED_ELECTIONS_PER_ROUND = 1000;

    private final int nodeId;
    private final ControllerConfig config;
    private final CommandSink sink;
    private final Supplier<MetadataImage> images;
    private final Supplier<UUID> ids;
    private final Runnable wakeup;
    private final Queue<Runnable> completions = new ConcurrentLinkedQueue<>();
    private final BrokerSessions sessions = new BrokerSessions();
    private final Set<Integer> brokerChangeInFlight = new HashSet<>();
    private final BrokerProbe probe;
    private final Set<Integer> probesInFlight = new HashSet<>();
    private final Map<Integer, Long> nextProbeMs = new HashMap<>();
    private final TopicAdmin topics;
    private final ConfigAdmin configs;
    private final PartitionAdmin partitions;
    private boolean active;
    private long activation;
    private boolean initInFlight;
    private boolean scanInFlight;
    private boolean rebalanceInFlight;
    private long nextRebalanceMs;
    /** A new controller probes every broker once, so that one that died with the old one goes soon. */
    private boolean probeAllPending;
    private long nextScanMs;
    private long nowMs;

    /**
     * A controller for node {@code nodeId}.
     *
     * @param images supplies the current local metadata image
     * @param ids    supplies random UUIDs (cluster and topic ids)
     * @param probe  checks whether a silent broker's process is gone
     * @param wakeup called (from any thread) when a proposal or a probe completed and {@link #poll}
     *               should run
     */
    public QuorumController(int nodeId, ControllerConfig config, CommandSink sink, Supplier<MetadataImage> images,
            Supplier<UUID> ids, BrokerProbe probe, Runnable wakeup) {
        this.nodeId = nodeId;
        this.config = config;
        this.sink = sink;
        this.images = images;
        this.ids = ids;
        this.probe = probe;
        this.wakeup = wakeup;
        this.topics = new TopicAdmin(config, this::propose, ids);
        this.configs = new ConfigAdmin(this::propose);
        this.partitions = new PartitionAdmin(this::propose, images);
    }

    /** Whether this controller is the active one. */
    public boolean isActive() {
        return active;
    }

    /** Becomes the active controller at {@code nowMs}: every live broker gets a fresh session. */
    public void activate(long nowMs) {
        this.nowMs = nowMs;
        active = true;
        activation++;
        brokerChangeInFlight.clear();
        forgetProbes();
        initInFlight = false;
        scanInFlight = false;
        nextScanMs = nowMs;
        rebalanceInFlight = false;
        nextRebalanceMs = nowMs + config.leaderRebalanceIntervalMs();
        sessions.resetAll(images.get(), nowMs);
        probeAllPending = true;
    }

    /** Stops acting: sessions are forgotten (a later activation starts fresh). */
    public void deactivate() {
        active = false;
        activation++;
        sessions.clear();
        brokerChangeInFlight.clear();
        forgetProbes();
    }

    private void forgetProbes() {
        probesInFlight.clear();
        nextProbeMs.clear();
    }

    /**
     * Runs due work at {@code nowMs}: completions of earlier proposals, fencing of expired sessions,
     * cluster initialisation, leaderless-partition elections and, every
     * {@link ControllerConfig#leaderRebalanceIntervalMs}, preferred-leader elections.
     */
    public void poll(long nowMs) {
        this.nowMs = Math.max(this.nowMs, nowMs);
        drainCompletions();
        if (!active) {
            return;
        }
        MetadataImage image = images.get();
        if (image.clusterId().isEmpty() && !initInFlight) {
            initInFlight = true;
            propose(MetaCommand.newBuilder().setInitCluster(InitCluster.newBuilder()
                    .setClusterId(ids.get().toString())).build()).whenComplete((r, e) -> initInFlight = false);
        }
        for (BrokerSessions.Session s : sessions.expired(this.nowMs, config.sessionTimeoutMs())) {
            maybeFenceExpired(image, s);
        }
        if (config.probeAfterMs() > 0) {
            List<BrokerSessions.Session> due = probeAllPending ? sessions.all()
                    : sessions.expired(this.nowMs, config.probeAfterMs());
            probeAllPending = false;
            for (BrokerSessions.Session s : due) {
                maybeProbe(image, s);
            }
        }
        if (this.nowMs >= nextScanMs && !scanInFlight) {
            nextScanMs = this.nowMs + config.offlineScanIntervalMs();
            List<PartitionChange> elections = Elections.electLeaderless(image);
            if (!elections.isEmpty()) {
                scanInFlight = true;
                propose(MetaCommand.newBuilder().setChangePartitions(ChangePartitions.newBuilder()
                        .addAllChanges(elections)).build()).whenComplete((r, e) -> scanInFlight = false);
            }
        }
        if (config.leaderRebalanceIntervalMs() > 0 && this.nowMs >= nextRebalanceMs && !rebalanceInFlight) {
            nextRebalanceMs = this.nowMs + config.leaderRebalanceIntervalMs();
            maybeRebalanceLeaders(image);
        }
    }

    /**
     * Moves leadership back to every preferred replica that is active, in sync and heard from within
     * half a session (Kafka's {@code auto.leader.rebalance.enable}): after a restart or a fencing,
     * leadership stays wherever the failover put it, so without this one node can end up leading
     * every partition. A paused or cut-off broker keeps its ISR place until its session expires; it is
     * not handed leaderships meanwhile. When a round had to leave partitions out and committed
     * something, the next poll takes the rest.
     */
    private void maybeRebalanceLeaders(MetadataImage image) {
        List<PartitionChange> moves = Elections.preferredLeaders(image, this::isResponsive);
        if (moves.isEmpty()) {
            return;
        }
        boolean more = moves.size() > MAX_PREFERRED_ELECTIONS_PER_ROUND;
        if (more) {
            moves = moves.subList(0, MAX_PREFERRED_ELECTIONS_PER_ROUND);
        }
        LOG.info("moving the leadership of {} partition(s) back to their preferred replicas", moves.size());
        rebalanceInFlight = true;
        long activationAtStart = activation;
        List<CompletableFuture<MetaResult>> proposals = new ArrayList<>(moves.size());
        for (PartitionChange move : moves) {
            proposals.add(propose(MetaCommand.newBuilder().setChangePartitions(ChangePartitions.newBuilder()
                    .addChanges(move)).build()));
        }
        CompletableFuture.allOf(proposals.toArray(new CompletableFuture<?>[0])).whenComplete((r, e) -> {
            if (activationAtStart != activation) {
                return;
            }
            rebalanceInFlight = false;
            if (more && proposals.stream().anyMatch(f -> !f.isCompletedExceptionally()
                    && f.join().getErrorCode() == ErrorCode.ERROR_CODE_NONE)) {
                nextRebalanceMs = this.nowMs;
            }
        });
    }

    /** Whether broker {@code id} was heard from within half a session and nothing is pending about it. */
    private boolean isResponsive(int id) {
        return sessions.isAlive(id, nowMs, config.sessionTimeoutMs() / 2) && !brokerChangeInFlight.contains(id)
                && !probesInFlight.contains(id);
    }

    private void maybeFenceExpired(MetadataImage image, BrokerSessions.Session s) {
        BrokerRecord b = image.broker(s.brokerId());
        if (b == null || b.getBrokerEpoch() != s.brokerEpoch() || b.getState() == BrokerState.BROKER_STATE_FENCED) {
            sessions.remove(s.brokerId());
            return;
        }
        if (!brokerChangeInFlight.contains(s.brokerId())) {
            changeBrokerState(b, BrokerState.BROKER_STATE_FENCED, Elections.removeBroker(image, b.getBrokerId()));
        }
    }

    private void maybeProbe(MetadataImage image, BrokerSessions.Session s) {
        int id = s.brokerId();
        BrokerRecord b = image.broker(id);
        if (b == null || b.getBrokerEpoch() != s.brokerEpoch() || b.getState() == BrokerState.BROKER_STATE_FENCED
                || brokerChangeInFlight.contains(id) || probesInFlight.contains(id)
                || nowMs < nextProbeMs.getOrDefault(id, Long.MIN_VALUE)) {
            return;
        }
        probesInFlight.add(id);
        nextProbeMs.put(id, nowMs + PROBE_RETRY_MS);
        long activationAtStart = activation;
        probe.probe(b.getEndpoint()).whenComplete((answer, e) -> {
            completions.add(() -> {
                if (activationAtStart == activation) {
                    probesInFlight.remove(id);
                    onProbed(s, e == null ? answer : BrokerProbe.Answer.UNKNOWN);
                }
            });
            wakeup.run();
        });
    }

    /** Fences the broker if its endpoint refused and it was not heard from since the probe started. */
    private void onProbed(BrokerSessions.Session probed, BrokerProbe.Answer answer) {
        if (answer != BrokerProbe.Answer.REFUSED || !probed.equals(sessions.get(probed.brokerId()))) {
            return;
        }
        LOG.info("broker {} (epoch {}), silent for {} ms, refused a connection: fencing it", probed.brokerId(),
                probed.brokerEpoch(), nowMs - probed.lastContactMs());
        maybeFenceExpired(images.get(), probed);
    }

    private void changeBrokerState(BrokerRecord b, BrokerState to, List<PartitionChange> changes) {
        int id = b.getBrokerId();
        brokerChangeInFlight.add(id);
        long activationAtStart = activation;
        MetaCommand cmd = MetaCommand.newBuilder().setChangeBrokerState(ChangeBrokerState.newBuilder()
                .setBrokerId(id).setExpectedBrokerEpoch(b.getBrokerEpoch()).setNewState(to)
                .addAllPartitionChanges(changes)).build();
        propose(cmd).whenComplete((r, e) -> {
            if (activationAtStart != activation) {
                return;
            }
            brokerChangeInFlight.remove(id);
            if (r != null && r.getErrorCode() == ErrorCode.ERROR_CODE_NONE && to == BrokerState.BROKER_STATE_FENCED) {
                sessions.remove(id);
                nextProbeMs.remove(id);
            }
        });
    }

    /** Proposes a command; the future completes on this controller's thread. */
    CompletableFuture<MetaResult> propose(MetaCommand command) {
        CompletableFuture<MetaResult> out = new CompletableFuture<>();
        sink.submit(command).whenComplete((r, e) -> {
            boolean committed = e == null && r.getErrorCode() != ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE;
            if (committed) {
                sink.spreadCommits();
            }
            Runnable report = () -> {
                completions.add(() -> {
                    if (e != null) {
                        out.completeExceptionally(e);
                    } else {
                        out.complete(r);
                    }
                });
                wakeup.run();
            };
            if (committed) {
                report.run();
            } else {
                // A store that fails at once would otherwise have the retry proposed again at once.
                CompletableFuture.delayedExecutor(UNCOMMITTED_PAUSE_MS, TimeUnit.MILLISECONDS).execute(report);
            }
        });
        return out;
    }

    private void drainCompletions() {
        Runnable r;
        while ((r = completions.poll()) != null) {
            r.run();
        }
    }

    private <T> CompletableFuture<T> handled(CompletableFuture<T> f) {
        drainCompletions();
        return f;
    }

    /** A broker registers at start-up. */
    public CompletableFuture<RegisterBrokerResponse> handleRegisterBroker(RegisterBrokerRequest req, long nowMs) {
        this.nowMs = Math.max(this.nowMs, nowMs);
        RegisterBrokerResponse.Builder resp = RegisterBrokerResponse.newBuilder().setControllerId(nodeId);
        MetadataImage image = images.get();
        String bad = req.getBrokerId() < 0 || req.getIncarnationId().isEmpty() || req.getEndpoint().getHost().isEmpty()
                || req.getEndpoint().getPort() < 1 || req.getEndpoint().getPort() > 65_535
                ? "a registration needs a broker id >= 0, an incarnation id and an endpoint" : null;
        if (bad == null && !req.getClusterId().isEmpty() && !image.clusterId().isEmpty()
                && !req.getClusterId().equals(image.clusterId())) {
            bad = "the broker's data belongs to cluster " + req.getClusterId() + ", this is " + image.clusterId();
        }
        if (bad != null) {
            return done(resp.setErrorCode(ErrorCode.ERROR_CODE_INVALID_REQUEST).setErrorMessage(bad).build());
        }
        BrokerRecord existing = image.broker(req.getBrokerId());
        if (existing != null && !existing.getIncarnationId().equals(req.getIncarnationId())
                && existing.getState() != BrokerState.BROKER_STATE_FENCED) {
            return done(resp.setErrorCode(ErrorCode.ERROR_CODE_DUPLICATE_BROKER_REGISTRATION).setErrorMessage(
                    "broker " + req.getBrokerId() + " is still held by incarnation " + existing.getIncarnationId()
                    + " until its session expires").build());
        }
        MetaCommand cmd = MetaCommand.newBuilder().setRegisterBroker(RegisterBroker.newBuilder()
                .setBrokerId(req.getBrokerId()).setIncarnationId(req.getIncarnationId()).setEndpoint(req.getEndpoint())
                .setRack(req.getRack()).setLogIntact(req.getLogIntact())).build();
        return handled(propose(cmd).thenApply(r -> {
            if (r.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                long epoch = r.getBrokerRegistered().getBrokerEpoch();
                sessions.touch(req.getBrokerId(), epoch, this.nowMs);
                return resp.setBrokerEpoch(epoch).build();
            }
            return resp.setErrorCode(r.getErrorCode()).setErrorMessage(r.getErrorMessage()).build();
        }));
    }

    /** A broker's heartbeat: keeps its session, unfences it when caught up, runs controlled shutdown. */
    public CompletableFuture<BrokerHeartbeatResponse> handleBrokerHeartbeat(BrokerHeartbeatRequest req, long nowMs) {
        this.nowMs = Math.max(this.nowMs, nowMs);
        drainCompletions();
        MetadataImage image = images.get();
        BrokerRecord b = image.broker(req.getBrokerId());
        BrokerHeartbeatResponse.Builder resp = BrokerHeartbeatResponse.newBuilder().setControllerId(nodeId);
        if (b == null || b.getBrokerEpoch() != req.getBrokerEpoch()) {
            return done(resp.setErrorCode(ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH).setErrorMessage("broker "
                    + req.getBrokerId() + " is not registered with epoch " + req.getBrokerEpoch()
                    + "; register again").build());
        }
        sessions.touch(b.getBrokerId(), b.getBrokerEpoch(), this.nowMs);
        BrokerState state = b.getState();
        boolean idle = !brokerChangeInFlight.contains(b.getBrokerId());
        if (req.getWantShutDown()) {
            if (state == BrokerState.BROKER_STATE_ACTIVE && idle) {
                changeBrokerState(b, BrokerState.BROKER_STATE_SHUTTING_DOWN,
                        Elections.removeBroker(image, b.getBrokerId()));
            }
        } else if (req.getWantFence()) {
            if (state == BrokerState.BROKER_STATE_ACTIVE && idle) {
                changeBrokerState(b, BrokerState.BROKER_STATE_FENCED, Elections.removeBroker(image, b.getBrokerId()));
            }
        } else if (state == BrokerState.BROKER_STATE_FENCED && idle && req.getMetadataOffset() >= b.getBrokerEpoch()) {
            BrokerRecord active = b.toBuilder().setState(BrokerState.BROKER_STATE_ACTIVE).build();
            changeBrokerState(b, BrokerState.BROKER_STATE_ACTIVE, Elections.onUnfence(withBroker(image, active),
                    b.getBrokerId()));
        }
        boolean shutdownComplete = req.getWantShutDown() && state != BrokerState.BROKER_STATE_ACTIVE
                && image.partitionsInIsr(b.getBrokerId()).isEmpty();
        return done(resp.setState(state).setShutdownComplete(shutdownComplete).build());
    }

    /** The image as if {@code broker} were registered as given (to plan elections for an unfence). */
    private static MetadataImage withBroker(MetadataImage image, BrokerRecord broker) {
        MetadataImage.Parts p = image.parts();
        return new MetadataImage(new MetadataImage.Parts(p.lastAppliedIndex(), p.lastAppliedTerm(), p.clusterId(),
                p.brokers().plus(broker.getBrokerId(), broker), p.topicsById(), p.topicIdsByName(), p.isrIndex(),
                p.groups(), p.offsets(), p.nextProducerId()));
    }

    /** A partition leader asks to change ISRs. */
    public CompletableFuture<AlterPartitionResponse> handleAlterPartition(AlterPartitionRequest req, long nowMs) {
        this.nowMs = Math.max(this.nowMs, nowMs);
        return handled(partitions.alterPartition(images.get(), req));
    }

    /** A broker asks for a block of producer ids. */
    public CompletableFuture<AllocateProducerIdsResponse> handleAllocateProducerIds(AllocateProducerIdsRequest req,
            long nowMs) {
        this.nowMs = Math.max(this.nowMs, nowMs);
        MetaCommand cmd = MetaCommand.newBuilder().setAllocateProducerIds(AllocateProducerIds.newBuilder()
                .setBrokerId(req.getBrokerId()).setBrokerEpoch(req.getBrokerEpoch())
                .setBlockSize(config.producerIdBlockSize())).build();
        return handled(propose(cmd).thenApply(r -> AllocateProducerIdsResponse.newBuilder().setControllerId(nodeId)
                .setErrorCode(r.getErrorCode()).setErrorMessage(r.getErrorMessage())
                .setFirstProducerId(r.getProducerIdBlock().getFirstProducerId())
                .setSize(r.getProducerIdBlock().getSize()).build()));
    }

    /** CreateTopics forwarded by a broker. */
    public CompletableFuture<CreateTopicsResponse> handleCreateTopics(CreateTopicsRequest req, long nowMs) {
        this.nowMs = Math.max(this.nowMs, nowMs);
        return handled(topics.createTopics(images.get(), req));
    }

    /** DeleteTopics forwarded by a broker. */
    public CompletableFuture<DeleteTopicsResponse> handleDeleteTopics(DeleteTopicsRequest req, long nowMs) {
        this.nowMs = Math.max(this.nowMs, nowMs);
        return handled(topics.deleteTopics(images.get(), req));
    }

    /** CreatePartitions forwarded by a broker. */
    public CompletableFuture<CreatePartitionsResponse> handleCreatePartitions(CreatePartitionsRequest req, long nowMs) {
        this.nowMs = Math.max(this.nowMs, nowMs);
        return handled(topics.createPartitions(images.get(), req));
    }

    /** IncrementalAlterConfigs forwarded by a broker. */
    public CompletableFuture<IncrementalAlterConfigsResponse> handleIncrementalAlterConfigs(
            IncrementalAlterConfigsRequest req, long nowMs) {
        this.nowMs = Math.max(this.nowMs, nowMs);
        return handled(configs.alter(images.get(), req));
    }

    /** ElectLeaders forwarded by a broker. */
    public CompletableFuture<ElectLeadersResponse> handleElectLeaders(ElectLeadersRequest req, long nowMs) {
        this.nowMs = Math.max(this.nowMs, nowMs);
        return handled(partitions.electLeaders(images.get(), req));
    }

    /** Whether the broker's session is alive (for tests and DescribeCluster). */
    public boolean isSessionAlive(int brokerId) {
        return sessions.isAlive(brokerId, nowMs, config.sessionTimeoutMs());
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
