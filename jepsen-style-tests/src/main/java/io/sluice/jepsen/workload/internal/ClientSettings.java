package io.sluice.jepsen.workload.internal;

import io.sluice.client.admin.AdminConfig;
import io.sluice.client.common.ClientConfig;
import io.sluice.client.consumer.ConsumerConfig;
import io.sluice.client.producer.ProducerConfig;
import io.sluice.jepsen.workload.QueueSettings;
import java.util.HashMap;
import java.util.Map;

/**
 * Client configurations for chaos: small timeouts so that a fault shows up as failed or unknown
 * operations within seconds instead of minutes, frequent metadata refreshes, bounded in-flight
 * work. Stateless.
 */
public final class ClientSettings {
    /** Longest a blocking consumer or admin call waits. */
    public static final int API_TIMEOUT_MS = 10_000;

    private ClientSettings() {
    }

    private static Map<String, Object> common(String bootstrap, String clientId, QueueSettings settings) {
        Map<String, Object> c = new HashMap<>();
        c.put(ClientConfig.BOOTSTRAP_SERVERS, bootstrap);
        c.put(ClientConfig.CLIENT_ID, clientId);
        c.put(ClientConfig.REQUEST_TIMEOUT_MS, (int) settings.requestTimeoutMs());
        c.put(ClientConfig.RETRY_BACKOFF_MS, 100);
        c.put(ClientConfig.RETRY_BACKOFF_MAX_MS, 1_000);
        c.put(ClientConfig.METADATA_MAX_AGE_MS, 5_000);
        return c;
    }

    /** An idempotent acks=all producer with a delivery timeout of tens of seconds. */
    public static Map<String, Object> producer(String bootstrap, String clientId, QueueSettings settings) {
        Map<String, Object> c = common(bootstrap, clientId, settings);
        c.put(ProducerConfig.ACKS, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE, true);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS, (int) settings.deliveryTimeoutMs());
        c.put(ProducerConfig.LINGER_MS, 2);
        c.put(ProducerConfig.MAX_BLOCK_MS, 10_000);
        c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        c.put(ProducerConfig.BUFFER_MEMORY, 8 << 20);
        return c;
    }

    /**
     * A consumer that commits only when told to, starts from the beginning where nothing is
     * committed, and leaves its group after 30 s without a poll.
     *
     * @param group the group, or null for none
     */
    public static Map<String, Object> consumer(String bootstrap, String clientId, String group,
            QueueSettings settings) {
        Map<String, Object> c = common(bootstrap, clientId, settings);
        if (group != null) {
            c.put(ConsumerConfig.GROUP_ID, group);
        }
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET, "earliest");
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS, 250);
        c.put(ConsumerConfig.MAX_POLL_RECORDS, 200);
        c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS, 30_000);
        c.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS, API_TIMEOUT_MS);
        return c;
    }

    /** An admin client whose operations give up after {@link #API_TIMEOUT_MS}. */
    public static Map<String, Object> admin(String bootstrap, QueueSettings settings) {
        Map<String, Object> c = common(bootstrap, "chaos-admin", settings);
        c.put(AdminConfig.DEFAULT_API_TIMEOUT_MS, API_TIMEOUT_MS);
        return c;
    }
}
