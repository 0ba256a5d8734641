package io.sluice.client.admin;

import io.sluice.client.admin.internal.AdminCore;
import io.sluice.client.admin.internal.AdminThread;
import io.sluice.client.admin.internal.ClusterRequests;
import io.sluice.client.admin.internal.GroupAdminRequests;
import io.sluice.client.admin.internal.TopicRequests;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.OffsetAndMetadata;
import io.sluice.client.errors.GroupNotEmptyException;
import io.sluice.client.errors.GroupNotFoundException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.internal.Backoff;
import io.sluice.client.internal.GroupRequests;
import io.sluice.client.internal.ListOffsetsOperation;
import io.sluice.client.internal.metadata.MetadataManager;
import io.sluice.client.internal.network.EventQueue;
import io.sluice.client.internal.network.GrpcTransport;
import io.sluice.client.internal.network.HostPort;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.client.internal.network.Transport;
import io.sluice.common.Clock;
import io.sluice.common.SystemClock;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.IsolationLevel;
import io.sluice.proto.v1.OffsetSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Sluice admin client: {@link Admin} over gRPC. One background thread runs a poll-driven core
 * ({@link AdminCore}) with every operation in flight; the methods here only build operations and
 * submit them. Multi-step operations ({@link #resetGroupOffsets}) chain futures that run on that
 * thread. Thread-safe.
 */
public final class SluiceAdmin implements Admin {
    private static final AtomicInteger CLIENT_NUMBER = new AtomicInteger();
    private static final long DEFAULT_CLOSE_MS = 30_000;
    private static final int ANSWER_BYTES = 64 << 20;

    private final AdminConfig config;
    private final Clock clock;
    private final Transport transport;
    private final boolean ownsTransport;
    private final AdminCore core;
    private final AdminThread thread;

    /** An admin client with a parsed configuration. */
    public SluiceAdmin(AdminConfig config) {
        this(config, new GrpcTransport(ANSWER_BYTES), true, SystemClock.INSTANCE, new Random());
    }

    /** An admin client over the given transport, clock and randomness (tests); the caller owns the transport. */
    public SluiceAdmin(AdminConfig config, Transport transport, Clock clock, Random random) {
        this(config, transport, false, clock, random);
    }

    private SluiceAdmin(AdminConfig config, Transport transport, boolean ownsTransport, Clock clock, Random random) {
        this.config = config;
        this.clock = clock;
        this.transport = transport;
        this.ownsTransport = ownsTransport;
        Backoff backoff = new Backoff(config.getLong(AdminConfig.RETRY_BACKOFF_MS),
                config.getLong(AdminConfig.RETRY_BACKOFF_MAX_MS), random);
        int requestTimeoutMs = config.getInt(AdminConfig.REQUEST_TIMEOUT_MS);
        MetadataManager metadata = new MetadataManager(
                HostPort.parseAllInRandomOrder(config.getList(AdminConfig.BOOTSTRAP_SERVERS)),
                config.getLong(AdminConfig.METADATA_MAX_AGE_MS), requestTimeoutMs, backoff);
        EventQueue events = new EventQueue();
        this.core = new AdminCore(metadata, new NetworkClient(transport, events), backoff, requestTimeoutMs);
        String clientId = config.getString(AdminConfig.CLIENT_ID).isEmpty()
                ? "admin-" + CLIENT_NUMBER.incrementAndGet() : config.getString(AdminConfig.CLIENT_ID);
        this.thread = new AdminThread(core, events, clock, "sluice-admin-" + clientId);
        this.thread.start();
    }

    private long deadline() {
        return clock.monotonicMs() + config.getLong(AdminConfig.DEFAULT_API_TIMEOUT_MS);
    }

    private int serverTimeoutMs() {
        return (int) Math.min(Integer.MAX_VALUE, config.getLong(AdminConfig.DEFAULT_API_TIMEOUT_MS));
    }

    @Override
    public CompletableFuture<Results<String, CreatedTopic>> createTopics(Collection<NewTopic> topics) {
        return core.submit(TopicRequests.create(List.copyOf(topics), serverTimeoutMs(), deadline())).future();
    }

    @Override
    public CompletableFuture<Results<String, Void>> deleteTopics(Collection<String> names) {
        return core.submit(TopicRequests.delete(List.copyOf(names), serverTimeoutMs(), deadline())).future();
    }

    @Override
    public CompletableFuture<Set<String>> listTopics() {
        return core.submit(TopicRequests.list(deadline())).future();
    }

    @Override
    public CompletableFuture<Results<String, TopicDescription>> describeTopics(Collection<String> names) {
        return core.submit(TopicRequests.describe(List.copyOf(names), deadline())).future();
    }

    @Override
    public CompletableFuture<Results<String, Void>> createPartitions(Map<String, Integer> newTotalCounts) {
        return core.submit(TopicRequests.addPartitions(Map.copyOf(newTotalCounts), serverTimeoutMs(), deadline()))
                .future();
    }

    @Override
    public CompletableFuture<Results<String, Map<String, ConfigEntry>>> describeTopicConfigs(
            Collection<String> topics) {
        return core.submit(TopicRequests.describeConfigs(List.copyOf(topics), deadline())).future();
    }

    @Override
    public CompletableFuture<Results<String, Void>> alterTopicConfigs(Map<String, List<ConfigChange>> changes) {
        return core.submit(TopicRequests.alterConfigs(Map.copyOf(changes), deadline())).future();
    }

    @Override
    public CompletableFuture<Map<TopicPartition, ListedOffset>> listOffsets(Map<TopicPartition, OffsetQuery> queries) {
        Map<TopicPartition, ListOffsetsOperation.Query> wire = new LinkedHashMap<>();
        queries.forEach((tp, q) -> wire.put(tp, new ListOffsetsOperation.Query(spec(q.kind()), q.timestampMs())));
        return core.submit(ListOffsetsOperation.create(wire, IsolationLevel.ISOLATION_LEVEL_READ_UNCOMMITTED,
                deadline())).future().thenApply(results -> {
                    Map<TopicPartition, ListedOffset> out = new LinkedHashMap<>();
                    results.forEach((tp, r) -> out.put(tp, new ListedOffset(r.offset(), r.timestampMs(),
                            r.leaderEpoch())));
                    return out;
                });
    }

    private static OffsetSpec spec(OffsetQuery.Kind kind) {
        return switch (kind) {
            case EARLIEST -> OffsetSpec.OFFSET_SPEC_EARLIEST;
            case LATEST -> OffsetSpec.OFFSET_SPEC_LATEST;
            case TIMESTAMP -> OffsetSpec.OFFSET_SPEC_TIMESTAMP;
            case MAX_TIMESTAMP -> OffsetSpec.OFFSET_SPEC_MAX_TIMESTAMP;
            default -> throw new IllegalArgumentException("unknown offset query " + kind);
        };
    }

    @Override
    public CompletableFuture<Map<TopicPartition, Long>> deleteRecords(Map<TopicPartition, Long> beforeOffsets) {
        return core.submit(ClusterRequests.deleteRecords(Map.copyOf(beforeOffsets), serverTimeoutMs(), deadline()))
                .future();
    }

    @Override
    public CompletableFuture<ClusterDescription> describeCluster() {
        return core.submit(ClusterRequests.describe(deadline())).future();
    }

    @Override
    public CompletableFuture<Results<TopicPartition, Void>> electLeaders(ElectionType type,
            Set<TopicPartition> partitions) {
        return core.submit(ClusterRequests.electLeaders(Objects.requireNonNull(type, "type"), Set.copyOf(partitions),
                serverTimeoutMs(), deadline())).future();
    }

    @Override
    public CompletableFuture<List<GroupListing>> listGroups() {
        return core.submit(GroupAdminRequests.list(deadline())).future();
    }

    @Override
    public CompletableFuture<GroupDescription> describeGroup(String groupId) {
        return core.submit(GroupAdminRequests.describe(groupId, deadline())).future();
    }

    @Override
    public CompletableFuture<Results<String, Void>> deleteGroups(Collection<String> groupIds) {
        Map<String, CompletableFuture<Void>> each = new LinkedHashMap<>();
        for (String id : groupIds) {
            each.put(id, core.submit(GroupAdminRequests.delete(id, deadline())).future());
        }
        return CompletableFuture.allOf(each.values().toArray(new CompletableFuture<?>[0])).handle((v, e) -> {
            Map<String, Void> ok = new LinkedHashMap<>();
            Map<String, SluiceException> failed = new LinkedHashMap<>();
            each.forEach((id, f) -> {
                try {
                    f.join();
                    ok.put(id, null);
                } catch (CompletionException error) {
                    failed.put(id, asSluice(error));
                }
            });
            return new Results<>(ok, failed);
        });
    }

    private static SluiceException asSluice(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause instanceof SluiceException s ? s
                : new SluiceException(ErrorCode.ERROR_CODE_UNKNOWN_SERVER_ERROR, String.valueOf(cause), cause);
    }

    @Override
    public CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> listGroupOffsets(String groupId) {
        return core.submit(GroupRequests.fetchCommitted(groupId, List.of(), deadline())).future();
    }

    @Override
    public CompletableFuture<Void> alterGroupOffsets(String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {
        return core.submit(GroupRequests.commit(groupId, Map.copyOf(offsets), () -> "", () -> -1, deadline()))
                .future();
    }

    @Override
    public CompletableFuture<Map<TopicPartition, Long>> resetGroupOffsets(String groupId, String topic,
            OffsetQuery target, boolean dryRun) {
        return partitionsOf(topic).thenCompose(partitions -> {
            Map<TopicPartition, OffsetQuery> queries = new LinkedHashMap<>();
            Map<TopicPartition, OffsetQuery> latest = new LinkedHashMap<>();
            partitions.forEach(tp -> {
                queries.put(tp, target);
                latest.put(tp, OffsetQuery.latest());
            });
            return listOffsets(queries).thenCombine(listOffsets(latest), (found, ends) -> {
                Map<TopicPartition, Long> targets = new LinkedHashMap<>();
                found.forEach((tp, o) -> targets.put(tp, o.offset() >= 0 ? o.offset() : ends.get(tp).offset()));
                return targets;
            });
        }).thenCompose(targets -> commitIfEmpty(groupId, targets, dryRun));
    }

    @Override
    public CompletableFuture<Map<TopicPartition, Long>> resetGroupOffsets(String groupId, String topic, long offset,
            boolean dryRun) {
        return partitionsOf(topic).thenCompose(partitions -> {
            Map<TopicPartition, OffsetQuery> earliest = new LinkedHashMap<>();
            Map<TopicPartition, OffsetQuery> latest = new LinkedHashMap<>();
            partitions.forEach(tp -> {
                earliest.put(tp, OffsetQuery.earliest());
                latest.put(tp, OffsetQuery.latest());
            });
            return listOffsets(earliest).thenCombine(listOffsets(latest), (starts, ends) -> {
                Map<TopicPartition, Long> targets = new LinkedHashMap<>();
                partitions.forEach(tp -> targets.put(tp, Math.max(starts.get(tp).offset(),
                        Math.min(offset, ends.get(tp).offset()))));
                return targets;
            });
        }).thenCompose(targets -> commitIfEmpty(groupId, targets, dryRun));
    }

    private CompletableFuture<List<TopicPartition>> partitionsOf(String topic) {
        return describeTopics(List.of(topic)).thenApply(results -> results.get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList());
    }

    private CompletableFuture<Map<TopicPartition, Long>> commitIfEmpty(String groupId,
            Map<TopicPartition, Long> targets, boolean dryRun) {
        return describeGroup(groupId).handle((group, error) -> {
            if (error != null && !(asSluice(error) instanceof GroupNotFoundException)) {
                throw asSluice(error);
            }
            if (group != null && !group.members().isEmpty()) {
                throw new GroupNotEmptyException("group '" + groupId + "' has " + group.members().size()
                        + " active member(s); stop its consumers before resetting its offsets");
            }
            return targets;
        }).thenCompose(t -> {
            if (dryRun) {
                return CompletableFuture.completedFuture(t);
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
            t.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
            return alterGroupOffsets(groupId, offsets).thenApply(v -> t);
        });
    }

    @Override
    public void close() {
        close(Duration.ofMillis(DEFAULT_CLOSE_MS));
    }

    @Override
    public void close(Duration timeout) {
        try {
            thread.close(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsTransport) {
            transport.close();
        }
    }
}
