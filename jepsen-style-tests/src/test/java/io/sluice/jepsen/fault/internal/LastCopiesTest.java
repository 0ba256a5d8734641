package io.sluice.jepsen.fault.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.fault.LeaderLocator;
import io.sluice.jepsen.testing.Locators;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LastCopiesTest {
    @Test
    void aNodeIsDamagedWhenEveryPartitionKeepsAnotherInSyncCopy() {
        assertEquals(Set.of(), LastCopies.spared(List.of(2), Optional.of(List.of(Set.of(1, 2, 3), Set.of(2, 4))),
                Set.of()));
    }

    @Test
    void theLastInSyncCopyOfAPartitionIsSpared() {
        assertEquals(Set.of(2), LastCopies.spared(List.of(2), Optional.of(List.of(Set.of(1, 2), Set.of(2))), Set.of()));
    }

    @Test
    void whenEveryInSyncReplicaIsHitTheLowestNumberedOneIsSparedOnce() {
        List<Set<Integer>> inSync = List.of(Set.of(3, 2), Set.of(2, 3, 4), Set.of(4, 5), Set.of(1));
        assertEquals(Set.of(2, 4), LastCopies.spared(List.of(2, 3, 4, 5), Optional.of(inSync), Set.of()));
    }

    @Test
    void everyNodeIsSparedWhenTheInSyncReplicasAreUnknown() {
        ObjectNode failed = JsonNodeFactory.instance.objectNode();
        LeaderLocator broken = Locators.failing(new IOException("no node answered"));
        assertEquals(Set.of(1, 3), new LastCopies(broken).spared(List.of(1, 3), failed));
        assertEquals("no node answered", failed.path("inSyncUnknown").asText());
        assertEquals("[1,3]", failed.path("spared").toString());

        ObjectNode silent = JsonNodeFactory.instance.objectNode();
        assertEquals(Set.of(1), new LastCopies(LeaderLocator.unknown()).spared(List.of(1), silent));
        assertEquals("no answer", silent.path("inSyncUnknown").asText());
    }

    @Test
    void theAnswerIsRecorded() {
        ObjectNode done = JsonNodeFactory.instance.objectNode();
        LeaderLocator locator = Locators.inSync(List.of(Set.of(1), Set.of(1, 2)));
        assertEquals(Set.of(1), new LastCopies(locator).spared(List.of(1, 2), done));
        assertEquals("[[1],[1,2]]", done.path("inSync").toString());
        assertEquals("[1]", done.path("spared").toString());
    }

    @Test
    void aNodeDamagedEarlierDoesNotCountAsACopyWhileTheClusterStillListsIt() {
        // Chaos seed 602: node 5 was wiped; a later fault on node 4 still saw {4, 5} listed,
        // because node 5's not-intact registration had not been applied yet.
        LeaderLocator stale = Locators.inSync(List.of(Set.of(4, 5), Set.of(1, 2)));
        LastCopies lastCopies = new LastCopies(stale);
        assertEquals(Set.of(), lastCopies.spared(List.of(5), JsonNodeFactory.instance.objectNode()));
        assertEquals(Set.of(5), lastCopies.damaged());

        ObjectNode done = JsonNodeFactory.instance.objectNode();
        assertEquals(Set.of(4), lastCopies.spared(List.of(4), done));
        assertEquals("[5]", done.path("damagedEarlier").toString());
        assertEquals(Set.of(5), lastCopies.damaged(), "a spared node is not counted as damaged");
    }

    @Test
    void aDamagedNodeCountsAgainOnceTheClusterDroppedItEverywhere() {
        AtomicReference<List<Set<Integer>>> answer = new AtomicReference<>(List.of(Set.of(4, 5)));
        LastCopies lastCopies = new LastCopies(Locators.inSync(answer::get));
        lastCopies.spared(List.of(5), JsonNodeFactory.instance.objectNode());

        ObjectNode dropped = JsonNodeFactory.instance.objectNode();
        answer.set(List.of(Set.of(4)));
        assertEquals(Set.of(), lastCopies.spared(List.of(1), dropped));
        assertEquals(Set.of(1), lastCopies.damaged());
        assertTrue(dropped.path("damagedEarlier").isMissingNode());

        // Listed again after being dropped: it caught up, so it holds the log and node 4 may go.
        answer.set(List.of(Set.of(4, 5)));
        assertEquals(Set.of(), lastCopies.spared(List.of(4), JsonNodeFactory.instance.objectNode()));
    }

    @Test
    void whenEveryListedCopyWasDamagedEarlierEveryTargetedOneIsSpared() {
        assertEquals(Set.of(2, 3), LastCopies.spared(List.of(2, 3, 4), Optional.of(List.of(Set.of(2, 3, 5))),
                Set.of(2, 3, 5)));
        assertEquals(Set.of(), LastCopies.spared(List.of(4), Optional.of(List.of(Set.of(2, 3))), Set.of(2, 3)));
    }

    @Test
    void nothingIsCountedAsDamagedWhenTheAnswerIsUnknown() {
        LastCopies lastCopies = new LastCopies(LeaderLocator.unknown());
        lastCopies.spared(List.of(1, 2), JsonNodeFactory.instance.objectNode());
        assertEquals(Set.of(), lastCopies.damaged());
    }
}
