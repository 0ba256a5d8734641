package io.sluice.broker.partition;

import io.sluice.broker.replication.TopicIdPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A {@link ReplicaStateStore} in one text file per log directory, replaced atomically: the content
 * is written to {@code <file>.tmp}, forced to disk, renamed over the file, and the directory is
 * forced. Format (UTF-8, one item per line, sorted by topic id then partition):
 * <pre>
 * sluice-replica-state 1
 * &lt;count&gt;
 * &lt;topic-id&gt; &lt;partition&gt; &lt;leader-epoch&gt; &lt;high-watermark&gt;
 * ...
 * crc32c &lt;8 hex digits over every byte above this line&gt;
 * </pre>
 * A file that does not parse or whose checksum does not match is refused with an exception naming
 * it (the broker must not guess its epochs). Thread-safe.
 */
public final class FileReplicaStateStore implements ReplicaStateStore {
    static final String HEADER = "sluice-replica-state 1";

    private final Path file;

    public FileReplicaStateStore(Path file) {
        this.file = file;
    }

    @Override
    public synchronized Map<TopicIdPartition, ReplicaCheckpoint> load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            return parse(text);
        } catch (RuntimeException e) {
            throw new IllegalStateException("replica state file " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    private static Map<TopicIdPartition, ReplicaCheckpoint> parse(String text) {
        int trailer = text.lastIndexOf("crc32c ");
        if (trailer < 0 || !text.endsWith("\n")) {
            throw new IllegalArgumentException("no checksum line");
        }
        String body = text.substring(0, trailer);
        long expected = Long.parseLong(text.substring(trailer + "crc32c ".length()).trim(), 16);
        if (crc(body) != expected) {
            throw new IllegalArgumentException("checksum mismatch");
        }
        String[] lines = body.split("\n");
        if (lines.length < 2 || !lines[0].equals(HEADER)) {
            throw new IllegalArgumentException("unknown header '" + (lines.length > 0 ? lines[0] : "") + "'");
        }
        int count = Integer.parseInt(lines[1]);
        if (count != lines.length - 2) {
            throw new IllegalArgumentException("count " + count + " but " + (lines.length - 2) + " entries");
        }
        Map<TopicIdPartition, ReplicaCheckpoint> out = new HashMap<>();
        for (int i = 2; i < lines.length; i++) {
            String[] f = lines[i].split(" ");
            if (f.length != 4) {
                throw new IllegalArgumentException("line " + (i + 1) + " has " + f.length + " fields");
            }
            out.put(new TopicIdPartition(f[0], Integer.parseInt(f[1])),
                    new ReplicaCheckpoint(Integer.parseInt(f[2]), Long.parseLong(f[3])));
        }
        return Map.copyOf(out);
    }

    @Override
    public synchronized void save(Map<TopicIdPartition, ReplicaCheckpoint> checkpoints) {
        String content = format(checkpoints);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(StandardCharsets.UTF_8.encode(content));
                out.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            forceDirectory(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static String format(Map<TopicIdPartition, ReplicaCheckpoint> checkpoints) {
        List<Map.Entry<TopicIdPartition, ReplicaCheckpoint>> entries = new ArrayList<>(checkpoints.entrySet());
        entries.sort(Map.Entry.comparingByKey((a, b) -> a.topicId().equals(b.topicId())
                ? Integer.compare(a.partition(), b.partition()) : a.topicId().compareTo(b.topicId())));
        StringBuilder body = new StringBuilder(HEADER).append('\n').append(entries.size()).append('\n');
        for (Map.Entry<TopicIdPartition, ReplicaCheckpoint> e : entries) {
            body.append(e.getKey().topicId()).append(' ').append(e.getKey().partition()).append(' ')
                    .append(e.getValue().leaderEpoch()).append(' ').append(e.getValue().highWatermark()).append('\n');
        }
        return body + "crc32c " + String.format("%08x", crc(body.toString())) + "\n";
    }

    private static long crc(String body) {
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private static void forceDirectory(Path directory) {
        if (directory == null) {
            return;
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // Some platforms cannot open a directory for reading; the rename is still atomic there.
        }
    }
}
