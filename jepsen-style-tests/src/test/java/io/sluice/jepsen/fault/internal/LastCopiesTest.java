package io.sluice.jepsen.fault.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.fault.LeaderLocator;
import io.sluice.jepsen.testing.Locators;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LastCopiesTest {
    @Test
    void aNodeIsDamagedWhenEveryPartitionKeepsAnotherInSyncCopy() {
        assertEquals(Set.of(), LastCopies.spared(List.of(2), Optional.of(List.of(Set.of(1, 2, 3), Set.of(2, 4)))));
    }

    @Test
    void theLastInSyncCopyOfAPartitionIsSpared() {
        assertEquals(Set.of(2), LastCopies.spared(List.of(2), Optional.of(List.of(Set.of(1, 2), Set.of(2)))));
    }

    @Test
    void whenEveryInSyncReplicaIsHitTheLowestNumberedOneIsSparedOnce() {
        List<Set<Integer>> inSync = List.of(Set.of(3, 2), Set.of(2, 3, 4), Set.of(4, 5), Set.of(1));
        assertEquals(Set.of(2, 4), LastCopies.spared(List.of(2, 3, 4, 5), Optional.of(inSync)));
    }

    @Test
    void everyNodeIsSparedWhenTheInSyncReplicasAreUnknown() {
        ObjectNode failed = JsonNodeFactory.instance.objectNode();
        LeaderLocator broken = Locators.failing(new IOException("no node answered"));
        assertEquals(Set.of(1, 3), LastCopies.spared(List.of(1, 3), broken, failed));
        assertEquals("no node answered", failed.path("inSyncUnknown").asText());
        assertEquals("[1,3]", failed.path("spared").toString());

        ObjectNode silent = JsonNodeFactory.instance.objectNode();
        assertEquals(Set.of(1), LastCopies.spared(List.of(1), LeaderLocator.unknown(), silent));
        assertEquals("no answer", silent.path("inSyncUnknown").asText());
    }

    @Test
    void theAnswerIsRecorded() {
        ObjectNode done = JsonNodeFactory.instance.objectNode();
        LeaderLocator locator = Locators.inSync(List.of(Set.of(1), Set.of(1, 2)));
        assertEquals(Set.of(1), LastCopies.spared(List.of(1, 2), locator, done));
        assertEquals("[[1],[1,2]]", done.path("inSync").toString());
        assertEquals("[1]", done.path("spared").toString());
    }
}
