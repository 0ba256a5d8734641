package io.sluice.broker.server.dataplane;

import io.grpc.stub.StreamObserver;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the single answer of a unary call from whatever thread completes it. A call the client
 * cancelled meanwhile cannot take the answer; that is not an error of the broker, so it is only
 * logged at debug level.
 */
final class Answers {
    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);

    private Answers() {
    }

    static <A> Consumer<A> unary(StreamObserver<A> observer) {
        return answer -> {
            try {
                observer.onNext(answer);
                observer.onCompleted();
            } catch (RuntimeException e) {
                LOG.debug("could not send an answer (call cancelled?): {}", e.toString());
            }
        };
    }
}
