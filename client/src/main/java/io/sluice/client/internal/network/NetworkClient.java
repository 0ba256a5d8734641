package io.sluice.client.internal.network;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.sluice.client.errors.Errors;
import io.sluice.client.errors.NetworkException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.SluiceTimeoutException;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A core's view of the network: sends requests through a {@link Transport}, and delivers every
 * outcome to its {@link ResponseHandler} on the core's own thread, during {@link #poll}. Request
 * timeouts are enforced here on the core's clock (so that a {@code ManualClock} simulation can
 * time requests out); an answer that arrives after its request timed out is dropped.
 *
 * <p>Produce requests travel on one {@code ProduceStream} per broker, opened on first use;
 * answers are matched by correlation id, which this class assigns. When a produce request times
 * out or the stream fails, the stream is closed and every request still outstanding on it fails
 * with a retriable error (their outcome is unknown); the next produce opens a new stream.
 *
 * <p>Not thread-safe except {@link EventQueue}: every method runs on the core's thread.
 */
public final class NetworkClient implements AutoCloseable {
    private final Transport transport;
    private final EventQueue events;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private final Map<HostPort, StreamState> streams = new HashMap<>();
    private long nextId = 1;
    private boolean closed;

    public NetworkClient(Transport transport, EventQueue events) {
        this.transport = transport;
        this.events = events;
    }

    private final class Pending {
        final long id;
        final HostPort to;
        final long deadlineMs;
        final ResponseHandler<Message> handler;
        Transport.Cancellable cancellable;
        StreamState stream;

        Pending(long id, HostPort to, long deadlineMs, ResponseHandler<Message> handler) {
            this.id = id;
            this.to = to;
            this.deadlineMs = deadlineMs;
            this.handler = handler;
        }
    }

    private static final class StreamState {
        final HostPort to;
        Transport.ProduceStream stream;
        final List<Long> outstanding = new ArrayList<>();

        StreamState(HostPort to) {
            this.to = to;
        }
    }

    /** The inbox this client posts completions to; the driver waits on it. */
    public EventQueue events() {
        return events;
    }

    /** Sends a unary request; {@code handler} runs during a later {@link #poll}. */
    @SuppressWarnings("unchecked")
    public <Q extends Message, R extends Message> void send(HostPort to, MethodDescriptor<Q, R> method, Q request,
            long nowMs, long timeoutMs, ResponseHandler<R> handler) {
        Pending p = register(to, nowMs, timeoutMs, (ResponseHandler<Message>) (ResponseHandler<?>) handler);
        if (p == null) {
            return;
        }
        long id = p.id;
        try {
            p.cancellable = transport.call(to, method, request, timeoutMs, new Transport.ResponseListener<R>() {
                @Override
                public void onResponse(R response) {
                    events.post(() -> complete(id, response, null));
                }

                @Override
                public void onFailure(Throwable failure) {
                    events.post(() -> complete(id, null, Errors.fromTransport(failure, to.toString())));
                }
            });
        } catch (RuntimeException e) {
            events.post(() -> complete(id, null, Errors.fromTransport(e, to.toString())));
        }
    }

    /**
     * Sends a produce request on the stream to {@code to}, with a correlation id of this client's
     * choosing; {@code handler} runs during a later {@link #poll}.
     */
    @SuppressWarnings("unchecked")
    public void sendProduce(HostPort to, ProduceRequest request, long nowMs, long timeoutMs,
            ResponseHandler<ProduceResponse> handler) {
        Pending p = register(to, nowMs, timeoutMs, (ResponseHandler<Message>) (ResponseHandler<?>) handler);
        if (p == null) {
            return;
        }
        StreamState state = streams.computeIfAbsent(to, this::openStream);
        p.stream = state;
        state.outstanding.add(p.id);
        try {
            state.stream.send(request.toBuilder().setCorrelationId(p.id).build());
        } catch (RuntimeException e) {
            SluiceException error = Errors.fromTransport(e, to.toString());
            events.post(() -> failStream(state, error));
        }
    }

    private StreamState openStream(HostPort to) {
        StreamState state = new StreamState(to);
        state.stream = transport.openProduceStream(to, new Transport.ProduceStreamListener() {
            @Override
            public void onResponse(ProduceResponse response) {
                events.post(() -> onStreamResponse(state, response));
            }

            @Override
            public void onClosed(Throwable cause) {
                SluiceException error = cause == null
                        ? new NetworkException("produce stream to " + to + " was closed by the server", null)
                        : Errors.fromTransport(cause, to.toString());
                events.post(() -> failStream(state, error));
            }
        });
        return state;
    }

    private Pending register(HostPort to, long nowMs, long timeoutMs, ResponseHandler<Message> handler) {
        if (closed) {
            handler.onComplete(null, new NetworkException("the client is closed", null));
            return null;
        }
        long id = nextId++;
        Pending p = new Pending(id, to, saturatedAdd(nowMs, timeoutMs), handler);
        pending.put(id, p);
        return p;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private void onStreamResponse(StreamState state, ProduceResponse response) {
        long id = response.getCorrelationId();
        if (state.outstanding.remove(id)) {
            complete(id, response, null);
        }
    }

    private void failStream(StreamState state, SluiceException error) {
        if (streams.get(state.to) == state) {
            streams.remove(state.to);
            closeQuietly(state);
        }
        List<Long> ids = new ArrayList<>(state.outstanding);
        state.outstanding.clear();
        for (long id : ids) {
            complete(id, null, error);
        }
    }

    private static void closeQuietly(StreamState state) {
        try {
            state.stream.close();
        } catch (RuntimeException ignored) {
            // the stream is being abandoned; its requests are failed by the caller
        }
    }

    private void complete(long id, Message response, SluiceException error) {
        Pending p = pending.remove(id);
        if (p != null) {
            p.handler.onComplete(response, error);
        }
    }

    /**
     * Runs the handlers of every outcome that arrived, then fails the requests whose timeout
     * passed at {@code nowMs}.
     */
    public void poll(long nowMs) {
        events.runPending();
        List<Pending> expired = new ArrayList<>();
        for (Pending p : pending.values()) {
            if (p.deadlineMs <= nowMs) {
                expired.add(p);
            }
        }
        for (Pending p : expired) {
            if (!pending.containsKey(p.id)) {
                continue;
            }
            SluiceTimeoutException timeout = new SluiceTimeoutException("no answer from " + p.to + " in time");
            if (p.stream != null) {
                failStream(p.stream, timeout);
            } else {
                pending.remove(p.id);
                if (p.cancellable != null) {
                    p.cancellable.cancel();
                }
                p.handler.onComplete(null, timeout);
            }
        }
    }

    /** Requests to {@code to} without an outcome yet. */
    public int inFlight(HostPort to) {
        int n = 0;
        for (Pending p : pending.values()) {
            if (p.to.equals(to)) {
                n++;
            }
        }
        return n;
    }

    /** Requests without an outcome yet, across all nodes. */
    public int inFlight() {
        return pending.size();
    }

    /** The earliest request deadline, or {@code Long.MAX_VALUE} when nothing is in flight. */
    public long nextDeadlineMs() {
        long next = Long.MAX_VALUE;
        for (Pending p : pending.values()) {
            next = Math.min(next, p.deadlineMs);
        }
        return next;
    }

    /**
     * Fails every outstanding request with a {@link NetworkException} (their handlers run now) and
     * closes the streams. The transport itself belongs to whoever created it.
     */
    @Override
    public void close() {
        closed = true;
        for (StreamState state : new ArrayList<>(streams.values())) {
            closeQuietly(state);
        }
        streams.clear();
        NetworkException error = new NetworkException("the client is closed", null);
        Iterator<Pending> it = pending.values().iterator();
        List<Pending> abandoned = new ArrayList<>();
        while (it.hasNext()) {
            abandoned.add(it.next());
            it.remove();
        }
        for (Pending p : abandoned) {
            if (p.cancellable != null) {
                p.cancellable.cancel();
            }
            p.handler.onComplete(null, error);
        }
    }
}
