package io.sluice.broker.it;

import static io.sluice.broker.it.ClusterIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.sluice.broker.server.RawBytes;
import io.sluice.proto.v1.Acks;
import io.sluice.proto.v1.ConsumerServiceGrpc;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FetchPartition;
import io.sluice.proto.v1.FetchRequest;
import io.sluice.proto.v1.FetchResponse;
import io.sluice.proto.v1.FetchTopic;
import io.sluice.proto.v1.MetadataServiceGrpc;
import io.sluice.proto.v1.PartitionProduceData;
import io.sluice.proto.v1.PartitionProduceResponse;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import io.sluice.proto.v1.ProducerServiceGrpc;
import io.sluice.proto.v1.TopicProduceData;
import io.sluice.record.RecordBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running node under a seeded stream of malformed requests: batches with a flipped bit (CRC),
 * another magic, cut short or with trailing bytes; negative, unknown and out-of-range partitions
 * and offsets; unknown topics; invalid enum and range fields; and protobuf bytes that do not parse,
 * sent over raw gRPC calls. Every request is sent twice and both answers must carry the code its
 * kind is documented to get. Afterwards the node still takes writes, and the data produced before
 * is unchanged, also after a restart. Prints its seed; replay with {@code -Dsluice.seed=<seed>}.
 */
class MalformedRequestsIT {
    private static final String TOPIC = "fuzz";
    private static final int REQUESTS = 300;

    @TempDir
    Path dir;

    private RawClient client;
    private String node;

    @Test
    void malformedRequestsGetStableCodesAndChangeNothing() throws Exception {
        long seed = Long.getLong("sluice.seed", System.nanoTime());
        System.out.println("MalformedRequestsIT seed: " + seed + " (replay with -Dsluice.seed=" + seed + ")");
        Random random = new Random(seed);
        try (NodeProcesses nodes = new NodeProcesses(dir, 1, Map.of()); RawClient raw = new RawClient()) {
            client = raw;
            nodes.startAll(180_000);
            node = nodes.node(1).address();
            assertEquals(ErrorCode.ERROR_CODE_NONE, client.createTopic(node, TOPIC, 2, 1, Map.of()).getErrorCode());
            await(() -> client.withLeader(node, TOPIC, 1), "a leader for partition 1");
            List<List<String>> before = List.of(produceSome(0, "p0-", 20), produceSome(1, "p1-", 20));

            int[] counts = new int[Kind.values().length];
            for (int i = 0; i < REQUESTS; i++) {
                Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
                counts[kind.ordinal()]++;
                Probe probe = probe(kind, random);
                String first = probe.send();
                String second = probe.send();
                String context = "request " + i + " (" + kind + ", seed " + seed + ")";
                assertEquals(probe.expected(), first, context);
                assertEquals(first, second, context + " answered differently the second time");
            }
            nodes.step("sent " + REQUESTS + " malformed requests twice each: " + Arrays.toString(counts) + " of "
                    + Arrays.toString(Kind.values()));

            assertEquals(before.get(0), client.readAll(node, TOPIC, 0), "partition 0 changed");
            assertEquals(before.get(1), client.readAll(node, TOPIC, 1), "partition 1 changed");
            List<String> after = new ArrayList<>(before.get(1));
            after.addAll(produceSome(1, "later-", 3));
            assertEquals(after, client.readAll(node, TOPIC, 1), "the node still takes writes");

            assertTrue(nodes.terminate(1, 60_000), "a clean stop on SIGTERM");
            nodes.start(1);
            nodes.awaitReady(1, 180_000);
            await(() -> client.withLeader(node, TOPIC, 1), "a leader after the restart");
            assertEquals(before.get(0), await(() -> client.readAll(node, TOPIC, 0), "partition 0 after a restart"));
            assertEquals(after, await(() -> client.readAll(node, TOPIC, 1), "partition 1 after a restart"));
        }
    }

    private List<String> produceSome(int partition, String prefix, int batches) throws InterruptedException {
        List<String> values = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<String> batch = List.of(prefix + b + "-a", prefix + b + "-b");
            // The metadata may name the leader before its data plane has taken the role: retry only
            // answers that say nothing was appended.
            await(() -> {
                PartitionProduceResponse r = client.produce(node, TOPIC, partition, Acks.ACKS_ALL, batch);
                if (r.getErrorCode() == ErrorCode.ERROR_CODE_LEADER_NOT_AVAILABLE
                        || r.getErrorCode() == ErrorCode.ERROR_CODE_NOT_LEADER) {
                    return null;
                }
                assertEquals(ErrorCode.ERROR_CODE_NONE, r.getErrorCode(), r.getErrorMessage());
                return r;
            }, "an acks=all write to partition " + partition);
            values.addAll(batch);
        }
        return values;
    }

    /** The kinds of bad input; each has one answer, whatever the random details. */
    private enum Kind {
        BAD_CRC, BAD_MAGIC, TRUNCATED_BATCH, TRAILING_BYTES, NEGATIVE_PARTITION, UNKNOWN_PARTITION, UNKNOWN_TOPIC,
        BAD_PRODUCE_FIELD, NEGATIVE_FETCH_OFFSET, NEGATIVE_FETCH_PARTITION, FETCH_BEYOND_END, GARBAGE_BYTES,
        TRUNCATED_REQUEST
    }

    /** One malformed request: how to send it (the answer's code as text) and the code it must get. */
    private record Probe(String expected, Supplier<String> sender) {
        String send() {
            return sender.get();
        }
    }

    private Probe probe(Kind kind, Random random) {
        int partition = random.nextInt(2);
        return switch (kind) {
            case BAD_CRC -> {
                byte[] batch = validBatch(random);
                int bit = RecordBatch.CRC_OFFSET * 8 + random.nextInt((batch.length - RecordBatch.CRC_OFFSET) * 8);
                batch[bit / 8] ^= (byte) (1 << (bit % 8));
                yield produce(ErrorCode.ERROR_CODE_CORRUPT_BATCH, TOPIC, partition, batch);
            }
            case BAD_MAGIC -> {
                byte[] batch = validBatch(random);
                batch[RecordBatch.MAGIC_OFFSET] = (byte) (RecordBatch.MAGIC + 1 + random.nextInt(255));
                yield produce(ErrorCode.ERROR_CODE_UNSUPPORTED_BATCH_VERSION, TOPIC, partition, batch);
            }
            case TRUNCATED_BATCH -> {
                byte[] batch = validBatch(random);
                yield produce(ErrorCode.ERROR_CODE_INVALID_BATCH, TOPIC, partition,
                        Arrays.copyOf(batch, random.nextInt(batch.length)));
            }
            case TRAILING_BYTES -> {
                byte[] batch = validBatch(random);
                byte[] longer = Arrays.copyOf(batch, batch.length + 1 + random.nextInt(64));
                yield produce(ErrorCode.ERROR_CODE_INVALID_BATCH, TOPIC, partition, longer);
            }
            case NEGATIVE_PARTITION -> produce(ErrorCode.ERROR_CODE_INVALID_REQUEST, TOPIC,
                    -1 - random.nextInt(Integer.MAX_VALUE), validBatch(random));
            case UNKNOWN_PARTITION -> produce(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION, TOPIC,
                    2 + random.nextInt(Integer.MAX_VALUE - 2), validBatch(random));
            case UNKNOWN_TOPIC -> produce(ErrorCode.ERROR_CODE_UNKNOWN_TOPIC_OR_PARTITION,
                    "missing-" + Long.toHexString(random.nextLong()), partition, validBatch(random));
            case BAD_PRODUCE_FIELD -> badField(random, partition);
            case NEGATIVE_FETCH_OFFSET -> fetch(ErrorCode.ERROR_CODE_INVALID_REQUEST, partition,
                    -1 - random.nextInt(Integer.MAX_VALUE));
            case NEGATIVE_FETCH_PARTITION -> fetch(ErrorCode.ERROR_CODE_INVALID_REQUEST,
                    -1 - random.nextInt(Integer.MAX_VALUE), 0);
            case FETCH_BEYOND_END -> fetch(ErrorCode.ERROR_CODE_OFFSET_OUT_OF_RANGE, partition,
                    1_000 + (random.nextLong() & Long.MAX_VALUE) % (Long.MAX_VALUE - 1_000));
            case GARBAGE_BYTES -> garbage(random);
            case TRUNCATED_REQUEST -> truncatedRequest(random, partition);
            default -> throw new IllegalStateException("unknown kind " + kind);
        };
    }

    /** A valid batch of 1-5 random values of 0-200 bytes. */
    private static byte[] validBatch(Random random) {
        List<String> values = new ArrayList<>();
        int count = 1 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[random.nextInt(200)];
            random.nextBytes(value);
            values.add(HexFormat.of().formatHex(value));
        }
        return RawClient.batch(values);
    }

    private static ProduceRequest produceRequest(String topic, int partition, byte[] batch) {
        return ProduceRequest.newBuilder().setAcks(Acks.ACKS_ALL).setTimeoutMs(10_000)
                .addTopics(TopicProduceData.newBuilder().setTopic(topic).addPartitions(PartitionProduceData
                        .newBuilder().setPartition(partition).setRecords(ByteString.copyFrom(batch))))
                .build();
    }

    private Probe produce(ErrorCode expected, String topic, int partition, byte[] batch) {
        ProduceRequest request = produceRequest(topic, partition, batch);
        return new Probe(expected.name(), () -> code(ProducerServiceGrpc.newBlockingStub(client.channel(node))
                .withDeadlineAfter(60, TimeUnit.SECONDS).produce(request)));
    }

    /** A request-level field out of its range or enum: INVALID_REQUEST, nothing appended. */
    private Probe badField(Random random, int partition) {
        ProduceRequest.Builder request = produceRequest(TOPIC, partition, validBatch(random)).toBuilder();
        if (random.nextBoolean()) {
            request.setAcksValue(100 + random.nextInt(1000));
        } else {
            request.setTimeoutMs(-1 - random.nextInt(Integer.MAX_VALUE));
        }
        ProduceRequest built = request.build();
        return new Probe(ErrorCode.ERROR_CODE_INVALID_REQUEST.name(), () -> code(ProducerServiceGrpc
                .newBlockingStub(client.channel(node)).withDeadlineAfter(60, TimeUnit.SECONDS).produce(built)));
    }

    private Probe fetch(ErrorCode expected, int partition, long offset) {
        FetchRequest request = FetchRequest.newBuilder().setMaxWaitMs(0)
                .addTopics(FetchTopic.newBuilder().setTopic(TOPIC).addPartitions(FetchPartition.newBuilder()
                        .setPartition(partition).setFetchOffset(offset).setCurrentLeaderEpoch(-1)))
                .build();
        return new Probe(expected.name(), () -> code(ConsumerServiceGrpc.newBlockingStub(client.channel(node))
                .withDeadlineAfter(60, TimeUnit.SECONDS).fetch(request)));
    }

    /**
     * Bytes that are no protobuf message: the first tag is field 0 or has wire type 6 or 7, which
     * no parser accepts, followed by random bytes. Sent to Produce, Fetch or Metadata.
     */
    private Probe garbage(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(512)];
        random.nextBytes(bytes);
        int[] badTags = {0x00, 0x0e, 0x0f, 0x16, 0x17};
        bytes[0] = (byte) badTags[random.nextInt(badTags.length)];
        MethodDescriptor<?, ?> method = switch (random.nextInt(3)) {
            case 0 -> ProducerServiceGrpc.getProduceMethod();
            case 1 -> ConsumerServiceGrpc.getFetchMethod();
            default -> MetadataServiceGrpc.getMetadataMethod();
        };
        return new Probe("grpc INVALID_ARGUMENT", () -> rawCall(method, bytes, answer -> "an answer of "
                + answer.length + " bytes"));
    }

    /**
     * A valid produce request cut short. A cut inside the topics field (the last one set) does not
     * parse: INVALID_ARGUMENT. A cut before it leaves a request with no partitions, answered with
     * no error and nothing written. Which of the two is decided by parsing the bytes here.
     */
    private Probe truncatedRequest(Random random, int partition) {
        byte[] whole = produceRequest(TOPIC, partition, validBatch(random)).toBuilder().setCorrelationId(
                random.nextLong()).build().toByteArray();
        byte[] cut = Arrays.copyOf(whole, 1 + random.nextInt(whole.length - 1));
        String expected;
        try {
            ProduceRequest parsed = ProduceRequest.parseFrom(cut);
            assertEquals(0, parsed.getTopicsCount(), "a strict prefix parsed with topics");
            expected = "NONE topics=0";
        } catch (InvalidProtocolBufferException e) {
            expected = "grpc INVALID_ARGUMENT";
        }
        return new Probe(expected, () -> rawCall(ProducerServiceGrpc.getProduceMethod(), cut, answer -> {
            ProduceResponse response = ProduceResponse.parseFrom(answer);
            return response.getErrorCode().name().replace("ERROR_CODE_", "") + " topics="
                    + response.getTopicsCount();
        }));
    }

    /** Parses a raw answer into the text compared with the expected one. */
    @FunctionalInterface
    private interface AnswerReader {
        String read(byte[] answer) throws InvalidProtocolBufferException;
    }

    /** Sends raw bytes as the request of a unary method: "grpc STATUS" on failure, else what {@code reader} makes. */
    private String rawCall(MethodDescriptor<?, ?> typed, byte[] request, AnswerReader reader) {
        try {
            byte[] answer = ClientCalls.blockingUnaryCall(client.channel(node), RawBytes.of(typed),
                    CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), request);
            return reader.read(answer);
        } catch (StatusRuntimeException e) {
            return "grpc " + e.getStatus().getCode();
        } catch (InvalidProtocolBufferException e) {
            return "an answer that does not parse: " + e.getMessage();
        }
    }

    /** The code of a produce answer: the request-level one if set, else the only partition's. */
    private static String code(ProduceResponse response) {
        if (response.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            return response.getErrorCode().name();
        }
        return response.getTopics(0).getPartitions(0).getErrorCode().name();
    }

    /** The code of a fetch answer: the request-level one if set, else the only partition's. */
    private static String code(FetchResponse response) {
        if (response.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
            return response.getErrorCode().name();
        }
        return response.getTopics(0).getPartitions(0).getErrorCode().name();
    }
}
