package io.sluice.jepsen.workload.internal;

import io.sluice.client.admin.Admin;
import io.sluice.client.admin.NewTopic;
import io.sluice.client.admin.Results;
import io.sluice.client.admin.TopicDescription;
import io.sluice.client.errors.RetriableException;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.TopicExistsException;
import io.sluice.common.Clock;
import io.sluice.jepsen.workload.QueueSettings;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the workload's topic through the admin client and waits until every partition has a
 * leader and its full replica set in sync, so the faults start on a healthy topic. A creation
 * whose answer was lost may report that the topic exists on the retry: that counts as created.
 * Stateless.
 */
public final class TopicSetup {
    private static final long STEP_MS = 500;

    private TopicSetup() {
    }

    /** Creates the topic and waits until it is fully replicated, for at most {@code timeoutMs}. */
    public static void createAndAwait(Admin admin, QueueSettings settings, Clock clock, long timeoutMs)
            throws IOException, InterruptedException {
        long deadline = clock.monotonicMs() + timeoutMs;
        NewTopic topic = new NewTopic(settings.topic(), settings.partitions(), settings.replicationFactor(),
                Map.of("min.insync.replicas", Integer.toString(settings.minInsyncReplicas()),
                        "segment.bytes", Integer.toString(settings.segmentBytes())));
        String last = "no answer yet";
        boolean created = false;
        while (clock.monotonicMs() < deadline) {
            try {
                if (!created) {
                    Results<String, ?> results = admin.createTopics(List.of(topic)).get(timeoutMs,
                            TimeUnit.MILLISECONDS);
                    SluiceException error = results.failures().get(settings.topic());
                    if (error != null && !(error instanceof TopicExistsException)) {
                        throw error;
                    }
                    created = true;
                }
                TopicDescription description = admin.describeTopics(List.of(settings.topic()))
                        .get(timeoutMs, TimeUnit.MILLISECONDS).get(settings.topic());
                if (fullyReplicated(description, settings)) {
                    return;
                }
                last = "not every partition has a leader and " + settings.replicationFactor() + " in-sync replicas: "
                        + description.partitions();
            } catch (ExecutionException | TimeoutException | SluiceException e) {
                last = Outcome.describe(Outcome.unwrap(e));
                if (e instanceof SluiceException s && !isRetriable(s)) {
                    throw new IOException("cannot create topic '" + settings.topic() + "': " + last, e);
                }
            }
            clock.sleepMs(STEP_MS);
        }
        throw new IOException("topic '" + settings.topic() + "' was not ready within " + timeoutMs + " ms: " + last);
    }

    private static boolean isRetriable(SluiceException e) {
        return e instanceof RetriableException;
    }

    private static boolean fullyReplicated(TopicDescription description, QueueSettings settings) {
        return description.partitions().size() == settings.partitions() && description.partitions().stream()
                .allMatch(p -> p.leader() > 0 && p.isr().size() == settings.replicationFactor());
    }
}
