package io.sluice.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.common.ClientConfig;
import io.sluice.client.consumer.ConsumerConfig;
import io.sluice.client.perf.ConsumerPerfOptions;
import io.sluice.client.perf.EndToEndOptions;
import io.sluice.client.perf.ProducerPerfOptions;
import io.sluice.client.producer.ProducerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Command lines of {@code sluice perf} turned into the generators' options. */
class PerfCommandsTest {
    private static final Map<String, Object> BASE = Map.of(ClientConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1",
            ClientConfig.CLIENT_ID, "sluice-cli");

    private static Args produce(String... args) throws UsageException {
        return Args.parse(List.of(args), PerfCommands.Produce.SPEC);
    }

    @Test
    void produceTakesKafkasKnobs() throws Exception {
        ProducerPerfOptions o = PerfCommands.produceOptions(produce("--topic", "t", "--num-records", "1000",
                "--record-size", "100", "--throughput", "10000", "--acks", "leader", "--batch-size", "65536",
                "--linger-ms", "0", "--compression", "lz4", "--producers", "2", "--warmup-records", "10",
                "--command-property", "buffer.memory=1000000"), BASE);
        assertEquals(1000, o.numRecords());
        assertEquals(100, o.recordSize());
        assertEquals(10_000, o.throughput());
        assertTrue(o.paced());
        assertEquals(2, o.producers());
        assertEquals(10, o.warmupRecords());
        Map<String, Object> s = o.producerSettings();
        assertEquals("leader", s.get(ProducerConfig.ACKS));
        assertEquals(65536, s.get(ProducerConfig.BATCH_SIZE));
        assertEquals(0, s.get(ProducerConfig.LINGER_MS));
        assertEquals("lz4", s.get(ProducerConfig.COMPRESSION_TYPE));
        assertEquals("1000000", s.get("buffer.memory"));
        assertEquals("127.0.0.1:1", s.get(ClientConfig.BOOTSTRAP_SERVERS));
        assertFalse(s.containsKey(ClientConfig.CLIENT_ID), "each producer names itself");
    }

    @Test
    void produceRunsForACountOrADurationAndRejectsBadValues() throws Exception {
        ProducerPerfOptions timed = PerfCommands.produceOptions(produce("--topic", "t", "--duration-ms", "500"), BASE);
        assertEquals(-1, timed.numRecords());
        assertEquals(500, timed.durationMs());
        assertFalse(timed.paced());
        assertThrows(UsageException.class, () -> PerfCommands.produceOptions(produce("--topic", "t"), BASE));
        assertThrows(UsageException.class, () -> PerfCommands.produceOptions(
                produce("--topic", "t", "--num-records", "1", "--duration-ms", "1"), BASE));
        assertThrows(UsageException.class, () -> PerfCommands.produceOptions(
                produce("--topic", "t", "--num-records", "1", "--throughput", "0"), BASE));
        assertThrows(UsageException.class, () -> PerfCommands.produceOptions(
                produce("--topic", "t", "--num-records", "1", "--acks", "2"), BASE));
    }

    @Test
    void consumeAndEndToEndOptions() throws Exception {
        ConsumerPerfOptions c = PerfCommands.consumeOptions(Args.parse(List.of("--topic", "t", "--num-records", "5",
                "--group", "g", "--consumers", "3", "--fetch-size", "4096", "--from-latest"),
                PerfCommands.Consume.SPEC), BASE);
        assertEquals("g", c.group());
        assertEquals(3, c.consumers());
        assertTrue(c.fromLatest());
        assertEquals(4096, c.consumerSettings().get(ConsumerConfig.MAX_PARTITION_FETCH_BYTES));
        EndToEndOptions e = PerfCommands.endToEndOptions(Args.parse(List.of("--topic", "t", "--num-records", "5",
                "--acks", "all", "--consumer-property", "fetch.max.wait.ms=1"), PerfCommands.EndToEnd.SPEC), BASE);
        assertFalse(e.paced());
        assertEquals("all", e.producerSettings().get(ProducerConfig.ACKS));
        assertEquals("1", e.consumerSettings().get("fetch.max.wait.ms"));
        assertThrows(UsageException.class, () -> PerfCommands.endToEndOptions(Args.parse(List.of("--topic", "t",
                "--num-records", "5", "--record-size", "4"), PerfCommands.EndToEnd.SPEC), BASE));
    }
}
