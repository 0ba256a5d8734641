package io.sluice.broker.server;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * A node's data directory: held by one process at a time (an exclusive lock on {@code node.lock}),
 * and stamped with the node id and, once known, the cluster id in {@code node.properties}, so a
 * directory is never used by another node id or joined to another cluster by mistake.
 *
 * <p>Layout: {@code metadata/} (the Raft log and snapshots), {@code logs/} (partition replicas),
 * {@code replica-state} (leader epochs and high watermarks of the replicas); {@code logs/clean-stop}
 * and {@code logs/boot-id} tell how the previous process stopped ({@link StopMarkers}); they live
 * with the logs they describe, so a replaced or wiped log directory is never taken for an intact one.
 */
final class DataDirectory implements AutoCloseable {
    private static final String LOCK_FILE = "node.lock";
    private static final String PROPERTIES_FILE = "node.properties";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Properties properties;
    private StopMarkers.PreviousStop previousStop = StopMarkers.PreviousStop.NONE;

    private DataDirectory(Path root, FileChannel lockChannel, FileLock lock, Properties properties) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.properties = properties;
    }

    /**
     * Locks and checks {@code root} for node {@code nodeId}, creating it on first use.
     *
     * @throws IOException when another process holds it, or it belongs to another node id
     */
    static DataDirectory open(Path root, int nodeId) throws IOException {
        Files.createDirectories(root);
        FileChannel channel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("the data directory " + root + " is in use by another Sluice process");
        }
        Properties properties = new Properties();
        Path file = root.resolve(PROPERTIES_FILE);
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        }
        String storedId = properties.getProperty("node.id");
        if (storedId != null && !storedId.equals(Integer.toString(nodeId))) {
            lock.release();
            channel.close();
            throw new IOException("the data directory " + root + " belongs to node " + storedId
                    + ", not to node " + nodeId);
        }
        DataDirectory dir = new DataDirectory(root, channel, lock, properties);
        try {
            if (storedId == null) {
                properties.setProperty("node.id", Integer.toString(nodeId));
                dir.save();
            }
            Files.createDirectories(dir.logs());
            dir.previousStop = StopMarkers.begin(dir.logs(), StopMarkers.currentBootId());
        } catch (IOException e) {
            dir.close();
            throw e;
        }
        return dir;
    }

    /**
     * How the previous process on this directory ended; its logs are intact if it stopped cleanly or
     * the machine has not restarted since ({@link StopMarkers}).
     */
    StopMarkers.PreviousStop previousStop() {
        return previousStop;
    }

    /** The controller has accepted a registration that said the logs were not intact. */
    void notIntactReported() throws IOException {
        StopMarkers.reported(logs());
    }

    /** Records a clean stop; call only after the partition logs closed without error. */
    void markCleanStop() throws IOException {
        StopMarkers.markCleanStop(logs());
    }

    Path root() {
        return root;
    }

    Path logs() {
        return root.resolve("logs");
    }

    Path replicaState() {
        return root.resolve("replica-state");
    }

    /** The cluster this directory joined, or empty before its first registration. */
    synchronized String clusterId() {
        return properties.getProperty("cluster.id", "");
    }

    /**
     * Records the cluster this directory belongs to.
     *
     * @throws IOException when it already belongs to another cluster, or the file cannot be written
     */
    synchronized void setClusterId(String clusterId) throws IOException {
        String stored = clusterId();
        if (stored.equals(clusterId)) {
            return;
        }
        if (!stored.isEmpty()) {
            throw new IOException("the data directory " + root + " belongs to cluster " + stored
                    + ", not to cluster " + clusterId);
        }
        properties.setProperty("cluster.id", clusterId);
        save();
    }

    private void save() throws IOException {
        Path temp = root.resolve(PROPERTIES_FILE + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            properties.store(writer, "Sluice node identity; do not edit");
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temp, root.resolve(PROPERTIES_FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
