package io.sluice.broker.log;

/** The {@link PartitionLog} contract on the in-memory log. */
class InMemoryLogContractTest extends PartitionLogContractTest {
    @Override
    protected PartitionLog create(LogConfig config) {
        return new InMemoryLog(config);
    }
}
