package io.sluice.client.admin;

import java.util.Map;

/**
 * A topic as created, defaults resolved. Immutable.
 *
 * @param name              the name
 * @param topicId           its id (UUID text)
 * @param partitions        partition count
 * @param replicationFactor replicas per partition
 * @param configs           every config, defaults included (as far as the broker reports them)
 */
public record CreatedTopic(String name, String topicId, int partitions, int replicationFactor,
        Map<String, String> configs) {
}
