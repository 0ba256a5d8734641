package io.sluice.broker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import net.openhft.chronicle.core.io.AbstractReferenceCounted;
import net.openhft.chronicle.core.io.BackgroundResourceReleaser;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves a segment mapped or a Chronicle resource unreleased: such a leak is what
 * later shows up as "Discarded without being released", or never shows up and eats address space.
 * Two checks after each test: Chronicle's reference tracing (every traced resource created during the
 * test was released), and the process's own memory map (once Chronicle's background releaser has
 * caught up, no segment file, {@code <20 digits>.log}, is mapped any more). Tests run one at a time
 * in the JVM, so a mapping left over is the test's own.
 */
public final class NoMappingLeaks implements BeforeEachCallback, AfterEachCallback {
    private static final Pattern SEGMENT = Pattern.compile("/\\d{20}\\.log");

    @Override
    public void beforeEach(ExtensionContext context) {
        AbstractReferenceCounted.enableReferenceTracing();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            AbstractReferenceCounted.assertReferencesReleased();
        } finally {
            AbstractReferenceCounted.disableReferenceTracing();
        }
        assertEquals(List.of(), mappedSegments(), "segments still mapped after the test");
    }

    /** The lines of /proc/self/maps that map a segment file (empty where there is no /proc). */
    public static List<String> mappedSegments() {
        BackgroundResourceReleaser.releasePendingResources();
        Path maps = Path.of("/proc/self/maps");
        if (!Files.exists(maps)) {
            return List.of();
        }
        try {
            return Files.readAllLines(maps).stream().filter(line -> SEGMENT.matcher(line).find()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
