package io.sluice.broker.group;

/**
 * What the coordinator needs to know of a live topic. Immutable.
 *
 * @param topicId        canonical UUID text
 * @param name           the topic's name
 * @param partitionCount number of partitions, at least 1
 */
public record TopicInfo(String topicId, String name, int partitionCount) {
    public TopicInfo {
        if (topicId == null || topicId.isEmpty() || name == null || name.isEmpty() || partitionCount < 1) {
            throw new IllegalArgumentException("invalid topic " + name + " (" + topicId + ") with "
                    + partitionCount + " partitions");
        }
    }
}
