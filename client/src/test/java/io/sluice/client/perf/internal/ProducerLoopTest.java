package io.sluice.client.perf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.producer.ProducerRecord;
import io.sluice.common.ManualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The producing loop on a manual clock: what a stalled sender does to the latencies it reports. */
class ProducerLoopTest {
    private static final long MS = 1_000_000L;

    private final ManualClock clock = new ManualClock(0);
    private final Pacer pacer = ManualPacing.movingClock(clock);

    @Test
    void aStalledSendDelaysEveryRecordBehindItAndTheirLatenciesShowIt() throws Exception {
        // 1,000 records/s: one slot a millisecond. The 4th send blocks for 100 ms (full buffers);
        // each record is acknowledged the moment it is sent.
        StallingProducer producer = new StallingProducer(clock, 3, 100);
        LatencyRecorder recorder = new LatencyRecorder(clock, 0);
        ProducerLoop loop = new ProducerLoop(producer, new ProducerLoop.Plan("t", 200, Long.MAX_VALUE, 0,
                SendSchedule.fixedRate(0, 1_000), false), pacer, clock, new Payloads(16, 1), recorder);

        loop.produce();

        Stats total = recorder.total(0, clock.monotonicNs());
        assertEquals(200, total.records());
        assertEquals(200, loop.sent());
        // Record 3 waits 100 ms; records 4..102 were due during the stall and went right after it,
        // 99..1 ms late; the rest were on time. Coordinated omission would report one slow record
        // and a p99 of 0; the schedule reports 100 of 200 records late.
        assertEquals(100 * MS, total.latencies().max());
        assertEquals(5050.0 / 200 * MS, total.latencies().mean(), 1.0);
        long p75 = total.latencies().valueAtPercentile(75);
        assertTrue(p75 >= 49 * MS && p75 <= 51 * MS, "p75 " + p75);
        assertTrue(total.latencies().valueAtPercentile(99) >= 97 * MS);
        assertEquals(0, total.latencies().valueAtPercentile(49));
        // the loop caught up: it ends on the schedule, not 100 ms after it
        assertEquals(199 * MS, producer.sendTimes.get(199));
    }

    @Test
    void atTenThousandRecordsASecondTheLoopWakesOncePerMillisecondAndCountsTheWait() throws Exception {
        // a slot every 100 us; the pacer is asked to wait 10 times for 100 records, not 100 times
        StallingProducer producer = new StallingProducer(clock, Integer.MAX_VALUE, 0);
        LatencyRecorder recorder = new LatencyRecorder(clock, 0);
        List<Long> waits = new ArrayList<>();
        Pacer counting = targetNs -> {
            waits.add(targetNs);
            pacer.awaitNs(targetNs);
        };
        ProducerLoop loop = new ProducerLoop(producer, new ProducerLoop.Plan("t", 100, Long.MAX_VALUE, 0,
                SendSchedule.fixedRate(0, 10_000), false), counting, clock, new Payloads(16, 1), recorder);

        loop.produce();

        assertEquals(10, waits.stream().filter(t -> t > 0).distinct().count(), waits.toString());
        assertEquals(MS, producer.sendTimes.get(1), "record 1's slot is at 100 us; it goes at the tick's end");
        // each record was acknowledged when sent: its latency is the 0-900 us it waited for its tick
        Stats total = recorder.total(0, clock.monotonicNs());
        assertEquals(900_000, total.latencies().max(), 1_000);
    }

    @Test
    void unpacedRecordsCountFromTheirSendCall() throws Exception {
        StallingProducer producer = new StallingProducer(clock, 3, 100);
        LatencyRecorder recorder = new LatencyRecorder(clock, 0);
        ProducerLoop loop = new ProducerLoop(producer, new ProducerLoop.Plan("t", 10, Long.MAX_VALUE, 0,
                SendSchedule.unpaced(), false), pacer, clock, new Payloads(16, 1), recorder);

        loop.produce();

        Stats total = recorder.total(0, clock.monotonicNs());
        assertEquals(10, total.records());
        assertEquals(100 * MS, total.latencies().max());
        assertEquals(0, total.latencies().valueAtPercentile(90));
    }

    @Test
    void warmupRecordsStayOutOfTheSteadyStateAndStampsCarryTheIntendedTime() throws Exception {
        StallingProducer producer = new StallingProducer(clock, -1, 0);
        LatencyRecorder recorder = new LatencyRecorder(clock, 0);
        ProducerLoop loop = new ProducerLoop(producer, new ProducerLoop.Plan("t", 50, Long.MAX_VALUE, 20,
                SendSchedule.fixedRate(5 * MS, 1_000), true), pacer, clock, new Payloads(16, 1), recorder);

        loop.produce();

        assertEquals(30, recorder.steadyState(clock.monotonicNs()).records());
        assertEquals(50, recorder.total(0, clock.monotonicNs()).records());
        assertEquals(5 * MS + 7 * MS, Payloads.stampOf(producer.values.get(7)));
    }

    @Test
    void aDurationEndsTheRunAtTheFirstSlotPastIt() throws Exception {
        StallingProducer producer = new StallingProducer(clock, -1, 0);
        LatencyRecorder recorder = new LatencyRecorder(clock, 0);
        ProducerLoop loop = new ProducerLoop(producer, new ProducerLoop.Plan("t", Long.MAX_VALUE, 10 * MS, 0,
                SendSchedule.fixedRate(0, 1_000), false), pacer, clock, new Payloads(16, 1), recorder);

        loop.produce();

        assertEquals(10, loop.sent());
    }

    @Test
    void failuresAreCountedApartFromLatencies() {
        LatencyRecorder recorder = new LatencyRecorder(clock, 0);
        IllegalStateException boom = new IllegalStateException("boom");
        recorder.onCompletion(0, true, 10, boom);
        recorder.onCompletion(0, true, 10, null);
        assertEquals(1, recorder.failures());
        assertEquals(boom, recorder.firstError());
        assertEquals(1, recorder.total(0, 1).records());
        Stats window = recorder.takeWindow();
        assertEquals(1, window.records());
        assertEquals(0, recorder.takeWindow().records());
    }

    /** Acknowledges every record at once; send number {@code stallAt} first blocks {@code stallMs}. */
    private static final class StallingProducer extends ManualPacing.AckingProducer {
        private final ManualClock clock;
        private final int stallAt;
        private final long stallMs;
        private final List<Long> sendTimes = new ArrayList<>();
        private final List<byte[]> values = new ArrayList<>();

        StallingProducer(ManualClock clock, int stallAt, long stallMs) {
            this.clock = clock;
            this.stallAt = stallAt;
            this.stallMs = stallMs;
        }

        @Override
        protected void beforeSend(ProducerRecord<byte[], byte[]> record) {
            if (sendTimes.size() == stallAt) {
                clock.advanceMs(stallMs);
            }
            sendTimes.add(clock.monotonicNs());
            values.add(record.value());
        }
    }
}
