package io.sluice.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sluice.proto.v1.ConsumerServiceGrpc;
import io.sluice.proto.v1.FetchPartitionResponse;
import io.sluice.proto.v1.FetchResponse;
import io.sluice.proto.v1.FetchTopicResponse;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AliasingParserTest {
    private static final MethodDescriptor<?, FetchResponse> FETCH =
            AliasingParser.forResponses(ConsumerServiceGrpc.getFetchMethod());

    private static FetchResponse response(long seed, int recordBytes) {
        byte[] records = new byte[recordBytes];
        new Random(seed).nextBytes(records);
        return FetchResponse.newBuilder().addTopics(FetchTopicResponse.newBuilder().setTopic("t")
                .addPartitions(FetchPartitionResponse.newBuilder().setPartition(3).setHighWatermark(42)
                        .setRecords(ByteString.copyFrom(records)))).build();
    }

    /** An input stream that announces its length, as gRPC's message streams do. */
    private static final class Known extends ByteArrayInputStream implements KnownLength {
        private final int announced;

        Known(byte[] bytes, int announced) {
            super(bytes);
            this.announced = announced;
        }

        @Override
        public synchronized int available() {
            return Math.min(announced, super.available());
        }
    }

    @Test
    void aResponseParsesToWhatWasSentWhateverTheStreamAnnounces() {
        FetchResponse sent = response(1, 200_000);
        byte[] wire = sent.toByteArray();
        for (int announced : new int[] {wire.length, wire.length - 1000, 0}) {
            assertEquals(sent, FETCH.parseResponse(new Known(wire, announced)), "announced " + announced);
        }
        assertEquals(sent, FETCH.parseResponse(new ByteArrayInputStream(wire)), "a stream of unknown length");
        assertEquals(sent, FETCH.parseResponse(FETCH.streamResponse(sent)), "through its own serializer");
    }

    @Test
    void recordBytesShareTheReceivedArrayInsteadOfBeingCopied() throws InvalidProtocolBufferException {
        byte[] wire = response(2, 5_000).toByteArray();
        FetchResponse parsed = AliasingParser.parse(FetchResponse.parser(), wire);
        byte[] before = parsed.getTopics(0).getPartitions(0).getRecords().toByteArray();
        for (int i = 0; i < wire.length; i++) {
            wire[i] = (byte) ~wire[i];
        }
        byte[] after = parsed.getTopics(0).getPartitions(0).getRecords().toByteArray();
        assertEquals(before.length, after.length);
        for (int i = 0; i < before.length; i++) {
            assertEquals((byte) ~before[i], after[i], "byte " + i + " is a view of the received array");
        }
    }

    @Test
    void malformedBytesAreRefusedWithAProtobufError() {
        byte[] wire = response(3, 1_000).toByteArray();
        byte[] cut = java.util.Arrays.copyOf(wire, wire.length - 10);
        assertThrows(InvalidProtocolBufferException.class, () -> AliasingParser.parse(FetchResponse.parser(), cut));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> FETCH.parseResponse(new Known(cut, cut.length)));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertTrue(e.getMessage().contains("invalid protobuf bytes"), e.getMessage());
    }

    @Test
    void aMarshallerThatIsNotProtobufIsLeftAsItIs() {
        MethodDescriptor.Marshaller<String> text = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(String value) {
                return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String parse(InputStream stream) {
                return new String(AliasingParser.readMessage(stream), StandardCharsets.UTF_8);
            }
        };
        assertSame(text, AliasingParser.marshaller(text));
        assertTrue(AliasingParser.parserOf(text).isEmpty());
        assertEquals("abc", text.parse(new Known("abc".getBytes(StandardCharsets.UTF_8), 2)),
                "bytes beyond the announced length are read too");
    }
}
