package io.sluice.broker.group;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Topics in memory; every change bumps the version. Synchronized. */
final class FakeTopicCatalog implements TopicCatalog {
    private final Map<String, TopicInfo> byName = new TreeMap<>();
    private long version;
    private int nextId;

    /** Creates a topic and returns its id. */
    synchronized String create(String name, int partitions) {
        String id = String.format("00000000-0000-0000-0000-%012d", ++nextId);
        byName.put(name, new TopicInfo(id, name, partitions));
        version++;
        return id;
    }

    synchronized void grow(String name, int partitions) {
        TopicInfo topic = byName.get(name);
        byName.put(name, new TopicInfo(topic.topicId(), name, partitions));
        version++;
    }

    synchronized String delete(String name) {
        version++;
        return byName.remove(name).topicId();
    }

    synchronized String idOf(String name) {
        return byName.get(name).topicId();
    }

    @Override
    public synchronized long version() {
        return version;
    }

    @Override
    public synchronized Optional<TopicInfo> topicByName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public synchronized Optional<TopicInfo> topicById(String topicId) {
        return byName.values().stream().filter(t -> t.topicId().equals(topicId)).findFirst();
    }
}
