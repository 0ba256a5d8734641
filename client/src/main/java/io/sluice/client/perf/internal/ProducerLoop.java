package io.sluice.client.perf.internal;

import io.sluice.client.producer.Producer;
import io.sluice.client.producer.ProducerRecord;
import io.sluice.common.Clock;

/**
 * One producing thread of a load generator: sends records on its {@link SendSchedule} until it
 * sent its share or its time is up, and reports every record's outcome to a {@link LatencyRecorder}
 * with the record's intended send time. When the loop falls behind a paced schedule (the producer
 * blocked on full buffers, the machine stalled), it sends the late records at once, and their
 * latency still counts from their slot on the schedule: nothing it could not send is left out.
 *
 * <p>Not thread-safe: {@link #produce} runs on one thread; {@link #sent} may be read from others.
 */
public final class ProducerLoop {
    /**
     * What to send.
     *
     * @param topic         where to
     * @param records       how many at most
     * @param endNs         stop sending at this monotonic time ({@code Long.MAX_VALUE}: no limit)
     * @param warmupRecords the first records, left out of the steady-state figures
     * @param schedule      when each record is meant to go
     * @param stamped       stamp each value with its intended send time (end-to-end runs)
     */
    public record Plan(String topic, long records, long endNs, long warmupRecords, SendSchedule schedule,
            boolean stamped) {
    }

    private final Producer<byte[], byte[]> producer;
    private final Plan plan;
    private final Pacer pacer;
    private final Clock clock;
    private final Payloads payloads;
    private final LatencyRecorder recorder;
    private volatile long sent;

    public ProducerLoop(Producer<byte[], byte[]> producer, Plan plan, Pacer pacer, Clock clock, Payloads payloads,
            LatencyRecorder recorder) {
        this.producer = producer;
        this.plan = plan;
        this.pacer = pacer;
        this.clock = clock;
        this.payloads = payloads;
        this.recorder = recorder;
    }

    /** Sends the plan's records; returns once the last one was handed to the producer (not acknowledged). */
    public void produce() throws InterruptedException {
        SendSchedule schedule = plan.schedule();
        for (long i = 0; i < plan.records(); i++) {
            long now = clock.monotonicNs();
            long intendedNs = schedule.intendedNs(i, now);
            if (intendedNs >= plan.endNs() || (!schedule.isPaced() && now >= plan.endNs())) {
                return;
            }
            if (schedule.isPaced()) {
                pacer.awaitNs(schedule.wakeNs(intendedNs));
            }
            boolean steady = i >= plan.warmupRecords();
            if (i == plan.warmupRecords() && plan.warmupRecords() > 0) {
                recorder.markSteadyStart(Math.max(intendedNs, now));
            }
            byte[] value = plan.stamped() ? payloads.nextStamped(intendedNs) : payloads.next();
            int bytes = value.length;
            producer.send(new ProducerRecord<>(plan.topic(), value),
                    (metadata, error) -> recorder.onCompletion(intendedNs, steady, bytes, error));
            sent = i + 1;
        }
    }

    /** Records handed to the producer so far. */
    public long sent() {
        return sent;
    }
}
