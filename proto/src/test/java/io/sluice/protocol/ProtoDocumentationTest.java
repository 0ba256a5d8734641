package io.sluice.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The .proto files are the API documentation for every language, so every message, enum, service,
 * rpc, field and enum value must carry a comment, on the line just above it or at the end of its line.
 */
class ProtoDocumentationTest {
    private static final Pattern DECLARATION = Pattern.compile("^\\s*(message|enum|service|rpc)\\s+\\w+.*"
            + "|^\\s*(optional\\s+|repeated\\s+)?[\\w.<>, ]+\\s+\\w+\\s*=\\s*\\d+.*;.*");

    @Test
    void everyDeclarationIsDocumented() throws IOException {
        List<String> undocumented = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("src/main/proto"))) {
            files = walk.filter(p -> p.toString().endsWith(".proto")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no .proto files found");
        for (Path file : files) {
            check(file, Files.readAllLines(file), undocumented);
        }
        assertEquals(List.of(), undocumented, "declarations without a comment");
    }

    private static void check(Path file, List<String> lines, List<String> undocumented) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!DECLARATION.matcher(line).matches() || line.contains("//") || isSelfExplanatory(line)) {
                continue;
            }
            boolean commented = i > 0 && lines.get(i - 1).trim().startsWith("//");
            if (!commented) {
                undocumented.add(file.getFileName() + ":" + (i + 1) + ": " + line.trim());
            }
        }
    }

    /** Zero values of enums ("*_UNSPECIFIED = 0") mean "not set" by proto3 convention. */
    private static boolean isSelfExplanatory(String line) {
        return line.matches("\\s*\\w+_UNSPECIFIED\\s*=\\s*0;\\s*");
    }
}
