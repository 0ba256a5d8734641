package io.sluice.jepsen.net.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Which runs own network objects: one owner file per live run ({@code <prefix>.owner} with the
 * owner's PID, its start instant and the subnet octet) in a directory shared by every harness on
 * the machine ({@code /run/sluice-chaos}, which does not outlive a reboot, like the namespaces).
 * An owner file is written before the run creates any object and deleted after its objects are
 * gone, so objects whose tag has no live owner belong to a run that died and may be removed.
 * Allocation and stale clean-up hold a lock (a file lock across processes, a lock within the JVM).
 * Thread-safe.
 */
public final class NetRegistry {
    private static final ReentrantLock JVM_LOCK = new ReentrantLock();
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private final Path dir;
    private final SecureRandom random = new SecureRandom();

    public NetRegistry(Path dir) {
        this.dir = dir;
    }

    /** The machine-wide registry: {@code /run/sluice-chaos}, or under the temp directory without /run. */
    public static NetRegistry system() {
        Path run = Path.of("/run");
        Path base = Files.isDirectory(run) && Files.isWritable(run) ? run
                : Path.of(System.getProperty("java.io.tmpdir"));
        return new NetRegistry(base.resolve("sluice-chaos"));
    }

    /** Something to do while holding the registry's lock. */
    public interface Locked<T> {
        T run() throws IOException;
    }

    /** Runs {@code action} holding the registry's lock. */
    public <T> T locked(Locked<T> action) throws IOException {
        Files.createDirectories(dir);
        JVM_LOCK.lock();
        try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock();
            try {
                return action.run();
            } finally {
                lock.release();
            }
        } finally {
            JVM_LOCK.unlock();
        }
    }

    /**
     * Chooses a tag and subnet octet no live run uses (nor {@code octetsInUse}, octets seen on the
     * host) and records this JVM as their owner. Call under {@link #locked}.
     */
    public NetNames allocate(Set<Integer> octetsInUse) throws IOException {
        Set<String> tags = new HashSet<>();
        Set<Integer> octets = new HashSet<>(octetsInUse);
        for (Owner owner : owners()) {
            tags.add(owner.tag());
            octets.add(owner.octet());
        }
        if (octets.size() >= 254) {
            throw new IOException("no free subnet 10.77.x.0/24 left for a chaos run");
        }
        String tag;
        do {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            tag = text.toString();
        } while (tags.contains(tag));
        int octet;
        do {
            octet = 1 + random.nextInt(254);
        } while (octets.contains(octet));
        NetNames names = new NetNames(tag, octet);
        ProcessHandle self = ProcessHandle.current();
        String start = self.info().startInstant().map(Instant::toString).orElse("");
        Files.writeString(ownerFile(tag), "pid=" + self.pid() + "\nstart=" + start + "\noctet=" + octet + "\n",
                StandardCharsets.UTF_8);
        return names;
    }

    /** Forgets a run's ownership (after its objects are gone). */
    public void release(String tag) throws IOException {
        Files.deleteIfExists(ownerFile(tag));
    }

    /** The tags of runs whose owner process is still alive. Call under {@link #locked}. */
    public Set<String> liveTags() throws IOException {
        Set<String> live = new HashSet<>();
        for (Owner owner : owners()) {
            if (owner.alive()) {
                live.add(owner.tag());
            }
        }
        return live;
    }

    /** Deletes the owner files of dead runs. Call under {@link #locked} after removing their objects. */
    public void forgetDead() throws IOException {
        for (Owner owner : owners()) {
            if (!owner.alive()) {
                release(owner.tag());
            }
        }
    }

    private Path ownerFile(String tag) {
        return dir.resolve(NetNames.PREFIX + tag + ".owner");
    }

    private List<Owner> owners() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".owner")).map(NetRegistry::readOwner)
                    .flatMap(Optional::stream).toList();
        }
    }

    private static Optional<Owner> readOwner(Path file) {
        String name = file.getFileName().toString();
        String tag = name.substring(NetNames.PREFIX.length(), name.length() - ".owner".length());
        Properties fields = new Properties();
        try {
            fields.load(new java.io.StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            return Optional.of(new Owner(tag, Long.parseLong(fields.getProperty("pid", "-1")),
                    fields.getProperty("start", ""), Integer.parseInt(fields.getProperty("octet", "0"))));
        } catch (IOException | NumberFormatException e) {
            // a torn or foreign file: treat as a dead owner so its objects can be cleaned
            return Optional.of(new Owner(tag, -1, "", 0));
        }
    }

    /** One owner file. */
    private record Owner(String tag, long pid, String start, int octet) {
        boolean alive() {
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (handle.isEmpty()) {
                return false;
            }
            // a reused PID has another start instant
            return start.isEmpty() || handle.get().info().startInstant().map(Instant::toString)
                    .map(s -> s.equals(start)).orElse(true);
        }
    }
}
