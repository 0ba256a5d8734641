package io.sluice.client.cli;

import io.sluice.client.producer.Producer;
import io.sluice.client.producer.ProducerConfig;
import io.sluice.client.producer.ProducerRecord;
import io.sluice.client.producer.RecordMetadata;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code sluice produce}: one record per line of standard input, in order. Checks first that the
 * topic exists (a clear message instead of a minute of waiting); at the end waits for every record
 * and exits 1 if any was not acknowledged, saying how many and why.
 */
final class ProduceCommand extends ClientCommand {
    private static final Args.Spec SPEC = new Args.Spec(
            Set.of("topic", "key-separator", "acks", "partition", "compression"), Set.of(),
            Set.of("producer-property"));
    private static final String USAGE = """
                --topic T [--key-separator S] [--acks all|leader|none] [--partition P]
                       [--compression none|gzip|lz4|zstd] [--producer-property k=v ...]

                Reads standard input and sends each line as one record's value, in order.
                  --topic T               the topic to write to
                  --key-separator S       split each line at the first S into key and value;
                                          a line without S is not sent and counts as a failure
                  --acks all|leader|none  replicas that must have a record (default all)
                  --partition P           write every record to partition P
                  --compression C         batch compression (default none)
                  --producer-property k=v any producer setting (repeatable)
                Exits 0 when every record was acknowledged, 1 otherwise (saying how many were not).
                """;

    ProduceCommand(CliEnvironment env) {
        super("produce", "send one record per line of standard input", env, SPEC, USAGE);
    }

    @Override
    int execute(Args args, Session s) throws Exception {
        String topic = args.required("topic");
        String separator = args.value("key-separator", null);
        if (separator != null && separator.isEmpty()) {
            throw new UsageException("--key-separator must not be empty");
        }
        int partition = args.intValue("partition", -1, 0);
        Map<String, Object> settings = producerSettings(args, s);
        int partitions = s.await(s.admin().describeTopics(List.of(topic))).get(topic).partitions().size();
        if (partition >= partitions) {
            throw new UsageException("--partition " + partition + " does not exist; topic " + topic + " has "
                    + partitions);
        }
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        try (Producer<byte[], byte[]> producer = env.clients().producer(settings);
             BufferedReader in = new BufferedReader(new InputStreamReader(env.stdin(), StandardCharsets.UTF_8))) {
            int lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                byte[] key = null;
                String value = line;
                if (separator != null) {
                    int at = line.indexOf(separator);
                    if (at < 0) {
                        refused.add("line " + lineNumber + " has no key separator '" + separator + "'");
                        continue;
                    }
                    key = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
                    value = line.substring(at + separator.length());
                }
                sent.add(producer.send(new ProducerRecord<>(topic, partition < 0 ? null : partition, key,
                        value.getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
        }
        return report(s, topic, sent, refused);
    }

    private Map<String, Object> producerSettings(Args args, Session s) throws UsageException {
        Map<String, Object> settings = s.clientSettings();
        String acks = args.value("acks", "all");
        if (!Set.of("all", "leader", "none").contains(acks)) {
            throw new UsageException("--acks must be all, leader or none, got '" + acks + "'");
        }
        settings.put(ProducerConfig.ACKS, acks);
        settings.put(ProducerConfig.COMPRESSION_TYPE, args.value("compression", "none"));
        settings.put(ProducerConfig.MAX_BLOCK_MS, s.timeoutMs);
        long linger = 5;
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS,
                (int) Math.min(Integer.MAX_VALUE, Math.max(s.timeoutMs, linger + Math.min(30_000, s.timeoutMs))));
        settings.putAll(args.pairs("producer-property"));
        return settings;
    }

    private static int report(Session s, String topic, List<CompletableFuture<RecordMetadata>> sent,
            List<String> refused) {
        int failed = refused.size();
        String firstError = refused.isEmpty() ? null : refused.get(0);
        for (CompletableFuture<RecordMetadata> f : sent) {
            try {
                f.join();
            } catch (CompletionException e) {
                failed++;
                if (firstError == null) {
                    firstError = Failures.describe(e, s.bootstrap);
                }
            }
        }
        int total = sent.size() + refused.size();
        if (failed == 0) {
            s.err.println("Produced " + total + " record" + (total == 1 ? "" : "s") + " to " + topic + ".");
            return OK;
        }
        s.err.println("sluice produce: " + failed + " of " + total + " records were not acknowledged; first error: "
                + firstError);
        return FAILED;
    }
}
