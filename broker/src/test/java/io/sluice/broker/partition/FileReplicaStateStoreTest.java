package io.sluice.broker.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.broker.replication.TopicIdPartition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReplicaStateStoreTest {
    private static final TopicIdPartition A0 = new TopicIdPartition("aaaaaaaa-0000-4000-8000-000000000000", 0);
    private static final TopicIdPartition A1 = new TopicIdPartition("aaaaaaaa-0000-4000-8000-000000000000", 1);

    @TempDir
    Path dir;

    @Test
    void savesAndLoadsAndReplacesTheWholeContent() {
        FileReplicaStateStore store = new FileReplicaStateStore(dir.resolve("replica-state"));
        assertEquals(Map.of(), store.load(), "no file yet");
        store.save(Map.of(A0, new ReplicaCheckpoint(3, 100), A1, new ReplicaCheckpoint(-1, 0)));
        assertEquals(Map.of(A0, new ReplicaCheckpoint(3, 100), A1, new ReplicaCheckpoint(-1, 0)),
                new FileReplicaStateStore(dir.resolve("replica-state")).load());
        store.save(Map.of(A1, new ReplicaCheckpoint(4, 7)));
        assertEquals(Map.of(A1, new ReplicaCheckpoint(4, 7)), store.load());
        assertTrue(Files.notExists(dir.resolve("replica-state.tmp")), "the temporary file was renamed");
    }

    @Test
    void aDamagedFileIsRefusedWithItsName() throws IOException {
        Path file = dir.resolve("replica-state");
        FileReplicaStateStore store = new FileReplicaStateStore(file);
        store.save(Map.of(A0, new ReplicaCheckpoint(3, 100)));
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, text.replace(" 3 100", " 9 100"), StandardCharsets.UTF_8);
        IllegalStateException e = assertThrows(IllegalStateException.class, store::load);
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("checksum"), e.getMessage());
        Files.writeString(file, "garbage", StandardCharsets.UTF_8);
        assertThrows(IllegalStateException.class, store::load);
    }

    @Test
    void theFormatIsTheDocumentedText() {
        String text = FileReplicaStateStore.format(Map.of(A1, new ReplicaCheckpoint(2, 5), A0,
                new ReplicaCheckpoint(1, 9)));
        String[] lines = text.split("\n");
        assertEquals("sluice-replica-state 1", lines[0]);
        assertEquals("2", lines[1]);
        assertEquals(A0.topicId() + " 0 1 9", lines[2]);
        assertEquals(A1.topicId() + " 1 2 5", lines[3]);
        assertTrue(lines[4].matches("crc32c [0-9a-f]{8}"), lines[4]);
    }
}
