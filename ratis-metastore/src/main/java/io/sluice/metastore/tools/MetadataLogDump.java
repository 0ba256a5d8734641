package io.sluice.metastore.tools;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import io.sluice.metastore.MetadataNode;
import io.sluice.proto.internal.v1.MetaCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.thirdparty.com.google.protobuf.CodedInputStream;

/**
 * {@code sluice dump-metadata-log}: prints the entries of a metadata node's Raft log, one line each,
 * with every Sluice command decoded (the analogue of Kafka's {@code kafka-dump-log
 * --cluster-metadata-decoder}). It reads the segment files directly, so it works on the data
 * directory of a stopped node, or of a crashed one kept for analysis; it changes nothing.
 *
 * <p>A line is {@code <index> term=<term> <what>}, where {@code what} is the command in protobuf
 * text form ({@code create_topic { ... }}, {@code change_broker_state { ... }}, ...), {@code
 * configuration voters=[...] listeners=[...]} for a membership entry, or {@code raft-metadata
 * commit=<index>}. Entries before the newest snapshot may have been purged; the first line says
 * where the log starts. Each entry's checksum is verified as Ratis does when it reads the log: a
 * corrupt or partly written entry ends that segment with a message, and the exit code is then 1.
 *
 * <p>Segment format (Ratis 3.x, {@code SegmentedRaftLogFormat}): the 8-byte header {@code RaftLog1},
 * then per entry a varint length, the serialized {@code LogEntryProto} and a big-endian CRC32C of
 * the varint and the entry; zero bytes after the last entry (preallocated space).
 */
public final class MetadataLogDump {
    static final String USAGE = """
            Usage: sluice dump-metadata-log --data-dir D [--from-index N]

            Prints a metadata node's Raft log, one entry per line, commands decoded:
              --data-dir D     the node's data directory (its metadata/ group is found), or the
                               Raft group's directory, or its current/ directory
              --from-index N   skip entries before index N
            The node may be stopped; nothing is changed. Exit 0, 1 if a corrupt entry was found,
            2 on bad usage or an unreadable directory.
            """;

    private static final byte[] HEADER = "RaftLog1".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern SEGMENT = Pattern.compile("log_(?:inprogress_)?(\\d+)(?:-\\d+)?");
    private static final TextFormat.Printer TEXT = TextFormat.printer().emittingSingleLine(true);

    private MetadataLogDump() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** Runs the tool; returns its exit code. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        Path dataDir = null;
        long fromIndex = 0;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                out.print(USAGE);
                return 0;
            }
            if (i + 1 >= args.size() || !(arg.equals("--data-dir") || arg.equals("--from-index"))) {
                err.print("dump-metadata-log: unexpected argument '" + arg + "'\n" + USAGE);
                return 2;
            }
            String value = args.get(++i);
            if (arg.equals("--data-dir")) {
                dataDir = Path.of(value);
            } else {
                try {
                    fromIndex = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    err.println("dump-metadata-log: --from-index needs a number, got '" + value + "'");
                    return 2;
                }
            }
        }
        if (dataDir == null) {
            err.print("dump-metadata-log: --data-dir is required\n" + USAGE);
            return 2;
        }
        List<Path> segments;
        try {
            segments = segmentFiles(dataDir);
        } catch (IOException e) {
            err.println("dump-metadata-log: cannot read " + dataDir + ": " + e.getMessage());
            return 2;
        }
        if (segments.isEmpty()) {
            err.println("dump-metadata-log: no Raft log segment (log_*) under " + dataDir);
            return 2;
        }
        out.println("# " + segments.size() + " segment(s) in " + segments.get(0).getParent() + ", starting at index "
                + startIndex(segments.get(0)));
        boolean clean = true;
        for (Path segment : segments) {
            try {
                clean &= dump(segment, fromIndex, out, err);
            } catch (IOException e) {
                err.println("dump-metadata-log: cannot read " + segment + ": " + e.getMessage());
                clean = false;
            }
        }
        return clean ? 0 : 1;
    }

    /** The segment files of the Raft log under {@code dir}, in log order. */
    static List<Path> segmentFiles(Path dir) throws IOException {
        Path current = findCurrentDir(dir);
        if (current == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(current)) {
            return files.filter(p -> SEGMENT.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(MetadataLogDump::startIndex)).toList();
        }
    }

    /** The directory holding the segments: {@code dir} itself, its {@code current/}, or the group's. */
    private static Path findCurrentDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("not a directory");
        }
        String group = MetadataNode.GROUP_ID.getUuid().toString();
        for (Path candidate : List.of(dir, dir.resolve("current"), dir.resolve(group).resolve("current"),
                dir.resolve("metadata").resolve(group).resolve("current"))) {
            if (Files.isDirectory(candidate) && hasSegments(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean hasSegments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> SEGMENT.matcher(p.getFileName().toString()).matches());
        }
    }

    private static long startIndex(Path segment) {
        Matcher m = SEGMENT.matcher(segment.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }

    /** Prints the entries of one segment from {@code fromIndex}; false if it holds a corrupt entry. */
    private static boolean dump(Path segment, long fromIndex, PrintStream out, PrintStream err) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        if (bytes.length < HEADER.length || !Arrays.equals(bytes, 0, HEADER.length, HEADER, 0, HEADER.length)) {
            err.println("dump-metadata-log: " + segment + " does not start with the Ratis log header");
            return false;
        }
        int position = HEADER.length;
        while (position < bytes.length && bytes[position] != 0) {
            int start = position;
            LogEntryProto entry;
            try {
                CodedInputStream in = CodedInputStream.newInstance(bytes, start, bytes.length - start);
                int length = in.readRawVarint32();
                int body = start + in.getTotalBytesRead();
                if (length < 0 || body + length + Integer.BYTES > bytes.length) {
                    err.println("dump-metadata-log: " + segment + ": the entry at byte " + start
                            + " is cut short (a partly written last entry, never committed by this node)");
                    return false;
                }
                CRC32C crc = new CRC32C();
                crc.update(bytes, start, body + length - start);
                int stored = ByteBuffer.wrap(bytes, body + length, Integer.BYTES).getInt();
                if (stored != (int) crc.getValue()) {
                    err.printf("dump-metadata-log: %s: the entry at byte %d is corrupt (checksum %08X,"
                            + " computed %08X)%n", segment, start, stored, (int) crc.getValue());
                    return false;
                }
                entry = LogEntryProto.parseFrom(CodedInputStream.newInstance(bytes, body, length));
                position = body + length + Integer.BYTES;
            } catch (IOException e) {
                err.println("dump-metadata-log: " + segment + ": cannot decode the entry at byte " + start + ": "
                        + e.getMessage());
                return false;
            }
            if (entry.getIndex() >= fromIndex) {
                out.println(entry.getIndex() + " term=" + entry.getTerm() + " " + describe(entry));
            }
        }
        return true;
    }

    /** One entry in words: the decoded command, a membership change, or Raft's own metadata. */
    static String describe(LogEntryProto entry) {
        if (entry.hasStateMachineLogEntry()) {
            try {
                return TEXT.printToString(MetaCommand.parseFrom(
                        entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer()));
            } catch (InvalidProtocolBufferException e) {
                return "undecodable command (" + entry.getStateMachineLogEntry().getLogData().size() + " bytes): "
                        + e.getMessage();
            }
        }
        if (entry.hasConfigurationEntry()) {
            return "configuration voters=" + ids(entry.getConfigurationEntry().getPeersList()) + " listeners="
                    + ids(entry.getConfigurationEntry().getListenersList());
        }
        if (entry.hasMetadataEntry()) {
            return "raft-metadata commit=" + entry.getMetadataEntry().getCommitIndex();
        }
        return "empty entry";
    }

    private static List<String> ids(List<RaftPeerProto> peers) {
        List<String> ids = new ArrayList<>();
        for (RaftPeerProto peer : peers) {
            ids.add(peer.getId().toStringUtf8());
        }
        return ids;
    }
}
