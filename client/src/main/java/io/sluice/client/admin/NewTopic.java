package io.sluice.client.admin;

import java.util.Map;

/**
 * A topic to create. Immutable.
 *
 * @param name              1-249 characters of {@code [a-zA-Z0-9._-]}
 * @param partitions        partition count, or -1 for the cluster default
 * @param replicationFactor replicas per partition, or -1 for the cluster default
 * @param configs           topic configs that differ from the defaults (e.g. {@code retention.ms})
 */
public record NewTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
    public NewTopic {
        configs = configs == null ? Map.of() : Map.copyOf(configs);
    }

    /** A topic with default configs. */
    public NewTopic(String name, int partitions, int replicationFactor) {
        this(name, partitions, replicationFactor, Map.of());
    }
}
