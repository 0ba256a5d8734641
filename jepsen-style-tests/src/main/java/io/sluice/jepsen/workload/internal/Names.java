package io.sluice.jepsen.workload.internal;

import java.util.Collection;
import java.util.List;

/** Converts the SDK's topic-partitions to the history's. Stateless. */
final class Names {
    private Names() {
    }

    static io.sluice.jepsen.history.TopicPartition of(io.sluice.client.common.TopicPartition tp) {
        return new io.sluice.jepsen.history.TopicPartition(tp.topic(), tp.partition());
    }

    static List<io.sluice.jepsen.history.TopicPartition> of(Collection<io.sluice.client.common.TopicPartition> tps) {
        return tps.stream().map(Names::of).sorted().toList();
    }
}
