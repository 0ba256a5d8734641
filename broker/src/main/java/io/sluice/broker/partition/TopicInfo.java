package io.sluice.broker.partition;

/**
 * A topic as the data plane needs it: id, name and resolved settings. The node wiring builds it
 * from a {@code TopicRecord} and the topic's configs (defaults applied).
 */
public record TopicInfo(String topicId, String name, TopicSettings settings) {
    public TopicInfo {
        if (topicId == null || topicId.isEmpty() || name == null || name.isEmpty() || settings == null) {
            throw new IllegalArgumentException("topic id, name and settings must be set");
        }
    }
}
