package io.sluice.broker.server.groups;

import io.sluice.broker.group.TopicCatalog;
import io.sluice.broker.group.TopicInfo;
import io.sluice.metastore.MetaStore;
import io.sluice.metastore.TopicImage;
import java.util.Optional;

/** Topics as this node's metadata image knows them; the version is the image's log index. */
public final class ImageTopicCatalog implements TopicCatalog {
    private final MetaStore store;

    public ImageTopicCatalog(MetaStore store) {
        this.store = store;
    }

    @Override
    public long version() {
        return store.image().lastAppliedIndex();
    }

    @Override
    public Optional<TopicInfo> topicByName(String name) {
        return Optional.ofNullable(store.image().topicByName(name)).map(ImageTopicCatalog::info);
    }

    @Override
    public Optional<TopicInfo> topicById(String topicId) {
        return Optional.ofNullable(store.image().topic(topicId)).map(ImageTopicCatalog::info);
    }

    private static TopicInfo info(TopicImage topic) {
        return new TopicInfo(topic.id(), topic.name(), topic.partitionCount());
    }
}
