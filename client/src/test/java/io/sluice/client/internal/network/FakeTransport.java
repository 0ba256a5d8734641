package io.sluice.client.internal.network;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A transport for deterministic tests: every unary call is either answered at once by a responder
 * registered for its method, or recorded for the test to answer or fail later; produce streams
 * record what was sent and let the test answer. Answers go through the real listeners, so they
 * reach the core through {@link NetworkClient}'s queue exactly as gRPC answers do. A responder may
 * return null to leave the call pending. Not thread-safe: one test thread drives it.
 */
public final class FakeTransport implements Transport {
    /** A unary call waiting for the test. */
    public static final class Call {
        public final HostPort to;
        public final String method;
        public final Message request;
        private final ResponseListener<Message> listener;
        private boolean done;
        private boolean cancelled;

        Call(HostPort to, String method, Message request, ResponseListener<Message> listener) {
            this.to = to;
            this.method = method;
            this.request = request;
            this.listener = listener;
        }

        /** Answers the call. */
        public void respond(Message response) {
            if (!done) {
                done = true;
                listener.onResponse(response);
            }
        }

        /** Fails the call in transport with a gRPC status. */
        public void fail(Status status) {
            if (!done) {
                done = true;
                listener.onFailure(status.asRuntimeException());
            }
        }

        /** Whether the client abandoned the call. */
        public boolean cancelled() {
            return cancelled;
        }

        @SuppressWarnings("unchecked")
        public <T extends Message> T request(Class<T> type) {
            return (T) request;
        }
    }

    /** An open (or closed) produce stream. */
    public static final class Stream implements ProduceStream {
        public final HostPort to;
        public final List<ProduceRequest> sent = new ArrayList<>();
        private final ProduceStreamListener listener;
        private final Deque<ProduceRequest> unanswered = new ArrayDeque<>();
        private boolean closed;

        Stream(HostPort to, ProduceStreamListener listener) {
            this.to = to;
            this.listener = listener;
        }

        @Override
        public void send(ProduceRequest request) {
            if (closed) {
                throw new IllegalStateException("stream closed");
            }
            sent.add(request);
            unanswered.addLast(request);
        }

        @Override
        public void close() {
            closed = true;
        }

        public boolean closed() {
            return closed;
        }

        /** Requests sent and not yet taken by {@link #takeRequest}. */
        public int pendingRequests() {
            return unanswered.size();
        }

        /** The oldest request not taken yet. */
        public ProduceRequest takeRequest() {
            return unanswered.pollFirst();
        }

        /** Delivers an answer to the client. */
        public void respond(ProduceResponse response) {
            listener.onResponse(response);
        }

        /** Ends the stream with a failure, as a broken connection would. */
        public void fail(Status status) {
            closed = true;
            listener.onClosed(status.asRuntimeException());
        }
    }

    private final Map<String, BiFunction<HostPort, Message, Message>> responders = new HashMap<>();
    private final Deque<Call> pending = new ArrayDeque<>();
    private final List<Stream> streams = new ArrayList<>();
    private final List<Call> allCalls = new ArrayList<>();

    /** Answers calls of {@code method} (its full gRPC name) with {@code responder}. */
    public FakeTransport respondTo(MethodDescriptor<?, ?> method, BiFunction<HostPort, Message, Message> responder) {
        responders.put(method.getFullMethodName(), responder);
        return this;
    }

    /** Stops answering {@code method} automatically. */
    public void stopResponding(MethodDescriptor<?, ?> method) {
        responders.remove(method.getFullMethodName());
    }

    @Override
    @SuppressWarnings("unchecked")
    public <Q extends Message, R extends Message> Cancellable call(HostPort to, MethodDescriptor<Q, R> method,
            Q request, long timeoutMs, ResponseListener<R> listener) {
        Call call = new Call(to, method.getFullMethodName(), request, (ResponseListener<Message>) listener);
        allCalls.add(call);
        BiFunction<HostPort, Message, Message> responder = responders.get(method.getFullMethodName());
        Message answer = responder == null ? null : responder.apply(to, request);
        if (answer != null) {
            call.respond(answer);
        } else {
            pending.addLast(call);
        }
        return () -> call.cancelled = true;
    }

    @Override
    public ProduceStream openProduceStream(HostPort to, ProduceStreamListener listener) {
        Stream stream = new Stream(to, listener);
        streams.add(stream);
        return stream;
    }

    /** Calls waiting for the test, oldest first. */
    public List<Call> pendingCalls() {
        pending.removeIf(c -> c.done);
        return List.copyOf(pending);
    }

    /** The oldest waiting call of {@code method}, or null. */
    public Call takeCall(MethodDescriptor<?, ?> method) {
        for (Call c : pendingCalls()) {
            if (c.method.equals(method.getFullMethodName())) {
                pending.remove(c);
                return c;
            }
        }
        return null;
    }

    /** Every call ever made (answered or not), in order. */
    public List<Call> allCalls() {
        return List.copyOf(allCalls);
    }

    /** Every stream ever opened, in order. */
    public List<Stream> streams() {
        return List.copyOf(streams);
    }

    /** The newest open stream to {@code to}, or null. */
    public Stream openStream(HostPort to) {
        for (int i = streams.size() - 1; i >= 0; i--) {
            Stream s = streams.get(i);
            if (s.to.equals(to) && !s.closed) {
                return s;
            }
        }
        return null;
    }

    @Override
    public void close() {
        for (Stream s : streams) {
            s.closed = true;
        }
    }
}
