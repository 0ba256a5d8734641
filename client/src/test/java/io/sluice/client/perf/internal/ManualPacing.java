package io.sluice.client.perf.internal;

import io.sluice.client.producer.Callback;
import io.sluice.client.producer.Producer;
import io.sluice.client.producer.ProducerRecord;
import io.sluice.client.producer.RecordMetadata;
import io.sluice.common.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Test doubles for load generators on a {@link ManualClock}. */
public final class ManualPacing {
    private static final long MS = 1_000_000L;

    private ManualPacing() {
    }

    /** A pacer that moves the clock to the target (in whole milliseconds), as waiting would. */
    public static Pacer movingClock(ManualClock clock) {
        return targetNs -> {
            long left = targetNs - clock.monotonicNs();
            if (left > 0) {
                clock.advanceMs((left + MS - 1) / MS);
            }
        };
    }

    /**
     * A producer that acknowledges every record as it is sent; {@link #beforeSend} lets a test spend
     * clock time first. One partition per topic.
     */
    public abstract static class AckingProducer implements Producer<byte[], byte[]> {
        /** Runs before the record is acknowledged. */
        protected abstract void beforeSend(ProducerRecord<byte[], byte[]> record);

        @Override
        public CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
            return send(record, (m, e) -> { });
        }

        @Override
        public CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            beforeSend(record);
            callback.onCompletion(null, null);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void flush() {
        }

        @Override
        public List<Integer> partitionsFor(String topic) {
            return List.of(0);
        }

        @Override
        public void close() {
        }

        @Override
        public void close(Duration timeout) {
        }
    }
}
