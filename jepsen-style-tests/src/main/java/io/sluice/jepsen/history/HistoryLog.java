package io.sluice.jepsen.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A history recorded as JSON lines, one {@link Op} a line, flushed as written so that a run that
 * dies still leaves every operation recorded up to then. Appends are synchronized: many client
 * threads record into one log, and the index gives the total order in which they were recorded.
 *
 * <p>Line format: {@code {"index":0,"time":12345,"process":3,"type":"invoke","f":"send","value":...,
 * "error":null}}.
 */
public final class HistoryLog implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter writer;
    private long nextIndex;

    private HistoryLog(BufferedWriter writer) {
        this.writer = writer;
    }

    /** Creates (or truncates) the history file. */
    public static HistoryLog create(Path file) throws IOException {
        return new HistoryLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    /** Records an entry, giving it the next index, and returns it. */
    public synchronized Op append(long timeNs, int process, OpType type, String f, Object value, String error) {
        Op op = new Op(nextIndex++, timeNs, process, type, f, JSON.valueToTree(value), error);
        try {
            writer.write(JSON.writeValueAsString(toJson(op)));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record history entry " + op.index(), e);
        }
        return op;
    }

    /** Reads every entry of a history file, refusing a line that is not a valid entry. */
    public static List<Op> read(Path file) throws IOException {
        List<Op> ops = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (!line.isBlank()) {
                    ops.add(fromJson(line, file, lineNumber));
                }
            }
        }
        return ops;
    }

    private static ObjectNode toJson(Op op) {
        ObjectNode node = JSON.createObjectNode();
        node.put("index", op.index());
        node.put("time", op.timeNs());
        node.put("process", op.process());
        node.put("type", op.type().name().toLowerCase(java.util.Locale.ROOT));
        node.put("f", op.f());
        node.set("value", op.value());
        node.put("error", op.error());
        return node;
    }

    private static Op fromJson(String line, Path file, int lineNumber) throws IOException {
        var node = JSON.readTree(line);
        String[] required = {"index", "time", "process", "type", "f"};
        for (String field : required) {
            if (node == null || !node.hasNonNull(field)) {
                throw new IOException(file + ":" + lineNumber + ": history entry lacks '" + field + "'");
            }
        }
        String error = node.hasNonNull("error") ? node.get("error").asText() : null;
        return new Op(node.get("index").asLong(), node.get("time").asLong(), node.get("process").asInt(),
                OpType.valueOf(node.get("type").asText().toUpperCase(java.util.Locale.ROOT)),
                node.get("f").asText(), node.get("value"), error);
    }

    @Override
    public synchronized void close() throws IOException {
        writer.close();
    }
}
