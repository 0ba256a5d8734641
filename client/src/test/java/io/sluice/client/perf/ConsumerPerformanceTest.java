package io.sluice.client.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.Consumer;
import io.sluice.client.consumer.ConsumerRebalanceListener;
import io.sluice.client.consumer.ConsumerRecord;
import io.sluice.client.consumer.ConsumerRecords;
import io.sluice.client.perf.internal.ConsumerProgress;
import io.sluice.common.SystemClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code perf consume} prints: Kafka's summary, or Kafka's progress lines instead, and the timeout warning. */
class ConsumerPerformanceTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final int PER_POLL = 100;

    private static String run(long numRecords, long available, boolean detailed) throws InterruptedException {
        ConsumerPerfOptions options = new ConsumerPerfOptions("t", numRecords, 200, "g", 1, false, 1, detailed,
                false, Map.of());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new ConsumerPerformance(options, settings -> consumerOf(available), SystemClock.INSTANCE,
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
        return printed.toString(StandardCharsets.UTF_8);
    }

    /** A consumer that hands out {@code available} 10-byte records, {@value #PER_POLL} per poll, 1 ms apart. */
    @SuppressWarnings("unchecked")
    private static Consumer<byte[], byte[]> consumerOf(long available) {
        long[] offset = {0};
        return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
                new Class<?>[] {Consumer.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "subscribe" -> {
                        ((ConsumerRebalanceListener) args[1]).onPartitionsAssigned(List.of(TP));
                        yield null;
                    }
                    case "poll" -> {
                        Thread.sleep(1);
                        List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
                        for (int i = 0; i < PER_POLL && offset[0] < available; i++, offset[0]++) {
                            batch.add(new ConsumerRecord<>(TP, offset[0], 0, null, 0, null, new byte[10], List.of(),
                                    -1, 10));
                        }
                        yield new ConsumerRecords<>(batch.isEmpty() ? Map.of() : Map.of(TP, batch));
                    }
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static List<String> lines(String printed) {
        return printed.lines().toList();
    }

    @Test
    void withoutDetailedStatsItPrintsKafkasHeaderAndOneSummary() throws Exception {
        List<String> out = lines(run(5_000, 5_000, false));

        assertEquals(2, out.size(), out.toString());
        assertEquals(ConsumerPerformance.HEADER, out.get(0));
        assertEquals("5000", out.get(1).split(", ")[4]);
    }

    @Test
    void detailedStatsReplaceTheSummaryWithProgressLines() throws Exception {
        List<String> out = lines(run(5_000, 5_000, true));

        assertEquals(ConsumerProgress.HEADER, out.get(0));
        assertTrue(out.size() > 1, out.toString());
        long last = -1;
        for (String line : out.subList(1, out.size())) {
            String[] columns = line.split(", ");
            assertEquals(10, columns.length, line);
            long read = Long.parseLong(columns[4]);
            assertTrue(read > last && read <= 5_000, line);
            last = read;
        }
        assertTrue(out.stream().noneMatch(l -> l.startsWith(ConsumerPerformance.HEADER)), out.toString());
    }

    @Test
    void aRunThatTimesOutShortOfItsCountSaysSoAsKafkaDoes() throws Exception {
        List<String> out = lines(run(5_000, 300, false));

        assertTrue(out.get(0).startsWith("WARNING: Exiting before consuming the expected number of records: timeout "
                + "(200 ms) exceeded."), out.toString());
        assertEquals("300", out.get(2).split(", ")[4]);
    }
}
