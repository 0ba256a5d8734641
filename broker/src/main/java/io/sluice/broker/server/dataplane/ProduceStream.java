package io.sluice.broker.server.dataplane;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.ProduceRequest;
import io.sluice.proto.v1.ProduceResponse;
import io.sluice.broker.server.dataplane.internal.ProduceHandler;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ProduceStream: requests arrive in order and are appended in that order (gRPC delivers one
 * call's messages one at a time, and each append happens before the next message is taken), so a
 * partition's batches from one stream land in arrival order. Answers go out as each request
 * completes, matched by correlation id, possibly out of order.
 *
 * <p>Flow control: automatic inbound flow control is off; the stream asks gRPC for
 * {@code maxInFlight} requests at first and for one more each time an answer has been sent and the
 * client is reading (the transport is ready). A client that sends faster than answers go back, or
 * stops reading answers, is held back by HTTP/2 flow control, so at most {@code maxInFlight}
 * requests (and their answers) are held per stream.
 *
 * <p>A correlation id that is already in flight on the stream is refused with INVALID_REQUEST. When
 * the client half-closes, the stream completes after the last answer. Thread-safe: answers come
 * from any thread and are serialized on this object.
 */
final class ProduceStream implements StreamObserver<ProduceRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ProduceStream.class);

    private final DataPlane dataPlane;
    private final ServerCallStreamObserver<ProduceResponse> out;
    private final Set<Long> inFlight = new HashSet<>();
    private int owedRequests;
    private boolean halfClosed;
    private boolean finished;

    ProduceStream(DataPlane dataPlane, ServerCallStreamObserver<ProduceResponse> out, int maxInFlight) {
        this.dataPlane = dataPlane;
        this.out = out;
        out.disableAutoRequest();
        out.setOnReadyHandler(this::onReady);
        out.setOnCancelHandler(this::onCancel);
        out.request(maxInFlight);
    }

    @Override
    public void onNext(ProduceRequest request) {
        long correlationId = request.getCorrelationId();
        boolean duplicate;
        synchronized (this) {
            duplicate = !inFlight.add(correlationId);
        }
        if (duplicate) {
            send(correlationId, ProduceHandler.refuse(request, ErrorCode.ERROR_CODE_INVALID_REQUEST,
                    "correlation id " + correlationId + " is already in flight on this stream"), false);
            return;
        }
        dataPlane.produce(request, answer -> send(correlationId, answer, true));
    }

    private synchronized void send(long correlationId, ProduceResponse answer, boolean tracked) {
        if (tracked) {
            inFlight.remove(correlationId);
        }
        if (finished) {
            return;
        }
        try {
            out.onNext(answer);
            if (out.isReady()) {
                out.request(1);
            } else {
                owedRequests++;
            }
            maybeFinish();
        } catch (RuntimeException e) {
            LOG.debug("could not answer on a produce stream (cancelled?): {}", e.toString());
            finished = true;
        }
    }

    private synchronized void onReady() {
        if (owedRequests > 0 && !finished) {
            out.request(owedRequests);
            owedRequests = 0;
        }
    }

    private synchronized void onCancel() {
        finished = true;
    }

    @Override
    public synchronized void onError(Throwable error) {
        finished = true;
    }

    @Override
    public synchronized void onCompleted() {
        halfClosed = true;
        maybeFinish();
    }

    private void maybeFinish() {
        if (halfClosed && inFlight.isEmpty() && !finished) {
            finished = true;
            out.onCompleted();
        }
    }
}
