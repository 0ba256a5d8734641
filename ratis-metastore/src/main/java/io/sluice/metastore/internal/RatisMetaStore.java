package io.sluice.metastore.internal;

import io.sluice.metastore.MetaStore;
import io.sluice.metastore.MetaStoreException;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.MetadataListener;
import io.sluice.metastore.QuorumInfo;
import io.sluice.proto.internal.v1.MetaCommand;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.QuorumRole;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.TimeDuration;

/**
 * {@link MetaStore} over a local Ratis server and its state machine. Writes, linearizable reads and
 * membership changes go to the leader through a Ratis client whose peers are the current Raft
 * configuration with their <em>Raft</em> addresses (the configuration's client addresses are the
 * nodes' Sluice endpoints, which only Sluice clients use); the client is rebuilt when the
 * configuration changes. Writes go through a {@link CommandBatcher} (group commit): concurrent submits
 * share log entries, with a few entries pipelined through Ratis' ordered asynchronous client, so they
 * apply in submission order. While the local server leads, entries are proposed to it directly
 * instead, without a gRPC round trip to itself (see {@link #proposeLocally}). Ratis closes an ordered
 * client for good once one of its requests fails past the retry policy (every later request fails with
 * {@link AlreadyClosedException}); such a client is replaced as soon as a request reports it.
 * Linearizable reads use the unordered path, so a failed read cannot close the window writes depend
 * on.
 *
 * <p>A Ratis client learns of a new leader only when a request to the old one fails, and then tries
 * peers one by one, sleeping between attempts: after the leader dies, the first write on every node
 * would lose several hundred milliseconds (the new leader's own controller among them). So when no
 * write is in flight and the local server knows a leader other than the one the client aims at, the
 * client is replaced by one aimed at the known leader. Only an idle client is replaced, because the
 * order of writes is kept per client: a write on the new client could otherwise overtake one still
 * being retried on the old. Thread-safe.
 */
public final class RatisMetaStore implements MetaStore, AutoCloseable {
    private final int nodeId;
    private final RaftServer server;
    private final RaftGroupId groupId;
    private final MetadataStateMachine stateMachine;
    private final RaftProperties clientProperties;
    private final long requestTimeoutMs;
    /** The answer of a write the quorum did not commit in time; built once, not per command. */
    private final MetaResult timedOut;
    private final ExecutorService adminExecutor;
    private final List<RaftPeer> bootstrapPeers;
    private final CommandBatcher batcher;
    private final QuorumMembership membership;
    private final AtomicInteger writesInFlight = new AtomicInteger();
    private final AtomicLong retriedAttempts = new AtomicLong();
    /** The client id and call ids of writes proposed on the local server (see {@link #proposeLocally}). */
    private final ClientId localClientId = ClientId.randomId();
    private final AtomicLong localCallIds = new AtomicLong();
    private final AtomicLong localEntries = new AtomicLong();
    private RaftClient client;
    private java.util.Set<String> clientPeers = java.util.Set.of();
    private volatile boolean closed;

    /**
     * A store for the local server's division of {@code groupId}.
     *
     * @param bootstrapPeers the voters to contact before the local configuration is known
     */
    public RatisMetaStore(int nodeId, RaftServer server, RaftGroupId groupId, MetadataStateMachine stateMachine,
            List<RaftPeer> bootstrapPeers, long requestTimeoutMs, ExecutorService adminExecutor) {
        this(nodeId, server, groupId, stateMachine, bootstrapPeers, requestTimeoutMs, adminExecutor,
                DEFAULT_BATCHING);
    }

    /**
     * A store for the local server's division of {@code groupId} whose submits are coalesced within
     * {@code batching} (see {@link CommandBatcher}).
     *
     * @param bootstrapPeers the voters to contact before the local configuration is known
     */
    public RatisMetaStore(int nodeId, RaftServer server, RaftGroupId groupId, MetadataStateMachine stateMachine,
            List<RaftPeer> bootstrapPeers, long requestTimeoutMs, ExecutorService adminExecutor,
            CommandBatcher.Limits batching) {
        this.nodeId = nodeId;
        this.server = server;
        this.groupId = groupId;
        this.stateMachine = stateMachine;
        this.requestTimeoutMs = requestTimeoutMs;
        this.timedOut = Results.error(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE,
                "the metadata quorum did not commit the command within " + requestTimeoutMs + " ms (outcome unknown)");
        this.adminExecutor = adminExecutor;
        this.bootstrapPeers = List.copyOf(bootstrapPeers);
        this.clientProperties = new RaftProperties();
        org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(clientProperties,
                TimeDuration.valueOf(Math.max(1000, requestTimeoutMs / 3), TimeUnit.MILLISECONDS));
        // The batcher keeps at most maxInFlight write entries outstanding; reads and admin calls share
        // the client, so leave them room below the ordered-async window (a full window blocks the caller).
        org.apache.ratis.client.RaftClientConfigKeys.Async.setOutstandingRequestsMax(clientProperties,
                Math.max(100, batching.maxInFlight() + 64));
        this.batcher = new CommandBatcher(this::sendEntry, batching);
        this.membership = new QuorumMembership(groupId, this::client, this::serversLeaderFirst);
    }

    /** For how many request timeouts a server keeps each reply (Ratis' retry cache); see {@link #retryPolicy}. */
    public static final int RETRY_CACHE_TIMEOUTS = 2;

    /** Group commit defaults: 4 entries in flight, batches up to 256 KiB, 100,000 commands waiting. */
    public static final CommandBatcher.Limits DEFAULT_BATCHING = new CommandBatcher.Limits(4, 256 * 1024, 100_000);

    @Override
    public int nodeId() {
        return nodeId;
    }

    @Override
    public MetadataImage image() {
        return stateMachine.image();
    }

    private synchronized RaftClient client() {
        if (closed) {
            throw new MetaStoreException(ErrorCode.ERROR_CODE_NODE_NOT_READY, "the metadata store is closed", null);
        }
        if (client == null) {
            List<RaftPeer> peers = new ArrayList<>();
            clientPeers = peerKeys(currentPeers());
            for (RaftPeer p : currentPeers()) {
                peers.add(RaftPeer.newBuilder(p).setClientAddress(p.getAddress()).setAdminAddress(p.getAddress())
                        .build());
            }
            RaftClient.Builder builder = RaftClient.newBuilder().setProperties(clientProperties)
                    .setRaftGroup(RaftGroup.valueOf(groupId, peers))
                    .setRetryPolicy(retryPolicy(requestTimeoutMs, retriedAttempts));
            org.apache.ratis.protocol.RaftPeerId leader = knownLeader();
            if (isCurrentPeer(leader)) {
                builder.setLeaderId(leader);
            }
            client = builder.build();
        }
        return client;
    }

    /**
     * The Ratis client's retry policy: a failed attempt is retried after 100 ms, up to {@code requestTimeoutMs}
     * after the request was first sent (and at most {@code requestTimeoutMs / 100} times); each consultation
     * counts in {@code attempts}. The time bound is what lets the servers answer every retry of a write from
     * their retry cache, which keeps a reply for {@link #RETRY_CACHE_TIMEOUTS} request timeouts: a retry of a
     * write that was applied is then answered with the first reply instead of being applied a second time.
     * Without it the policy's 100 attempts of up to a third of the timeout each could retry for ~35 timeouts.
     */
    static RetryPolicy retryPolicy(long requestTimeoutMs, AtomicLong attempts) {
        long sleepMs = 100;
        RetryPolicy retries = RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                (int) Math.max(1, requestTimeoutMs / sleepMs), TimeDuration.valueOf(sleepMs, TimeUnit.MILLISECONDS));
        RetryPolicy counted = event -> {
            attempts.incrementAndGet();
            return retries.handleAttemptFailure(event);
        };
        TimeDuration deadline = TimeDuration.valueOf(requestTimeoutMs, TimeUnit.MILLISECONDS);
        RequestTypeDependentRetryPolicy.Builder byType = RequestTypeDependentRetryPolicy.newBuilder();
        for (RaftProtos.RaftClientRequestProto.TypeCase type : RaftProtos.RaftClientRequestProto.TypeCase.values()) {
            byType.setRetryPolicy(type, counted).setTimeout(type, deadline);
        }
        return byType.build();
    }

    /**
     * The client, first replaced by one aimed at the leader the local server knows if the current one
     * aims elsewhere and no write is in flight on it (see the class comment). For a {@code write} the
     * count of writes in flight is raised under the same lock, so no other caller can replace the
     * client between this choice and the write; the caller lowers it when the write completes.
     */
    private RaftClient clientAimedAtLeader(boolean write) {
        RaftClient old = null;
        RaftClient chosen;
        synchronized (this) {
            org.apache.ratis.protocol.RaftPeerId leader = knownLeader();
            if (client != null && writesInFlight.get() == 0 && isCurrentPeer(leader)
                    && !leader.equals(client.getLeaderId())) {
                old = client;
                client = null;
            }
            chosen = client();
            if (write) {
                writesInFlight.incrementAndGet();
            }
        }
        if (old != null) {
            retire(old);
        }
        return chosen;
    }

    /**
     * Failed attempts of this store's Ratis requests since start: how often the client consulted its
     * retry policy (an attempt that failed or was redirected to another peer, whether or not it was
     * then retried). For tests and diagnostics.
     */
    public long retriedAttempts() {
        return retriedAttempts.get();
    }

    /** Whether {@code id} (null: no) is one of the peers a client is built with. */
    private boolean isCurrentPeer(org.apache.ratis.protocol.RaftPeerId id) {
        return id != null && currentPeers().stream().anyMatch(p -> p.getId().equals(id));
    }

    private Collection<RaftPeer> currentPeers() {
        RaftConfiguration conf = configuration();
        if (conf == null || conf.getAllPeers().isEmpty()) {
            return bootstrapPeers;
        }
        // Only voters can lead; a client that also knew the listeners would try them first.
        List<RaftPeer> peers = new ArrayList<>(conf.getAllPeers(RaftProtos.RaftPeerRole.FOLLOWER));
        return peers.isEmpty() ? bootstrapPeers : peers;
    }

    /** The local server's division of the group, or null while it has none (not started, or closed). */
    private RaftServer.Division division() {
        try {
            return server.getDivision(groupId);
        } catch (IOException e) {
            return null;
        }
    }

    private org.apache.ratis.protocol.RaftPeerId knownLeader() {
        RaftServer.Division division = division();
        return division == null ? null : division.getInfo().getLeaderId();
    }

    private RaftConfiguration configuration() {
        RaftServer.Division division = division();
        return division == null ? null : division.getRaftConf();
    }

    private static java.util.Set<String> peerKeys(Collection<RaftPeer> peers) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        peers.forEach(p -> keys.add(p.getId() + "@" + p.getAddress()));
        return keys;
    }

    /**
     * Replaces the Ratis client when the configuration gained a member or moved one, so requests can
     * reach it. The old client is closed only after a request timeout, so requests in flight on it
     * finish.
     */
    public void configurationChanged() {
        RaftClient old;
        synchronized (this) {
            if (client == null || peerKeys(currentPeers()).equals(clientPeers)) {
                return;
            }
            old = client;
            client = null;
        }
        retire(old);
    }

    /** Closes {@code old} after a request timeout, so requests in flight on it can finish. */
    private void retire(RaftClient old) {
        CompletableFuture.delayedExecutor(requestTimeoutMs, TimeUnit.MILLISECONDS, adminExecutor)
                .execute(() -> closeQuietly(old));
    }

    /** {@code sent} with the request timeout, replacing {@code used} if the failure says it is closed. */
    private CompletableFuture<RaftClientReply> timedReply(RaftClient used, CompletableFuture<RaftClientReply> sent) {
        return sent.orTimeout(requestTimeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete((reply, e) -> replaceIfClosed(used, e != null ? e : reply.getException()));
    }

    /** Replaces {@code used} if {@code failure} says it is closed for good (and nobody replaced it yet). */
    private void replaceIfClosed(RaftClient used, Throwable failure) {
        if (!isClosedClient(failure)) {
            return;
        }
        synchronized (this) {
            if (client != used) {
                return;
            }
            client = null;
        }
        retire(used);
    }

    private static boolean isClosedClient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AlreadyClosedException) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(RaftClient c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing a client only releases channels
        }
    }

    @Override
    public CompletableFuture<MetaResult> submit(MetaCommand command) {
        if (command.getCommandCase() == MetaCommand.CommandCase.COMMAND_NOT_SET) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("a MetaCommand needs a command"));
        }
        return batcher.submit(command).completeOnTimeout(timedOut, requestTimeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Entries this store proposed on the local server while it led, since start (for tests and benchmarks). */
    public long localEntries() {
        return localEntries.get();
    }

    /** Entries sent and commands they carried since start (group commit's effect, for benchmarks). */
    public long[] sentCounts() {
        return batcher.sentCounts();
    }

    /**
     * Proposes one log entry (a command or a batch): on the local server if it leads (see
     * {@link #proposeLocally}), else through the client to the leader. Completes with its result once it
     * is applied on this node too, or with QUORUM_UNAVAILABLE. Never completes exceptionally.
     */
    private CompletableFuture<MetaResult> sendEntry(MetaCommand entry) {
        Message message = Message.valueOf(
                org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations.unsafeWrap(entry.toByteArray()));
        CompletableFuture<MetaResult> local = proposeLocally(message);
        return local != null ? local : sendThroughClient(message);
    }

    private CompletableFuture<MetaResult> sendThroughClient(Message message) {
        CompletableFuture<RaftClientReply> sent;
        RaftClient used;
        try {
            used = clientAimedAtLeader(true);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(unavailable(e));
        }
        try {
            sent = used.async().send(message);
        } catch (RuntimeException e) {
            writesInFlight.decrementAndGet();
            return CompletableFuture.completedFuture(unavailable(e));
        }
        // Counted until Ratis' client is done with the request, not until the store's timeout: the client
        // may still be resending it then, and a write proposed locally or on a replacement client meanwhile
        // could be overtaken by it. So the timeout acts on a copy; and the count drops before the result's
        // continuations run, so that the batcher's next entry already sees the client idle.
        CompletableFuture<RaftClientReply> counted = sent.whenComplete((reply, e) -> writesInFlight.decrementAndGet());
        return resultOf(timedReply(used, counted.copy()));
    }

    /**
     * Proposes {@code message} straight to the local server, without the client's gRPC round trip to
     * itself, if that server leads and is ready and no write is in flight on the client; otherwise, or if
     * the server turns it away before appending it (see {@link #turnedAway}), returns null and the caller
     * sends it through the client.
     *
     * <p>Order: the batcher calls this from one thread at a time, and the server appends a request to its
     * log before {@code submitClientRequestAsync} returns, so local entries enter the log in call order.
     * An entry sent through the client earlier could still reach this leader later, which is why none may
     * be in flight. The reverse is safe: a later entry through the client reaches a leader of a later term,
     * whose log holds whatever survives of this one's, before it.
     *
     * <p>A local request is not retried: Ratis' client would resend it to the next leader, but a
     * request that fails after it entered the log (the leader stepped down before committing it) is
     * answered QUORUM_UNAVAILABLE, outcome unknown, as a timeout is. The reply completes on Ratis' apply
     * thread, so what follows it (parsing, the callers' continuations, the batcher's next entry) runs on
     * the admin executor instead, leaving that thread to apply the next entry.
     */
    private CompletableFuture<MetaResult> proposeLocally(Message message) {
        if (closed || writesInFlight.get() > 0 || !localLeaderReady()) {
            return null;
        }
        RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(localClientId)
                .setServerId(server.getId()).setGroupId(groupId).setCallId(localCallIds.incrementAndGet())
                .setMessage(message).setType(RaftClientRequest.writeRequestType()).build();
        CompletableFuture<RaftClientReply> sent;
        try {
            sent = server.submitClientRequestAsync(request);
        } catch (IOException e) {
            return null; // declared by the interface; Ratis 3.3 reports refusals in the future instead
        }
        if (turnedAway(sent)) {
            return null;
        }
        localEntries.incrementAndGet();
        return resultOf(sent.orTimeout(requestTimeoutMs, TimeUnit.MILLISECONDS)
                .thenApplyAsync(reply -> reply, adminExecutor));
    }

    /** Whether the local leader is ready to take writes (it committed an entry of its term). */
    private boolean localLeaderReady() {
        RaftServer.Division division = division();
        return division != null && division.getInfo().isLeader() && division.getInfo().isLeaderReady();
    }

    /**
     * Whether {@code sent} already failed because the server was not ready, not yet a ready leader, or
     * handing leadership over: Ratis 3.3 raises those only before it appends a request. Not leading any
     * more (NotLeaderException) does not count: a leader that steps down answers its pending requests
     * with the same exception, and one appended just before the step-down may already have that answer
     * when the call returns.
     */
    private static boolean turnedAway(CompletableFuture<RaftClientReply> sent) {
        if (!sent.isDone()) {
            return false;
        }
        try {
            RaftClientReply reply = sent.join();
            return !reply.isSuccess() && refusedBeforeAppend(reply.getException());
        } catch (CompletionException e) {
            return refusedBeforeAppend(e.getCause());
        }
    }

    private static boolean refusedBeforeAppend(Throwable t) {
        return t instanceof LeaderNotReadyException || t instanceof LeaderSteppingDownException
                || t instanceof ServerNotReadyException;
    }

    /** The result a write's reply carries, once this node applied it too; QUORUM_UNAVAILABLE on failure. */
    private CompletableFuture<MetaResult> resultOf(CompletableFuture<RaftClientReply> replied) {
        return replied.thenCompose(reply -> {
            if (!reply.isSuccess()) {
                return CompletableFuture.completedFuture(unavailable(reply.getException()));
            }
            MetaResult result = parseResult(reply);
            return awaitIndex(result.getAppliedIndex()).orTimeout(requestTimeoutMs, TimeUnit.MILLISECONDS)
                    .thenApply(image -> result);
        }).exceptionally(RatisMetaStore::unavailable);
    }

    private static MetaResult parseResult(RaftClientReply reply) {
        try {
            return MetaResult.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new CompletionException(e);
        }
    }

    private static MetaResult unavailable(Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        return Results.error(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, "the metadata quorum did not commit the "
                + "command (outcome unknown): " + (c == null ? "no reply" : c.getClass().getSimpleName() + ": "
                + c.getMessage()));
    }

    @Override
    public CompletableFuture<MetadataImage> readLinearizable() {
        CompletableFuture<RaftClientReply> sent;
        RaftClient used;
        try {
            used = clientAimedAtLeader(false);
            sent = used.async().sendReadOnlyUnordered(Message.EMPTY);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unavailableException(e));
        }
        return timedReply(used, sent).thenCompose(reply -> {
            if (!reply.isSuccess()) {
                throw unavailableException(reply.getException());
            }
            long index = reply.getMessage().getContent().asReadOnlyByteBuffer().getLong(0);
            return awaitIndex(index).orTimeout(requestTimeoutMs, TimeUnit.MILLISECONDS);
        }).exceptionallyCompose(e -> CompletableFuture.failedFuture(
                e instanceof MetaStoreException ? e : unavailableException(e)));
    }

    private static MetaStoreException unavailableException(Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof MetaStoreException m) {
            return m;
        }
        return new MetaStoreException(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, "no linearizable read: " + c, c);
    }

    @Override
    public CompletableFuture<MetadataImage> awaitIndex(long index) {
        return stateMachine.waiters().await(index);
    }

    @Override
    public void addListener(MetadataListener listener) {
        stateMachine.addListener(listener);
    }

    @Override
    public void removeListener(MetadataListener listener) {
        stateMachine.removeListener(listener);
    }

    @Override
    public QuorumInfo quorumInfo() {
        RaftServer.Division division = division();
        if (division == null) {
            return new QuorumInfo(nodeId, -1, 0, 0, image().lastAppliedIndex(), List.of());
        }
        Map<Integer, Long> commits = new HashMap<>();
        for (RaftProtos.CommitInfoProto c : division.getCommitInfos()) {
            int id = NodeIds.nodeId(org.apache.ratis.protocol.RaftPeerId.valueOf(c.getServer().getId()));
            commits.put(id, c.getCommitIndex());
        }
        long applied = image().lastAppliedIndex();
        commits.put(nodeId, applied);
        List<QuorumInfo.Member> members = new ArrayList<>();
        RaftConfiguration conf = division.getRaftConf();
        addMembers(members, conf.getAllPeers(RaftProtos.RaftPeerRole.FOLLOWER), QuorumRole.QUORUM_ROLE_VOTER, commits);
        addMembers(members, conf.getAllPeers(RaftProtos.RaftPeerRole.LISTENER), QuorumRole.QUORUM_ROLE_LISTENER,
                commits);
        members.sort((a, b) -> Integer.compare(a.nodeId(), b.nodeId()));
        org.apache.ratis.protocol.RaftPeerId leader = division.getInfo().getLeaderId();
        long commitIndex = division.getRaftLog().getLastCommittedIndex();
        return new QuorumInfo(nodeId, leader == null ? -1 : NodeIds.nodeId(leader), division.getInfo().getCurrentTerm(),
                commitIndex, applied, members);
    }

    private static void addMembers(List<QuorumInfo.Member> out, Collection<RaftPeer> peers, QuorumRole role,
            Map<Integer, Long> commits) {
        for (RaftPeer p : peers) {
            int id = NodeIds.nodeId(p.getId());
            out.add(new QuorumInfo.Member(id, role, Endpoints.parse(p.getAddress()),
                    Endpoints.parse(p.getClientAddress()), commits.getOrDefault(id, -1L)));
        }
    }

    @Override
    public CompletableFuture<MetaResult> addQuorumMember(int memberId, QuorumRole role, Endpoint raftEndpoint,
            Endpoint clientEndpoint) {
        if (memberId < 0 || raftEndpoint == null || !BrokerCommands.validEndpoint(raftEndpoint)
                || clientEndpoint != null && !BrokerCommands.validEndpoint(clientEndpoint)
                || role != QuorumRole.QUORUM_ROLE_VOTER && role != QuorumRole.QUORUM_ROLE_LISTENER) {
            return CompletableFuture.completedFuture(Results.error(ErrorCode.ERROR_CODE_INVALID_QUORUM_CHANGE,
                    "a new member needs a node id >= 0, a role, a Raft endpoint and, if given, a valid client "
                    + "endpoint"));
        }
        RaftPeer peer = QuorumPeers.peer(memberId, raftEndpoint, clientEndpoint, role);
        return changeConfiguration(() -> membership.add(peer, role));
    }

    @Override
    public CompletableFuture<MetaResult> removeQuorumMember(int memberId) {
        return changeConfiguration(() -> membership.remove(NodeIds.peerId(memberId)));
    }

    /** A blocking membership change. */
    @FunctionalInterface
    private interface Change {
        MetaResult run() throws IOException;
    }

    private CompletableFuture<MetaResult> changeConfiguration(Change change) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return change.run();
            } catch (IOException | RuntimeException e) {
                return Results.error(ErrorCode.ERROR_CODE_QUORUM_UNAVAILABLE, "configuration change failed: " + e);
            }
        }, adminExecutor);
    }

    /** The voters to ask for the configuration, the known leader first. */
    private Collection<RaftPeer> serversLeaderFirst() {
        List<RaftPeer> peers = new ArrayList<>(currentPeers());
        org.apache.ratis.protocol.RaftPeerId leader = knownLeader();
        peers.sort((a, b) -> Boolean.compare(!a.getId().equals(leader), !b.getId().equals(leader)));
        return peers;
    }

    @Override
    public void close() {
        batcher.close();
        RaftClient c;
        synchronized (this) {
            closed = true;
            c = client;
            client = null;
        }
        if (c != null) {
            closeQuietly(c);
        }
    }
}
