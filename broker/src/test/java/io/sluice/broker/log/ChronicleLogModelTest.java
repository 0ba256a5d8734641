package io.sluice.broker.log;

import io.sluice.common.ManualClock;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-based test on the Chronicle log, which is also closed and reopened, or crashed and
 * reopened, at random points: a killed process loses nothing it appended (the page cache keeps it).
 */
@ExtendWith(NoMappingLeaks.class)
class ChronicleLogModelTest extends PartitionLogModelTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(1_000_000);

    @Override
    protected PartitionLog create() {
        return ChronicleLog.open(dir, CONFIG, clock, DiskSpaceGuard.unlimited(), 0);
    }

    @Override
    protected PartitionLog reopen(PartitionLog current, boolean crash) {
        if (crash) {
            ((ChronicleLog) current).simulateCrash();
        } else {
            current.close();
        }
        return create();
    }
}
