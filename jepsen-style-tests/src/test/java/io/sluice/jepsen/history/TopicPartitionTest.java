package io.sluice.jepsen.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TopicPartitionTest {

    @Test
    void thePartitionFollowsTheLastDash() {
        TopicPartition tp = TopicPartition.parse("access-log-12");
        assertEquals(new TopicPartition("access-log", 12), tp);
        assertEquals("access-log-12", tp.toString());
        assertEquals(new TopicPartition("odd-", 1), TopicPartition.parse("odd--1"));
    }

    @Test
    void refusesWhatIsNotATopicPartition() {
        for (String bad : List.of("queue", "-3", "queue-", "queue-x", "queue-+1", "queue-99999999999")) {
            assertThrows(IllegalArgumentException.class, () -> TopicPartition.parse(bad), bad);
        }
    }

    @Test
    void ordersByTopicThenPartitionNumber() {
        TreeSet<TopicPartition> sorted = new TreeSet<>(List.of(TopicPartition.parse("b-0"),
                TopicPartition.parse("a-10"), TopicPartition.parse("a-2")));
        assertEquals("[a-2, a-10, b-0]", sorted.toString());
    }
}
