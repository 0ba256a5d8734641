package io.sluice.jepsen.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import io.sluice.client.common.Serdes;
import io.sluice.client.producer.Producer;
import io.sluice.client.producer.ProducerRecord;
import io.sluice.client.producer.RecordMetadata;
import io.sluice.client.producer.SluiceProducer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps records flowing: a thread that sends {@code "<partition>:<n>"} to every partition of a
 * topic in turn, one round every {@code pauseMs}, with acks=all and idempotence, until stopped.
 * {@link #stop} waits until every record sent is acknowledged and fails the test otherwise, so
 * afterwards partition {@code p} holds exactly {@code p:0 .. p:(sent(p)-1)}.
 */
final class NumberedProducer implements AutoCloseable {
    private final Producer<String, String> producer;
    private final String topic;
    private final int[] next;
    private final long pauseMs;
    private final List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    NumberedProducer(String bootstrap, String topic, int partitions, long pauseMs) {
        this.producer = new SluiceProducer<>(Map.of("bootstrap.servers", bootstrap, "linger.ms", "5",
                "request.timeout.ms", "10000"), Serdes.stringSerializer(), Serdes.stringSerializer());
        this.topic = topic;
        this.next = new int[partitions];
        this.pauseMs = pauseMs;
        this.thread = new Thread(this::run, "numbered-producer");
        thread.start();
    }

    private void run() {
        while (running) {
            synchronized (this) {
                for (int p = 0; p < next.length; p++) {
                    sent.add(producer.send(new ProducerRecord<>(topic, p, null, p + ":" + next[p]++)));
                }
            }
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Records sent so far to {@code partition}. */
    synchronized int sent(int partition) {
        return next[partition];
    }

    /** Stops sending and waits until every record sent is acknowledged; returns the counts per partition. */
    int[] stop() throws InterruptedException {
        running = false;
        thread.join(30_000);
        producer.flush();
        List<CompletableFuture<RecordMetadata>> all;
        synchronized (this) {
            all = List.copyOf(sent);
        }
        for (CompletableFuture<RecordMetadata> f : all) {
            try {
                f.get(120, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                fail("a produced record was not acknowledged", e);
            }
        }
        synchronized (this) {
            return next.clone();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
        producer.close();
    }
}
