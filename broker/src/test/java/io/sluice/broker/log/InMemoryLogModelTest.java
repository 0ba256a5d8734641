package io.sluice.broker.log;

/** The model-based test on the in-memory log (which cannot be reopened). */
class InMemoryLogModelTest extends PartitionLogModelTest {
    @Override
    protected PartitionLog create() {
        return new InMemoryLog(CONFIG);
    }

    @Override
    protected PartitionLog reopen(PartitionLog current, boolean crash) {
        return current;
    }
}
