package io.sluice.metastore;

import io.sluice.common.Clock;
import io.sluice.metastore.controller.CommandSink;
import io.sluice.metastore.controller.ControllerDriver;
import io.sluice.metastore.controller.ControllerGrpcService;
import io.sluice.metastore.controller.QuorumController;
import io.sluice.metastore.controller.TcpBrokerProbe;
import io.sluice.metastore.internal.CommandBatcher;
import io.sluice.metastore.internal.MetadataStateMachine;
import io.sluice.metastore.internal.NodeIds;
import io.sluice.metastore.internal.QuorumPeers;
import io.sluice.metastore.internal.RaftEvents;
import io.sluice.metastore.internal.RatisMetaStore;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.QuorumRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the metadata quorum: a Ratis server (voter or listener) with the metadata state
 * machine, the {@link MetaStore} over it and, on voters, the controller that activates while this
 * node is the Raft leader.
 *
 * <p>Start with {@link #start}; the Raft service binds {@code raftEndpoint}'s port. A node whose
 * storage is new and that is not one of the initial voters ({@code join}, and every listener)
 * starts with an empty configuration and asks the quorum to add it (retrying until it is a member),
 * announcing its Sluice endpoint. A restarted node recovers its log and snapshot from
 * {@code dataDir/metadata} and catches up from the leader (by snapshot if it is far behind).
 *
 * <p>The controller's gRPC service ({@link #controllerService}) is for the node's own Sluice gRPC
 * server; this class starts no Sluice server. Thread-safe; close once.
 */
public final class MetadataNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataNode.class);
    /** The Raft group of every Sluice metadata quorum (clusters are told apart by their cluster id). */
    public static final RaftGroupId GROUP_ID =
            RaftGroupId.valueOf(UUID.fromString("5a1ce000-0000-4000-8000-000000000001"));

    private static final int MAX_QUEUED_COMMANDS = 100_000;
    /** How long the controller waits for a silent broker's endpoint to accept or refuse a connection. */
    private static final int PROBE_CONNECT_TIMEOUT_MS = 500;

    private final MetadataNodeConfig config;
    private final RaftServer server;
    private final MetadataStateMachine stateMachine;
    private final RatisMetaStore store;
    private final ControllerDriver controller;
    private final ControllerGrpcService controllerService;
    private final ExecutorService executor;
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private volatile boolean closed;

    private MetadataNode(MetadataNodeConfig config, RaftServer server, MetadataStateMachine sm, RatisMetaStore store,
            ControllerDriver controller, ExecutorService executor) {
        this.config = config;
        this.server = server;
        this.stateMachine = sm;
        this.store = store;
        this.controller = controller;
        this.executor = executor;
        this.controllerService = controller == null ? null : new ControllerGrpcService(controller, store);
    }

    /** Starts a node; returns once its Raft server runs (it may not have a leader yet). */
    public static MetadataNode start(MetadataNodeConfig config, Clock clock) throws IOException {
        if (!AsyncStages.pooled()) {
            LOG.warn("CompletableFuture starts a thread for every asynchronous stage in this JVM (the common "
                    + "pool's parallelism is 1), and Ratis' follower makes one per append; call "
                    + "AsyncStages.usePooledThreads() first in main or set -D{}=2", AsyncStages.PARALLELISM_PROPERTY);
        }
        Path storageDir = config.dataDir().resolve("metadata");
        boolean fresh = !Files.isDirectory(storageDir.resolve(GROUP_ID.getUuid().toString()));
        Files.createDirectories(storageDir);
        List<RaftPeer> voters = new ArrayList<>();
        for (QuorumPeer v : config.voters()) {
            voters.add(QuorumPeers.peer(v.nodeId(), v.raftEndpoint(), v.clientEndpoint(),
                    QuorumRole.QUORUM_ROLE_VOTER));
        }
        RaftGroup group = config.join() ? RaftGroup.valueOf(GROUP_ID) : RaftGroup.valueOf(GROUP_ID, voters);
        MetadataStateMachine sm = new MetadataStateMachine();
        RaftServer server = RaftServer.newBuilder().setServerId(NodeIds.peerId(config.nodeId())).setGroup(group)
                .setStateMachine(sm).setProperties(properties(config, storageDir))
                .setOption(fresh ? RaftStorage.StartupOption.FORMAT : RaftStorage.StartupOption.RECOVER).build();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "metadata-admin-" + config.nodeId());
            t.setDaemon(true);
            return t;
        });
        RatisMetaStore store = new RatisMetaStore(config.nodeId(), server, GROUP_ID, sm, voters,
                config.requestTimeoutMs(), executor, new CommandBatcher.Limits(config.maxInFlightBatches(),
                        config.maxBatchBytes(), MAX_QUEUED_COMMANDS));
        ControllerDriver driver = null;
        if (config.role() == QuorumRole.QUORUM_ROLE_VOTER) {
            ControllerDriver[] holder = new ControllerDriver[1];
            QuorumController core = new QuorumController(config.nodeId(), config.controller(), CommandSink.of(store),
                    sm::image, UUID::randomUUID, new TcpBrokerProbe(executor, PROBE_CONNECT_TIMEOUT_MS),
                    () -> holder[0].wakeup());
            driver = new ControllerDriver(core, clock, 100, "controller-" + config.nodeId());
            holder[0] = driver;
        }
        MetadataNode node = new MetadataNode(config, server, sm, store, driver, executor);
        sm.setEvents(node.new Events());
        if (driver != null) {
            driver.start();
        }
        server.start();
        if (config.join() && fresh) {
            node.joinQuorum();
        } else {
            node.joined.complete(null);
        }
        return node;
    }

    private static RaftProperties properties(MetadataNodeConfig c, Path storageDir) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(storageDir.toFile()));
        GrpcConfigKeys.Server.setHost(p, c.raftEndpoint().getHost());
        GrpcConfigKeys.Server.setPort(p, c.raftEndpoint().getPort());
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, ms(c.electionTimeoutMinMs()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, ms(c.electionTimeoutMaxMs()));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, ms(Math.max(3000, c.electionTimeoutMaxMs() * 2)));
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, c.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(Integer.MAX_VALUE, Math.max(1, c.snapshotThreshold())));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(c.logSegmentBytes()));
        RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(c.logSegmentBytes(), 4L << 20)));
        // Ratis by default appends a metadata entry (the new commit index) after every commit: a second
        // log entry, write and fsync on every voter per command, which held a lone command to two
        // rounds. A restarting voter learns the commit index from the leader instead (docs/metadata.md).
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        // Each server keeps every client request's reply for the retry cache's expiry time, so that a retried
        // write is answered with its first reply instead of being applied twice. Ratis' default, 60 s, was
        // shorter than the store's client could retry (up to 100 attempts of up to a third of the request
        // timeout each), and kept 60 s of replies alive on every voter. RatisMetaStore now stops retrying a
        // request one request timeout after sending it, and the replies are kept for twice that.
        RaftServerConfigKeys.RetryCache.setExpiryTime(p,
                ms(RatisMetaStore.RETRY_CACHE_TIMEOUTS * c.requestTimeoutMs()));
        return p;
    }

    private static TimeDuration ms(long millis) {
        return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
    }

    private void joinQuorum() {
        if (closed) {
            joined.completeExceptionally(new IllegalStateException("closed"));
            return;
        }
        store.addQuorumMember(config.nodeId(), config.role(), config.raftEndpoint(), config.clientEndpoint())
                .whenComplete((r, e) -> {
                    boolean member = store.quorumInfo().member(config.nodeId()) != null;
                    if (r != null && (r.getErrorCode() == ErrorCode.ERROR_CODE_NONE || member)) {
                        LOG.info("node {} joined the metadata quorum as {}", config.nodeId(), config.role());
                        joined.complete(null);
                    } else {
                        LOG.debug("node {} could not join yet: {}", config.nodeId(), describe(r, e));
                        CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS, executor)
                                .execute(this::joinQuorum);
                    }
                });
    }

    private static String describe(MetaResult r, Throwable e) {
        return r != null ? r.getErrorCode() + " " + r.getErrorMessage() : String.valueOf(e);
    }

    /** Completes once this node is a member of the Raft configuration (at once for an initial voter). */
    public CompletableFuture<Void> joined() {
        return joined;
    }

    /** The node's metadata store. */
    public MetaStore metaStore() {
        return store;
    }

    /** This node's id. */
    public int nodeId() {
        return config.nodeId();
    }

    /** The gRPC ControllerService to register on the node's Sluice gRPC server; null on listeners. */
    public ControllerGrpcService controllerService() {
        return controllerService;
    }

    /** The controller driver (voters only; null on listeners). */
    public ControllerDriver controller() {
        return controller;
    }

    /** Writes a metadata snapshot now (for tests and operators); returns the newest snapshot's index. */
    public long takeSnapshot() throws IOException {
        return stateMachine.snapshotNow();
    }

    /** Routes Raft events to the store and the controller. */
    private final class Events implements RaftEvents {
        @Override
        public void leaderChanged(int leaderId) {
            LOG.debug("node {}: metadata leader is now {}", config.nodeId(), leaderId);
        }

        @Override
        public void leaderReady() {
            if (controller != null) {
                controller.activate();
            }
        }

        @Override
        public void notLeader() {
            if (controller != null) {
                controller.deactivate();
            }
        }

        @Override
        public void configurationChanged() {
            store.configurationChanged();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (controller != null) {
            controller.close();
        }
        store.close();
        server.close();
        executor.shutdownNow();
    }
}
