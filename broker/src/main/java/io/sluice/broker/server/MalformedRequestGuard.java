package io.sluice.broker.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.sluice.protocol.AliasingParser;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes a service answer request bytes that do not parse with {@code INVALID_ARGUMENT} and a
 * message naming the expected type, instead of gRPC's default {@code UNKNOWN: Application error
 * processing RPC} plus a logged stack trace. It receives each request as raw bytes, parses them
 * itself, and hands the parsed message to the service's own handler; nothing else changes. Protobuf
 * requests are parsed with {@link AliasingParser}: their record bytes stay in the array read off the
 * wire, without a second copy.
 */
final class MalformedRequestGuard {
    private MalformedRequestGuard() {
    }

    static ServerServiceDefinition wrap(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        List<ServerMethodDefinition<byte[], ?>> guarded = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<byte[], ?> rawMethod = guard(method);
            guarded.add(rawMethod);
            descriptor.addMethod(rawMethod.getMethodDescriptor());
        }
        ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
        guarded.forEach(builder::addMethod);
        return builder.build();
    }

    private static <Q, A> ServerMethodDefinition<byte[], A> guard(ServerMethodDefinition<Q, A> method) {
        MethodDescriptor<Q, A> typed = method.getMethodDescriptor();
        MethodDescriptor<byte[], A> raw = typed.toBuilder(RawBytes.INSTANCE, typed.getResponseMarshaller()).build();
        return ServerMethodDefinition.create(raw, (call, headers) -> start(typed, method.getServerCallHandler(),
                call, headers));
    }

    private static <Q, A> ServerCall.Listener<byte[]> start(MethodDescriptor<Q, A> typed,
            ServerCallHandler<Q, A> handler, ServerCall<byte[], A> call, Metadata headers) {
        ServerCall.Listener<Q> inner = handler.startCall(new TypedCall<>(call, typed), headers);
        Optional<Parser<Q>> parser = AliasingParser.parserOf(typed.getRequestMarshaller());
        return new ServerCall.Listener<>() {
            private boolean refused;

            @Override
            public void onMessage(byte[] message) {
                Q parsed;
                try {
                    parsed = parser.isPresent() ? AliasingParser.parse(parser.get(), message)
                            : typed.parseRequest(new ByteArrayInputStream(message));
                } catch (InvalidProtocolBufferException | RuntimeException e) {
                    refused = true;
                    call.close(Status.INVALID_ARGUMENT.withDescription("malformed request for "
                            + typed.getFullMethodName() + ": " + e.getMessage()), new Metadata());
                    return;
                }
                inner.onMessage(parsed);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    inner.onHalfClose();
                }
            }

            @Override
            public void onCancel() {
                inner.onCancel();
            }

            @Override
            public void onComplete() {
                inner.onComplete();
            }

            @Override
            public void onReady() {
                if (!refused) {
                    inner.onReady();
                }
            }
        };
    }

    /** The call as the service's handler expects it: typed request, same everything else. */
    private static final class TypedCall<Q, A> extends ServerCall<Q, A> {
        private final ServerCall<byte[], A> delegate;
        private final MethodDescriptor<Q, A> method;

        TypedCall(ServerCall<byte[], A> delegate, MethodDescriptor<Q, A> method) {
            this.delegate = delegate;
            this.method = method;
        }

        @Override
        public void request(int numMessages) {
            delegate.request(numMessages);
        }

        @Override
        public void sendHeaders(Metadata headers) {
            delegate.sendHeaders(headers);
        }

        @Override
        public void sendMessage(A message) {
            delegate.sendMessage(message);
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void close(Status status, Metadata trailers) {
            delegate.close(status, trailers);
        }

        @Override
        public boolean isCancelled() {
            return delegate.isCancelled();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            delegate.setMessageCompression(enabled);
        }

        @Override
        public void setCompression(String compressor) {
            delegate.setCompression(compressor);
        }

        @Override
        public Attributes getAttributes() {
            return delegate.getAttributes();
        }

        @Override
        public String getAuthority() {
            return delegate.getAuthority();
        }

        @Override
        public MethodDescriptor<Q, A> getMethodDescriptor() {
            return method;
        }
    }

    /** Passes request bytes through unparsed. */
    private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            return AliasingParser.readMessage(stream);
        }
    }
}
