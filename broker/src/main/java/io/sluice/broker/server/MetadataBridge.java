package io.sluice.broker.server;

import io.sluice.broker.partition.MetadataDelta;
import io.sluice.broker.partition.TopicInfo;
import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.MetadataListener;
import io.sluice.metastore.MetadataUpdate;
import io.sluice.metastore.TopicImage;
import io.sluice.proto.internal.v1.PartitionRecord;
import io.sluice.proto.internal.v1.TopicRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Carries metadata changes from the metadata store to the data plane, in log order. Until the node
 * has caught up with the metadata log ({@link #initialize}), updates are held back: the data plane
 * first receives the whole image it caught up to (a full delta, which also removes replicas this
 * broker no longer hosts), then every later update. A snapshot installed while running is passed on
 * as a full image too.
 *
 * <p>{@link #onUpdate} runs on the metadata apply thread and only converts and hands over; the sink
 * must not block (the data plane driver queues). Thread-safe.
 */
final class MetadataBridge implements MetadataListener {
    private final TopicSettingsFactory settings;
    private final Consumer<MetadataDelta> sink;
    private final List<MetadataUpdate> held = new ArrayList<>();
    private boolean initialized;
    private long forwardedIndex = -1;

    MetadataBridge(TopicSettingsFactory settings, Consumer<MetadataDelta> sink) {
        this.settings = settings;
        this.sink = sink;
    }

    @Override
    public synchronized void onUpdate(MetadataUpdate update) {
        if (!initialized) {
            held.add(update);
            return;
        }
        forward(update);
    }

    /** Hands the data plane the image the node caught up to, then every update held since. */
    synchronized void initialize(MetadataImage image) {
        if (initialized) {
            return;
        }
        sink.accept(fullImage(image));
        forwardedIndex = image.lastAppliedIndex();
        for (MetadataUpdate update : held) {
            forward(update);
        }
        held.clear();
        initialized = true;
    }

    synchronized long forwardedIndex() {
        return forwardedIndex;
    }

    private void forward(MetadataUpdate update) {
        if (update.index() <= forwardedIndex) {
            return;
        }
        sink.accept(update.fromSnapshot() ? fullImage(update.image()) : delta(update));
        forwardedIndex = update.index();
    }

    MetadataDelta fullImage(MetadataImage image) {
        MetadataDelta.Builder delta = MetadataDelta.builder().fullImage(true);
        image.brokers().values().forEach(delta::broker);
        for (TopicImage topic : image.topics().values()) {
            delta.topic(topicInfo(topic.topic()));
            topic.partitionList().forEach(delta::partition);
        }
        return delta.build();
    }

    private MetadataDelta delta(MetadataUpdate update) {
        MetadataDelta.Builder delta = MetadataDelta.builder();
        for (io.sluice.metastore.MetadataDelta change : update.deltas()) {
            apply(change, delta);
        }
        return delta.build();
    }

    private void apply(io.sluice.metastore.MetadataDelta change, MetadataDelta.Builder delta) {
        if (change instanceof io.sluice.metastore.MetadataDelta.BrokerChanged broker) {
            if (broker.current() == null) {
                delta.removeBroker(broker.brokerId());
            } else {
                delta.broker(broker.current());
            }
        } else if (change instanceof io.sluice.metastore.MetadataDelta.TopicCreated created) {
            delta.topic(topicInfo(created.topic()));
        } else if (change instanceof io.sluice.metastore.MetadataDelta.TopicConfigsChanged changed) {
            delta.topic(topicInfo(changed.current()));
        } else if (change instanceof io.sluice.metastore.MetadataDelta.TopicDeleted deleted) {
            delta.deleteTopic(deleted.topic().getTopicId());
        } else if (change instanceof io.sluice.metastore.MetadataDelta.PartitionChanged partition) {
            PartitionRecord current = partition.current();
            if (current != null) {
                delta.partition(current);
            }
        }
    }

    private TopicInfo topicInfo(TopicRecord topic) {
        return new TopicInfo(topic.getTopicId(), topic.getName(), settings.settings(topic.getConfigsMap()));
    }
}
