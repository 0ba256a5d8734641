package io.sluice.protocol;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Parses received gRPC messages so that their {@code bytes} fields (record batches) share one array
 * read off the wire instead of being copied out of it. gRPC's own protobuf marshaller reads a message
 * into a reused per-thread buffer and copies every {@code bytes} field out of it again; for messages
 * that are mostly record bytes (produce requests, fetch and replica fetch answers) that doubled the
 * copying and was the largest source of garbage on the broker ({@code docs/benchmarks.md}).
 *
 * <p>Each message gets its own array, sized from the stream's known length, and nobody writes to it
 * after parsing, so the aliased fields are as immutable as copies would be. Serializing is unchanged.
 */
public final class AliasingParser {
    private AliasingParser() {
    }

    /** {@code method} with responses parsed by {@link #marshaller}; requests are sent as before. */
    public static <Q, A> MethodDescriptor<Q, A> forResponses(MethodDescriptor<Q, A> method) {
        return method.toBuilder(method.getRequestMarshaller(), marshaller(method.getResponseMarshaller())).build();
    }

    /**
     * A marshaller that serializes as {@code protoMarshaller} does and parses with aliasing; {@code
     * protoMarshaller} itself when it is not a protobuf one (nothing to alias).
     */
    public static <T> MethodDescriptor.Marshaller<T> marshaller(MethodDescriptor.Marshaller<T> protoMarshaller) {
        Optional<Parser<T>> parser = parserOf(protoMarshaller);
        if (parser.isEmpty()) {
            return protoMarshaller;
        }
        return new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(T value) {
                return protoMarshaller.stream(value);
            }

            @Override
            public T parse(InputStream stream) {
                try {
                    return AliasingParser.parse(parser.get(), readMessage(stream));
                } catch (InvalidProtocolBufferException e) {
                    throw Status.INTERNAL.withDescription("invalid protobuf bytes: " + e.getMessage()).withCause(e)
                            .asRuntimeException();
                }
            }
        };
    }

    /** The parser of the message type {@code marshaller} handles, if it is gRPC's protobuf marshaller. */
    @SuppressWarnings("unchecked")
    public static <T> Optional<Parser<T>> parserOf(MethodDescriptor.Marshaller<T> marshaller) {
        if (marshaller instanceof MethodDescriptor.PrototypeMarshaller<T> typed
                && typed.getMessagePrototype() instanceof MessageLite prototype) {
            return Optional.of((Parser<T>) prototype.getParserForType());
        }
        return Optional.empty();
    }

    /** Parses {@code message}, whose {@code bytes} fields then share {@code message}: do not change it. */
    public static <T> T parse(Parser<T> parser, byte[] message) throws InvalidProtocolBufferException {
        // Aliasing only applies to input protobuf knows to be immutable, which a wrapped ByteString is
        // and a plain array is not.
        CodedInputStream input = UnsafeByteOperations.unsafeWrap(message).newCodedInput();
        input.enableAliasing(true);
        input.setSizeLimit(Integer.MAX_VALUE);
        return parser.parseFrom(input);
    }

    /**
     * Reads what is left of {@code stream} into a new array: in one read of exactly the announced size
     * when the stream knows its length (gRPC's do), else growing as it reads.
     */
    public static byte[] readMessage(InputStream stream) {
        try {
            if (stream instanceof KnownLength) {
                int size = stream.available();
                byte[] message = new byte[size];
                int read = stream.readNBytes(message, 0, size);
                if (read < size) {
                    return Arrays.copyOf(message, read);
                }
                byte[] rest = stream.readAllBytes();
                if (rest.length == 0) {
                    return message;
                }
                byte[] whole = Arrays.copyOf(message, size + rest.length);
                System.arraycopy(rest, 0, whole, size, rest.length);
                return whole;
            }
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a message", e);
        }
    }
}
