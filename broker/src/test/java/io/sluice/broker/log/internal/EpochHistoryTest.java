package io.sluice.broker.log.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.log.EpochEndOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EpochHistoryTest {
    private static EpochHistory history() {
        return new EpochHistory(List.of(new EpochHistory.Entry(3, 0), new EpochHistory.Entry(5, 10),
                new EpochHistory.Entry(8, 20), new EpochHistory.Entry(9, 30)));
    }

    @Test
    void aMovedStartKeepsTheEpochInEffectThereAndDropsOlderOnes() {
        EpochHistory epochs = history();
        epochs.truncateFromStart(25, 40);
        assertEquals(List.of(new EpochHistory.Entry(8, 25), new EpochHistory.Entry(9, 30)), epochs.entries());
        assertTrue(epochs.isDirty());
        assertEquals(Optional.of(new EpochEndOffset(8, 30)), epochs.endOffsetFor(8, 40));
        assertEquals(Optional.empty(), epochs.endOffsetFor(5, 40), "an epoch wholly before the start is unknown");
    }

    @Test
    void aStartOnAnEpochBoundaryKeepsThatEpochAsItWas() {
        EpochHistory epochs = history();
        epochs.truncateFromStart(20, 40);
        assertEquals(List.of(new EpochHistory.Entry(8, 20), new EpochHistory.Entry(9, 30)), epochs.entries());
    }

    @Test
    void aStartBeforeEveryEntryChangesNothing() {
        EpochHistory epochs = history();
        epochs.markClean();
        epochs.truncateFromStart(0, 40);
        assertEquals(history().entries(), epochs.entries());
        assertFalse(epochs.isDirty());
    }

    @Test
    void aStartAtTheEndLeavesNoEntryBecauseNoBatchIsLeft() {
        EpochHistory epochs = history();
        epochs.truncateFromStart(40, 40);
        assertEquals(List.of(), epochs.entries());
        assertEquals(-1, epochs.latestEpoch());
    }
}
