package io.sluice.broker.log;

import java.util.Optional;
import java.util.UUID;

/**
 * Names a partition replica's log: the topic's id (its UUID, which survives renames and tells a
 * re-created topic from the old one) and the partition index. Its directory under the data directory
 * is {@code <topicId>-<partition>}, e.g. {@code 1b4e28ba-2fa1-11d2-883f-0016d3cca427-0}.
 */
public record TopicIdPartition(UUID topicId, int partition) {
    public TopicIdPartition {
        if (topicId == null) {
            throw new IllegalArgumentException("topic id must be set");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0: " + partition);
        }
    }

    /** The log's directory name. */
    public String dirName() {
        return topicId + "-" + partition;
    }

    /** The partition whose directory is {@code name}, or empty when the name is not one. */
    public static Optional<TopicIdPartition> fromDirName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash != 36) {
            return Optional.empty();
        }
        try {
            UUID topicId = UUID.fromString(name.substring(0, dash));
            String digits = name.substring(dash + 1);
            if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || !topicId.toString()
                    .equals(name.substring(0, dash))) {
                return Optional.empty();
            }
            return Optional.of(new TopicIdPartition(topicId, Integer.parseInt(digits)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return dirName();
    }
}
