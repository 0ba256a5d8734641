package io.sluice.client.testing;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.sluice.client.common.TopicPartition;
import io.sluice.proto.v1.BrokerMetadata;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.ConsumerServiceGrpc;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FetchPartition;
import io.sluice.proto.v1.FetchPartitionResponse;
import io.sluice.proto.v1.FetchRequest;
import io.sluice.proto.v1.FetchResponse;
import io.sluice.proto.v1.FetchTopic;
import io.sluice.proto.v1.FetchTopicResponse;
import io.sluice.proto.v1.InitProducerIdRequest;
import io.sluice.proto.v1.InitProducerIdResponse;
import io.sluice.proto.v1.MetadataRequest;
import io.sluice.proto.v1.MetadataResponse;
import io.sluice.proto.v1.MetadataServiceGrpc;
import io.sluice.proto.v1.PartitionMetadata;
import io.sluice.proto.v1.PartitionProduceData;
import io.sluice.proto.v1.PartitionProduceResponse;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import io.sluice.proto.v1.ProducerServiceGrpc;
import io.sluice.proto.v1.TopicMetadata;
import io.sluice.proto.v1.TopicProduceData;
import io.sluice.proto.v1.TopicProduceResponse;
import io.sluice.record.RecordBatchException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-node Sluice broker for client tests, speaking the real gRPC API on 127.0.0.1 with an
 * ephemeral port: metadata, produce (unary and stream), fetch (with a short long-poll), the admin
 * calls the SDK uses, and a small group coordinator. Data lives in memory. It validates batches
 * but does not deduplicate idempotent retries (the sender's own tests cover that against a model).
 * Start with {@link #start}, stop with {@link #close}.
 */
public final class FakeBroker implements AutoCloseable {
    static final int NODE_ID = 1;

    final FakeBrokerState state = new FakeBrokerState();
    final FakeGroupCoordinator groups;
    private final Server server;
    private final AtomicLong producerIds = new AtomicLong(1000);

    private FakeBroker(long sessionTimeoutMs) throws IOException {
        this.groups = new FakeGroupCoordinator(state, sessionTimeoutMs);
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new Metadata()).addService(new Producer()).addService(new Consumer())
                .addService(new FakeAdminService(this)).addService(new FakeGroupService(this))
                .build().start();
    }

    /** Starts a broker whose group members expire after {@code sessionTimeoutMs} of silence. */
    public static FakeBroker start(long sessionTimeoutMs) throws IOException {
        return new FakeBroker(sessionTimeoutMs);
    }

    /** Starts a broker with a 10 s session timeout. */
    public static FakeBroker start() throws IOException {
        return start(10_000);
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    /** The state, for tests to arrange or inspect. */
    public FakeBrokerState state() {
        return state;
    }

    /** Sends a unary answer. */
    static <T> void reply(StreamObserver<T> answer, T value) {
        answer.onNext(value);
        answer.onCompleted();
    }

    Endpoint endpoint() {
        return Endpoint.newBuilder().setHost("127.0.0.1").setPort(server.getPort()).build();
    }

    BrokerMetadata brokerMetadata() {
        return BrokerMetadata.newBuilder().setBrokerId(NODE_ID).setEndpoint(endpoint())
                .setState(BrokerState.BROKER_STATE_ACTIVE).build();
    }

    TopicMetadata topicMetadata(String name) {
        FakeBrokerState.Topic t = state.topic(name);
        if (t == null) {
            return TopicMetadata.newBuilder().setName(name)
                    .setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION).build();
        }
        TopicMetadata.Builder b = TopicMetadata.newBuilder().setName(name).setTopicId(t.id());
        for (int p = 0; p < t.partitions(); p++) {
            b.addPartitions(PartitionMetadata.newBuilder().setPartition(p).setLeaderId(NODE_ID).setLeaderEpoch(0)
                    .addReplicas(NODE_ID).addIsr(NODE_ID));
        }
        return b.build();
    }

    private final class Metadata extends MetadataServiceGrpc.MetadataServiceImplBase {
        @Override
        public void metadata(MetadataRequest request, StreamObserver<MetadataResponse> answer) {
            MetadataResponse.Builder b = MetadataResponse.newBuilder().setClusterId("fake-cluster")
                    .setControllerId(NODE_ID).setMetadataVersion(1).addBrokers(brokerMetadata());
            List<String> names = request.getAllTopics()
                    ? List.copyOf(state.topics().keySet()) : request.getTopicsList();
            names.forEach(n -> b.addTopics(topicMetadata(n)));
            reply(answer, b.build());
        }
    }

    ProduceResponse produce(ProduceRequest request) {
        ProduceResponse.Builder out = ProduceResponse.newBuilder().setCorrelationId(request.getCorrelationId());
        for (TopicProduceData t : request.getTopicsList()) {
            TopicProduceResponse.Builder tr = TopicProduceResponse.newBuilder().setTopic(t.getTopic());
            for (PartitionProduceData p : t.getPartitionsList()) {
                TopicPartition tp = new TopicPartition(t.getTopic(), p.getPartition());
                PartitionProduceResponse.Builder r = PartitionProduceResponse.newBuilder()
                        .setPartition(p.getPartition()).setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
                if (!state.exists(tp)) {
                    r.setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    try {
                        r.setBaseOffset(state.append(tp, p.getRecords().asReadOnlyByteBuffer()))
                                .setLogStartOffset(state.startOffset(tp));
                    } catch (RecordBatchException e) {
                        r.setErrorCode(e.errorCode()).setErrorMessage(e.getMessage());
                    }
                }
                tr.addPartitions(r);
            }
            out.addTopics(tr);
        }
        return out.build();
    }

    private final class Producer extends ProducerServiceGrpc.ProducerServiceImplBase {
        @Override
        public void produce(ProduceRequest request, StreamObserver<ProduceResponse> answer) {
            answer.onNext(FakeBroker.this.produce(request));
            answer.onCompleted();
        }

        @Override
        public StreamObserver<ProduceRequest> produceStream(StreamObserver<ProduceResponse> answers) {
            return new StreamObserver<>() {
                @Override
                public void onNext(ProduceRequest request) {
                    synchronized (answers) {
                        answers.onNext(FakeBroker.this.produce(request));
                    }
                }

                @Override
                public void onError(Throwable t) {
                    // the client went away
                }

                @Override
                public void onCompleted() {
                    synchronized (answers) {
                        answers.onCompleted();
                    }
                }
            };
        }

        @Override
        public void initProducerId(InitProducerIdRequest request, StreamObserver<InitProducerIdResponse> answer) {
            long id = request.getProducerId() >= 0 ? request.getProducerId() : producerIds.incrementAndGet();
            answer.onNext(InitProducerIdResponse.newBuilder().setProducerId(id)
                    .setProducerEpoch(Math.max(0, request.getProducerEpoch() + 1)).build());
            answer.onCompleted();
        }
    }

    private final class Consumer extends ConsumerServiceGrpc.ConsumerServiceImplBase {
        @Override
        public void fetch(FetchRequest request, StreamObserver<FetchResponse> answer) {
            FetchResponse.Builder out = FetchResponse.newBuilder();
            long waitMs = Math.min(request.getMaxWaitMs(), 100);
            try {
                for (FetchTopic t : request.getTopicsList()) {
                    FetchTopicResponse.Builder tr = FetchTopicResponse.newBuilder().setTopic(t.getTopic());
                    for (FetchPartition p : t.getPartitionsList()) {
                        TopicPartition tp = new TopicPartition(t.getTopic(), p.getPartition());
                        tr.addPartitions(fetchPartition(tp, p, waitMs));
                        waitMs = 0;
                    }
                    out.addTopics(tr);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer.onNext(out.build());
            answer.onCompleted();
        }

        private FetchPartitionResponse fetchPartition(TopicPartition tp, FetchPartition p, long waitMs)
                throws InterruptedException {
            FetchPartitionResponse.Builder r = FetchPartitionResponse.newBuilder().setPartition(tp.partition());
            if (!state.exists(tp)) {
                return r.setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION).build();
            }
            if (p.getFetchOffset() < state.startOffset(tp) || p.getFetchOffset() > state.endOffset(tp)) {
                return r.setErrorCode(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE).build();
            }
            int max = p.getPartitionMaxBytes() > 0 ? p.getPartitionMaxBytes() : 1 << 20;
            byte[] data = state.read(tp, p.getFetchOffset(), max, waitMs);
            long hw = state.endOffset(tp);
            return r.setHighWatermark(hw).setLastStableOffset(hw).setLogStartOffset(state.startOffset(tp))
                    .setRecords(ByteString.copyFrom(data)).build();
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
