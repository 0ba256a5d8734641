package io.sluice.client.perf.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SendScheduleTest {

    @Test
    void unpacedRecordsAreMeantToGoWhenReached() {
        SendSchedule s = SendSchedule.unpaced();
        assertFalse(s.isPaced());
        assertEquals(123, s.intendedNs(7, 123));
    }

    @Test
    void pacedSlotsDependOnTheIndexOnlyNeverOnWhenTheLoopGotThere() {
        SendSchedule s = SendSchedule.fixedRate(1_000, 10_000);
        assertTrue(s.isPaced());
        assertEquals(1_000, s.intendedNs(0, 5_000_000_000L));
        assertEquals(1_000 + 100_000, s.intendedNs(1, 0));
        // a loop stalled for a second still gets the slot of record 10,000 on the schedule
        assertEquals(1_000 + 1_000_000_000L, s.intendedNs(10_000, 9_000_000_000L));
    }

    @Test
    void fractionalIntervalsDoNotDrift() {
        SendSchedule s = SendSchedule.fixedRate(0, 3);
        assertEquals(1_000_000_000L, s.intendedNs(3, 0));
        assertEquals(1_000_000_000_000L, s.intendedNs(3_000, 0));
    }

    @Test
    void aboveOneRecordPerTickTheLoopWakesAtTheEndOfEachSlotsTick() {
        SendSchedule s = SendSchedule.fixedRate(5_000, 10_000);   // a slot every 100 us
        long tick = SendSchedule.TICK_NS;
        assertEquals(5_000, s.wakeNs(s.intendedNs(0, 0)), "a slot on a tick's boundary waits for nothing");
        for (int i = 1; i <= 10; i++) {
            assertEquals(5_000 + tick, s.wakeNs(s.intendedNs(i, 0)), "slot " + i);
        }
        assertEquals(5_000 + 2 * tick, s.wakeNs(s.intendedNs(11, 0)));
        for (int i = 0; i < 1_000; i++) {
            long slot = s.intendedNs(i, 0);
            long wake = s.wakeNs(slot);
            assertTrue(wake >= slot && wake - slot < tick, "never before its slot, and less than a tick after");
        }
    }

    @Test
    void slotsATickApartOrMoreAreWokenForExactly() {
        SendSchedule s = SendSchedule.fixedRate(5_000, 500);
        assertEquals(s.intendedNs(3, 0), s.wakeNs(s.intendedNs(3, 0)));
        assertEquals(777, SendSchedule.unpaced().wakeNs(777));
    }

    @Test
    void rejectsRatesThatAreNotPositiveAndFinite() {
        assertThrows(IllegalArgumentException.class, () -> SendSchedule.fixedRate(0, 0));
        assertThrows(IllegalArgumentException.class, () -> SendSchedule.fixedRate(0, -1));
        assertThrows(IllegalArgumentException.class, () -> SendSchedule.fixedRate(0, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> SendSchedule.fixedRate(0, Double.POSITIVE_INFINITY));
    }
}
