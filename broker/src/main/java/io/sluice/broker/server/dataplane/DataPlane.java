package io.sluice.broker.server.dataplane;

import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;
import io.sluice.broker.partition.MetadataDelta;
import io.sluice.broker.partition.ReplicaManager;
import io.sluice.broker.server.dataplane.internal.ApiHandlers;
import io.sluice.broker.server.dataplane.internal.FetchHandler;
import io.sluice.broker.server.dataplane.internal.ProduceHandler;
import io.sluice.broker.server.dataplane.internal.ReplicaFetchHandler;
import io.sluice.common.Clock;
import io.sluice.proto.internal.v1.ReplicaFetchRequest;
import io.sluice.proto.internal.v1.ReplicaFetchResponse;
import io.sluice.proto.v1.DeleteRecordsRequest;
import io.sluice.proto.v1.DeleteRecordsResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FetchRequest;
import io.sluice.proto.v1.FetchResponse;
import io.sluice.proto.v1.InitProducerIdRequest;
import io.sluice.proto.v1.InitProducerIdResponse;
import io.sluice.proto.v1.ListOffsetsRequest;
import io.sluice.proto.v1.ListOffsetsResponse;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A broker's data plane: partitions, produce, fetch, replication, ListOffsets and DeleteRecords.
 * Owns the {@link ReplicaManager} (replicas, metadata, replication core) and the API handlers with
 * their delayed answers, and offers the gRPC services that expose them.
 *
 * <p>Threading: the request methods ({@link #produce}, {@link #fetch}, {@link #replicaFetch},
 * {@link #listOffsets}, {@link #deleteRecords}) are thread-safe and never block: an answer that
 * must wait is sent later, by the thread whose change (or poll) completes it. {@link #applyMetadata},
 * {@link #poll} and {@link #close} are the core: one thread at a time, normally the
 * {@link DataPlaneDriver}'s; a simulation calls them itself with a manual clock.
 */
public final class DataPlane implements AutoCloseable {
    private final ReplicaManager replicas;
    private final ApiHandlers handlers;
    private final Clock clock;
    private final DataPlaneConfig config;
    private volatile boolean closed;

    private DataPlane(ReplicaManager replicas, ApiHandlers handlers, Clock clock, DataPlaneConfig config) {
        this.replicas = replicas;
        this.handlers = handlers;
        this.clock = clock;
        this.config = config;
    }

    /**
     * Builds a broker's data plane.
     *
     * @param brokerId this broker's node id
     * @param clock    time for timeouts ({@code monotonicMs}) and append timestamps ({@code wallMs})
     * @param config   API limits and replication settings
     * @param services the log factory, replica state store, replica fetch transport and the
     *                 controller's AlterPartition channel
     */
    public static DataPlane create(int brokerId, Clock clock, DataPlaneConfig config,
            ReplicaManager.Services services) {
        ApiHandlers handlers = new ApiHandlers(config);
        ReplicaManager replicas = new ReplicaManager(brokerId, clock, config.replication(), services,
                handlers.partitionListener());
        handlers.attach(replicas);
        return new DataPlane(replicas, handlers, clock, config);
    }

    public ReplicaManager replicaManager() {
        return replicas;
    }

    public DataPlaneConfig config() {
        return config;
    }

    /** This broker's epoch from its registration with the controller; sent with replica fetches. */
    public void setBrokerEpoch(long brokerEpoch) {
        replicas.setBrokerEpoch(brokerEpoch);
    }

    // ---- APIs (any thread) ----

    /** Produce; {@code respond} runs exactly once, now or when replication completes the request. */
    public void produce(ProduceRequest request, Consumer<ProduceResponse> respond) {
        if (closed) {
            respond.accept(ProduceHandler.refuse(request, ErrorCode.ERROR_CODE_NODE_NOT_READY, notReady()));
            return;
        }
        handlers.produce().handle(request, respond);
    }

    /** Consumer fetch; {@code respond} runs exactly once, now or when data arrives or the wait ends. */
    public void fetch(FetchRequest request, Consumer<FetchResponse> respond) {
        if (closed) {
            respond.accept(FetchHandler.refuse(ErrorCode.ERROR_CODE_NODE_NOT_READY, notReady()));
            return;
        }
        handlers.fetch().handle(request, respond);
    }

    /** A follower's fetch; {@code respond} runs exactly once. */
    public void replicaFetch(ReplicaFetchRequest request, Consumer<ReplicaFetchResponse> respond) {
        if (closed) {
            respond.accept(ReplicaFetchHandler.refuse(ErrorCode.ERROR_CODE_NODE_NOT_READY, notReady()));
            return;
        }
        handlers.replicaFetch().handle(request, respond);
    }

    /** ListOffsets, answered at once. */
    public ListOffsetsResponse listOffsets(ListOffsetsRequest request) {
        return handlers.listOffsets().handle(request);
    }

    /** DeleteRecords; {@code respond} runs exactly once, when the followers confirmed or the timeout passed. */
    public void deleteRecords(DeleteRecordsRequest request, Consumer<DeleteRecordsResponse> respond) {
        handlers.deleteRecords().handle(request, respond);
    }

    private String notReady() {
        return "broker " + replicas.localBrokerId() + " is shutting down";
    }

    // ---- core (one thread) ----

    /** Applies metadata changes now (core thread); see {@link ReplicaManager#applyMetadata}. */
    public void applyMetadata(MetadataDelta delta) {
        replicas.applyMetadata(delta, clock.monotonicMs());
    }

    /**
     * Runs the replication core and expires delayed answers.
     *
     * @return the time at which this wants the next poll (work posted to the inbox also wants one)
     */
    public long poll(long nowMs) {
        long next = replicas.poll(nowMs);
        return Math.min(next, handlers.poll(nowMs));
    }

    /** Delayed answers currently waiting (for tests and metrics). */
    public int waitingOperations() {
        return handlers.waiting();
    }

    /**
     * Produce, fetch and replica fetch, for a node whose AdminService is its own (it delegates
     * ListOffsets and DeleteRecords here) and whose InitProducerId is answered by {@code initProducerId}.
     */
    public List<BindableService> dataServices(
            BiConsumer<InitProducerIdRequest, StreamObserver<InitProducerIdResponse>> initProducerId) {
        return List.of(new ProducerGrpcService(this, initProducerId), new ConsumerGrpcService(this),
                new ReplicationGrpcService(this));
    }

    /** The gRPC services to register on the node's endpoint. */
    public List<BindableService> services() {
        return List.of(new ProducerGrpcService(this), new ConsumerGrpcService(this), new ReplicationGrpcService(this),
                new AdminDataPlaneService(this));
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops serving: new requests get NODE_NOT_READY, replicas stop (waiting acks=all produces answer
     * REQUEST_TIMED_OUT, waiting fetches answer with what they have), high watermarks are
     * checkpointed and logs closed. Core thread.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        replicas.close();
        handlers.completeAll();
    }
}
