package io.sluice.broker.log;

import io.sluice.common.ManualClock;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The {@link PartitionLog} contract on the Chronicle log, with every mapping checked for release. */
@ExtendWith(NoMappingLeaks.class)
class ChronicleLogContractTest extends PartitionLogContractTest {
    @TempDir
    Path dir;
    private int logs;

    @Override
    protected PartitionLog create(LogConfig config) {
        return ChronicleLog.open(dir.resolve("log-" + logs++), config, new ManualClock(1_000_000),
                DiskSpaceGuard.unlimited(), 60_000);
    }
}
