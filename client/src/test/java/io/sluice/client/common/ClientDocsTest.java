package io.sluice.client.common;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.admin.AdminConfig;
import io.sluice.client.consumer.ConsumerConfig;
import io.sluice.client.internal.config.ConfigDef;
import io.sluice.client.producer.ProducerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/client.md lists every client config key with its actual default. */
class ClientDocsTest {
    /** docs/client.md in {@code start} or the nearest directory above it that has one. */
    private static Path find(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("client.md");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("docs/client.md not found above " + start);
    }

    @Test
    void everyConfigKeyIsDocumentedWithItsDefault() throws IOException {
        Path doc = find(Path.of(System.getProperty("user.dir")).toAbsolutePath());
        List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
        for (ConfigDef def : List.of(ProducerConfig.definition(), ConsumerConfig.definition(),
                AdminConfig.definition())) {
            for (ConfigDef.Key key : def.keys()) {
                String expected = key.required() ? "(required)" : key.defaultValue() == null ? "(none)"
                        : key.defaultText().isEmpty() ? "`\"\"`" : "`" + key.defaultText() + "`";
                String row = "| `" + key.name() + "` | " + expected + " |";
                assertTrue(lines.stream().anyMatch(l -> l.startsWith(row)), "docs/client.md lacks the row " + row);
            }
        }
    }
}
