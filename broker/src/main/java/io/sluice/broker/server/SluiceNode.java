package io.sluice.broker.server;

import io.grpc.BindableService;
import io.sluice.broker.group.GroupCoordinatorDependencies;
import io.sluice.broker.group.GroupCoordinatorDriver;
import io.sluice.broker.group.GroupGrpcService;
import io.sluice.broker.log.LogMaintenanceDriver;
import io.sluice.broker.log.LogManager;
import io.sluice.broker.partition.BackgroundReplicaStateStore;
import io.sluice.broker.partition.FileReplicaStateStore;
import io.sluice.broker.partition.ReplicaManager;
import io.sluice.broker.partition.Partition;
import io.sluice.broker.replication.GrpcReplicaFetchTransport;
import io.sluice.broker.server.api.AdminGrpcService;
import io.sluice.broker.server.api.ConfigDescriber;
import io.sluice.broker.server.api.MetadataGrpcService;
import io.sluice.broker.server.api.ProducerIdManager;
import io.sluice.broker.server.dataplane.DataPlane;
import io.sluice.broker.server.groups.ImageTopicCatalog;
import io.sluice.broker.server.groups.LeaderOffsetsLookup;
import io.sluice.broker.server.groups.MetaStoreGroupStore;
import io.sluice.broker.server.groups.QuorumCoordinatorLocator;
import io.sluice.broker.server.dataplane.DataPlaneDriver;
import io.sluice.common.Clock;
import io.sluice.metastore.MetaStore;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.MetadataNode;
import io.sluice.metastore.controller.BrokerLifecycle;
import io.sluice.metastore.controller.ControllerClient;
import io.sluice.metastore.controller.ControllerDriver;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.Endpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Sluice node: the metadata quorum member (voter with the controller role, listener
 * otherwise) and, with the broker role, the partition logs, the data plane and the broker's
 * registration; one gRPC endpoint serves them all.
 *
 * <p>Start-up order: data directory (locked) → metadata node → storage (recovers every log) → gRPC
 * endpoint → registration (fenced) → catch up with the metadata log and hand the image to the data
 * plane → ask to be unfenced → {@link #awaitReady} returns once the controller made the broker ACTIVE.
 * Shutdown ({@link #close}) reverses it, after a controlled shutdown that moves leadership away.
 */
public final class SluiceNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SluiceNode.class);
    private static final long READ_RETRY_BACKOFF_MS = 500;

    private final NodeConfig config;
    private final Clock clock;
    private DataDirectory dataDir;
    private MetadataNode metadata;
    private LogManager logs;
    private LogMaintenanceDriver logMaintenance;
    private DataPlane dataPlane;
    private DataPlaneDriver dataPlaneDriver;
    private BackgroundReplicaStateStore replicaState;
    private MetadataBridge bridge;
    private GroupCoordinatorDriver groupDriver;
    private LeaderOffsetsLookup offsetsLookup;
    private BrokerLifecycle lifecycle;
    private ControllerClient controllerClient;
    private RpcServer rpc;
    private volatile boolean closed;

    private SluiceNode(NodeConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Starts every part of the node; on failure, stops what was started and throws. */
    public static SluiceNode start(NodeConfig config, Clock clock) throws Exception {
        SluiceNode node = new SluiceNode(config, clock);
        try {
            node.startParts();
            return node;
        } catch (Exception | Error e) {
            node.close();
            throw e;
        }
    }

    private void startParts() throws Exception {
        dataDir = DataDirectory.open(config.dataDir(), config.nodeId());
        Endpoint client = clientEndpoint();
        metadata = MetadataNode.start(NodeSettings.metadataNodeConfig(config, client), clock);
        TopicSettingsFactory topicSettings = new TopicSettingsFactory(NodeSettings.clusterTopicDefaults(config));
        List<BindableService> services = new ArrayList<>();
        services.add(new MetadataGrpcService(metadata.metaStore()));
        if (metadata.controllerService() != null) {
            services.add(metadata.controllerService());
        }
        controllerClient = new ControllerClient(metadata.metaStore(), clock, ControllerClient.Options.defaults());
        if (config.isBroker()) {
            services.addAll(startBroker(client, topicSettings));
        }
        services.add(startGroupCoordinator());
        rpc = RpcServer.start(config.clientListen().host(), config.clientListen().port(),
                NodeSettings.rpcLimits(config), services, List.of());
        LOG.info("node {} serving the Sluice API on {} (raft {}), data in {}", config.nodeId(),
                config.clientListen(), config.raftListen(), config.dataDir());
    }

    private List<BindableService> startBroker(Endpoint client, TopicSettingsFactory topicSettings) {
        // The log manager asks for high watermarks (retention stays below them) and the replica fetcher
        // for endpoints; both are answered by the replica manager, which needs the log manager first.
        AtomicReference<ReplicaManager> replicas = new AtomicReference<>();
        logs = LogManager.open(NodeSettings.storageConfig(config, dataDir.logs()), clock,
                id -> Optional.ofNullable(replicas.get())
                        .flatMap(r -> r.partition(StorageLogFactory.replicationId(id)))
                        .map(Partition::highWatermark).orElse(-1L));
        logMaintenance = LogMaintenanceDriver.start(logs, clock);
        GrpcReplicaFetchTransport transport = new GrpcReplicaFetchTransport(
                id -> Optional.ofNullable(replicas.get()).flatMap(r -> r.brokerEndpoint(id)),
                config.intSetting("max.request.bytes"));
        replicaState = new BackgroundReplicaStateStore(new FileReplicaStateStore(dataDir.replicaState()),
                "replica-state-writer");
        dataPlane = DataPlane.create(config.nodeId(), clock, NodeSettings.dataPlaneConfig(config),
                new ReplicaManager.Services(new StorageLogFactory(logs), replicaState, transport,
                        controllerClient::alterPartition));
        replicas.set(dataPlane.replicaManager());
        dataPlaneDriver = DataPlaneDriver.start(dataPlane, clock, "data-plane");
        bridge = new MetadataBridge(topicSettings, dataPlaneDriver::applyMetadata);
        metadata.metaStore().addListener(bridge);
        lifecycle = new BrokerLifecycle(new BrokerLifecycle.Settings(config.nodeId(), client, "",
                dataDir.clusterId(), config.longSetting("broker.heartbeat.interval.ms"),
                dataDir.previousStop().logIntact()), controllerClient, metadata.metaStore());
        if (dataDir.previousStop() == StopMarkers.PreviousStop.NOT_REPORTED) {
            LOG.warn("node {}: an earlier start found its logs not intact and stopped before telling the"
                    + " controller; this broker will not be elected as the last copy of any partition",
                    config.nodeId());
        } else if (dataDir.previousStop() == StopMarkers.PreviousStop.KILLED_OTHER_BOOT) {
            LOG.warn("node {}: the previous process did not stop cleanly and the machine has restarted since:"
                    + " writes that were never flushed may be gone, so this broker will not be elected as the last"
                    + " copy of any partition", config.nodeId());
        } else if (dataDir.previousStop() == StopMarkers.PreviousStop.KILLED_SAME_BOOT) {
            LOG.info("node {}: the previous process was killed; the machine kept its writes, so its logs are"
                    + " whole once recovered", config.nodeId());
        }
        lifecycle.setWantFence(true);
        ProducerIdManager producerIds = new ProducerIdManager(config.nodeId(), lifecycle::brokerEpoch,
                controllerClient::allocateProducerIds);
        List<BindableService> services = new ArrayList<>(dataPlane.dataServices(producerIds));
        services.add(new AdminGrpcService(metadata.metaStore(), controllerClient, dataPlane,
                new ConfigDescriber(config.nodeId(), topicSettings.clusterDefaults(), config.settings())));
        return services;
    }

    /** Every group's coordinator is the active controller; every node answers FindCoordinator. */
    private BindableService startGroupCoordinator() {
        MetaStore store = metadata.metaStore();
        MetaStoreGroupStore groupStore = new MetaStoreGroupStore(store);
        ControllerDriver controller = metadata.controller();
        QuorumCoordinatorLocator locator = new QuorumCoordinatorLocator(store,
                () -> controller != null && controller.isActive());
        offsetsLookup = new LeaderOffsetsLookup(store);
        groupDriver = new GroupCoordinatorDriver(NodeSettings.groupCoordinatorConfig(config),
                new GroupCoordinatorDependencies(groupStore, new ImageTopicCatalog(store), offsetsLookup, locator,
                        clock),
                10_000, 100);
        return new GroupGrpcService(groupDriver, groupStore, locator, 35_000);
    }

    /**
     * Waits until the node serves: for a broker, registered, caught up with the metadata log, and made
     * ACTIVE by the controller; for a controller-only node, a member of a quorum with a leader.
     */
    public void awaitReady(long timeoutMs) throws Exception {
        long deadline = clock.monotonicMs() + timeoutMs;
        if (!config.isBroker()) {
            metadata.joined().get(timeoutMs, TimeUnit.MILLISECONDS);
            while (metadata.metaStore().quorumInfo().leaderId() < 0) {
                checkDeadline(deadline, "the metadata quorum has no leader");
                clock.sleepMs(50);
            }
            return;
        }
        lifecycle.start();
        long brokerEpoch = lifecycle.registered().get(remaining(deadline), TimeUnit.MILLISECONDS);
        if (!dataDir.previousStop().logIntact()) {
            dataDir.notIntactReported();
        }
        dataPlane.setBrokerEpoch(brokerEpoch);
        MetadataImage image = latestImage(deadline);
        dataDir.setClusterId(image.clusterId());
        bridge.initialize(image);
        lifecycle.setWantFence(false);
        while (lifecycle.state() != BrokerState.BROKER_STATE_ACTIVE) {
            checkDeadline(deadline, "the controller has not made broker " + config.nodeId() + " active");
            clock.sleepMs(20);
        }
    }

    /**
     * A linearizable read of the metadata, retried until the deadline: a node restarting while the
     * quorum has no leader, or cannot reach a majority, waits for it rather than giving up.
     */
    private MetadataImage latestImage(long deadline) throws Exception {
        while (true) {
            try {
                return metadata.metaStore().readLinearizable().get(remaining(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                checkDeadline(deadline, "no linearizable read of the metadata: " + e.getCause().getMessage());
                LOG.warn("node {}: no linearizable read of the metadata yet ({}); retrying", config.nodeId(),
                        e.getCause().getMessage());
                clock.sleepMs(READ_RETRY_BACKOFF_MS);
            }
        }
    }

    private long remaining(long deadline) {
        return Math.max(1, deadline - clock.monotonicMs());
    }

    private void checkDeadline(long deadline, String what) throws IOException {
        if (clock.monotonicMs() > deadline) {
            throw new IOException("not ready in time: " + what);
        }
    }

    /** Where clients reach this node: the advertised host (or the listen host) and the listen port. */
    private Endpoint clientEndpoint() {
        String advertised = config.settings().getOrDefault("advertised.host", "");
        String host = advertised.isBlank() ? config.clientListen().host() : advertised;
        return Endpoint.newBuilder().setHost(host).setPort(config.clientListen().port()).build();
    }

    public NodeConfig config() {
        return config;
    }

    /** The port the gRPC endpoint bound. */
    public int port() {
        return rpc.port();
    }

    /**
     * Stops the node: a broker first hands its leaderships to other replicas (controlled shutdown,
     * bounded), then stops serving, closes its logs (saving recovery points) and leaves the quorum's
     * traffic. Safe to call twice and on a half-started node.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (lifecycle != null && lifecycle.brokerEpoch() >= 0) {
            try {
                lifecycle.controlledShutdown().get(NodeSettings.controlledShutdownTimeoutMs(config),
                        TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("controlled shutdown did not complete ({}); stopping anyway", e.toString());
            }
        }
        closeQuietly("gRPC endpoint", rpc == null ? null : () -> rpc.stop(5_000));
        closeQuietly("group coordinator", groupDriver);
        closeQuietly("offsets lookup", offsetsLookup);
        closeQuietly("broker lifecycle", lifecycle);
        boolean logsClosed = closeQuietly("data plane", dataPlaneDriver);
        closeQuietly("replica state", replicaState);
        closeQuietly("log maintenance", logMaintenance);
        logsClosed &= closeQuietly("partition logs", logs);
        if (logsClosed && logs != null) {
            closeQuietly("clean-stop marker", dataDir::markCleanStop);
        }
        closeQuietly("controller client", controllerClient);
        closeQuietly("metadata node", metadata);
        closeQuietly("data directory", dataDir);
    }

    /** Closes {@code part} (absent: nothing to do), logging a failure; false if it failed. */
    private static boolean closeQuietly(String what, AutoCloseable part) {
        if (part == null) {
            return true;
        }
        try {
            part.close();
            return true;
        } catch (Exception e) {
            LOG.warn("closing the {} failed: {}", what, e.toString());
            return false;
        }
    }
}
