package io.sluice.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CLI does with the archive {@code bin/sluice} asks for when the JVM cannot write one. The
 * test JVM was not started with {@code -XX:+RecordDynamicDumpInfo}, so the JDK refuses the dump, as
 * a JDK without the command would. Writing a real archive and mapping it in the next run is
 * {@code LauncherIT}'s, through the real launcher.
 */
class ClassArchiveTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearProperty() {
        System.clearProperty(ClassArchive.PROPERTY);
    }

    private List<String> files(Path where) throws IOException {
        try (Stream<Path> list = Files.list(where)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aRefusedDumpLeavesNoFileAndStandardOutputAsItWas() throws IOException {
        Path archive = dir.resolve("cds/version-1.jsa");
        System.setProperty(ClassArchive.PROPERTY, archive.toString());
        PrintStream before = System.out;

        ClassArchive.writeIfRequested();

        assertSame(before, System.out);
        assertEquals(List.of(), files(archive.getParent()), "neither an archive nor a temporary file");
    }

    @Test
    void anArchiveThatExistsIsLeftAsItIs() throws IOException {
        Path archive = dir.resolve("topics-1.jsa");
        byte[] content = {1, 2, 3};
        Files.write(archive, content);
        System.setProperty(ClassArchive.PROPERTY, archive.toString());

        ClassArchive.writeIfRequested();

        assertArrayEquals(content, Files.readAllBytes(archive));
        assertEquals(List.of("topics-1.jsa"), files(dir));
    }
}
