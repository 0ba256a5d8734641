package io.sluice.client.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.client.perf.internal.ManualPacing;
import io.sluice.client.perf.internal.Pacer;
import io.sluice.client.producer.ProducerRecord;
import io.sluice.common.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A whole paced run on a manual clock, with producers that take time to learn the topic's metadata. */
class ProducerPerformanceTest {
    private static final long METADATA_MS = 700;

    private final ManualClock clock = new ManualClock(0);
    private final Pacer pacer = ManualPacing.movingClock(clock);

    @Test
    void theScheduleStartsOnceTheProducersKnowTheTopic() throws Exception {
        // 1,000 records/s, one producer (its thread and the test's share the manual clock). Had the
        // schedule started before the metadata arrived, the first 700 records would be late by up to 700 ms.
        ProducerPerfOptions options = new ProducerPerfOptions("t", 1_000, 0, 16, 1_000, 1, 0, 60_000, Map.of());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        ProducerPerformance.Result result = new ProducerPerformance(options, settings -> new MetadataFirstProducer(),
                clock, pacer, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertEquals(1_000, result.total().records());
        assertEquals(0, result.failures());
        assertEquals(0, result.total().latencies().max(), printed.toString(StandardCharsets.UTF_8));
    }

    /**
     * Spends {@value #METADATA_MS} ms of the clock on its first metadata lookup, whether
     * {@code partitionsFor} or the first {@code send} asks for it.
     */
    private final class MetadataFirstProducer extends ManualPacing.AckingProducer {
        private boolean knowsTopic;

        private void learnTopic() {
            if (!knowsTopic) {
                clock.advanceMs(METADATA_MS);
                knowsTopic = true;
            }
        }

        @Override
        protected void beforeSend(ProducerRecord<byte[], byte[]> record) {
            learnTopic();
        }

        @Override
        public List<Integer> partitionsFor(String topic) {
            learnTopic();
            return super.partitionsFor(topic);
        }
    }
}
