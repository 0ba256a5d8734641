package io.sluice.client.testing;

import io.sluice.client.common.TopicPartition;
import io.sluice.proto.v1.Assignment;
import io.sluice.proto.v1.ConsumerGroupHeartbeatRequest;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.GroupState;
import io.sluice.proto.v1.TopicPartitionSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A small KIP-848 coordinator for tests: members join with epoch 0, the group epoch moves on every
 * membership or subscription change, the target assignment spreads the subscribed partitions
 * round-robin over the members (sorted by id), and a member is given a partition only once no
 * other member reports owning it. Members silent for the session timeout are removed.
 * Thread-safe (synchronized).
 */
final class FakeGroupCoordinator {
    static final int HEARTBEAT_INTERVAL_MS = 200;

    static final class Member {
        final String id;
        String instanceId = "";
        String clientId = "";
        int epoch;
        Set<String> subscription = Set.of();
        Set<TopicPartition> owned = Set.of();
        Set<TopicPartition> target = Set.of();
        Set<TopicPartition> lastSent;
        long lastSeenMs;

        Member(String id) {
            this.id = id;
        }
    }

    static final class Group {
        int epoch;
        final Map<String, Member> members = new TreeMap<>();
    }

    private final FakeBrokerState state;
    private final long sessionTimeoutMs;
    private final Map<String, Group> groups = new TreeMap<>();

    FakeGroupCoordinator(FakeBrokerState state, long sessionTimeoutMs) {
        this.state = state;
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    synchronized ConsumerGroupHeartbeatResponse heartbeat(ConsumerGroupHeartbeatRequest r, long nowMs) {
        Group g = groups.computeIfAbsent(r.getGroupId(), k -> new Group());
        expire(g, nowMs);
        ConsumerGroupHeartbeatResponse.Builder out = ConsumerGroupHeartbeatResponse.newBuilder()
                .setMemberId(r.getMemberId()).setHeartbeatIntervalMs(HEARTBEAT_INTERVAL_MS);
        if (r.getMemberEpoch() < 0) {
            if (g.members.remove(r.getMemberId()) != null) {
                recompute(g);
            }
            return out.setMemberEpoch(r.getMemberEpoch()).build();
        }
        Member m = g.members.get(r.getMemberId());
        if (r.getMemberEpoch() == 0) {
            m = new Member(r.getMemberId());
            g.members.put(m.id, m);
        } else if (m == null) {
            return out.setErrorCode(ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID).build();
        } else if (r.getMemberEpoch() > m.epoch) {
            return out.setErrorCode(ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH).build();
        }
        m.lastSeenMs = nowMs;
        m.instanceId = r.getInstanceId();
        m.clientId = r.getClientId();
        boolean changed = r.getMemberEpoch() == 0;
        if (r.hasSubscribedTopics() && !Set.copyOf(r.getSubscribedTopics().getNamesList()).equals(m.subscription)) {
            m.subscription = Set.copyOf(r.getSubscribedTopics().getNamesList());
            changed = true;
        }
        if (r.hasOwnedPartitions()) {
            m.owned = toPartitions(r.getOwnedPartitions());
        }
        if (changed) {
            recompute(g);
        }
        Set<TopicPartition> give = new TreeSet<>(m.target);
        for (Member other : g.members.values()) {
            if (other != m) {
                give.removeAll(other.owned);
            }
        }
        if (!give.equals(m.lastSent)) {
            m.lastSent = give;
            m.epoch = g.epoch;
            out.setAssignment(toAssignment(give));
        } else if (m.epoch == 0) {
            m.epoch = g.epoch;
        }
        return out.setMemberEpoch(m.epoch).build();
    }

    private void expire(Group g, long nowMs) {
        if (g.members.values().removeIf(m -> nowMs - m.lastSeenMs > sessionTimeoutMs)) {
            recompute(g);
        }
    }

    private void recompute(Group g) {
        g.epoch++;
        Set<String> topics = new TreeSet<>();
        g.members.values().forEach(m -> topics.addAll(m.subscription));
        Map<String, List<TopicPartition>> targets = new LinkedHashMap<>();
        g.members.keySet().forEach(id -> targets.put(id, new ArrayList<>()));
        int next = 0;
        for (String topic : topics) {
            FakeBrokerState.Topic t = state.topic(topic);
            if (t == null) {
                continue;
            }
            List<Member> subscribers = g.members.values().stream().filter(m -> m.subscription.contains(topic)).toList();
            for (int p = 0; p < t.partitions() && !subscribers.isEmpty(); p++) {
                targets.get(subscribers.get(next++ % subscribers.size()).id).add(new TopicPartition(topic, p));
            }
        }
        g.members.values().forEach(m -> m.target = new TreeSet<>(targets.get(m.id)));
    }

    private static Set<TopicPartition> toPartitions(Assignment a) {
        Set<TopicPartition> out = new TreeSet<>();
        for (TopicPartitionSet s : a.getTopicPartitionsList()) {
            s.getPartitionsList().forEach(p -> out.add(new TopicPartition(s.getTopicName(), p)));
        }
        return out;
    }

    private Assignment toAssignment(Set<TopicPartition> partitions) {
        Map<String, TopicPartitionSet.Builder> byTopic = new TreeMap<>();
        for (TopicPartition tp : partitions) {
            FakeBrokerState.Topic t = state.topic(tp.topic());
            byTopic.computeIfAbsent(tp.topic(), n -> TopicPartitionSet.newBuilder().setTopicName(n)
                    .setTopicId(t == null ? "" : t.id())).addPartitions(tp.partition());
        }
        Assignment.Builder a = Assignment.newBuilder();
        byTopic.values().forEach(a::addTopicPartitions);
        return a.build();
    }

    /** Members of {@code group}, by id (a copy). */
    synchronized Map<String, Member> members(String group, long nowMs) {
        Group g = groups.get(group);
        if (g == null) {
            return Map.of();
        }
        expire(g, nowMs);
        return new TreeMap<>(g.members);
    }

    synchronized List<String> groupIds() {
        return new ArrayList<>(groups.keySet());
    }

    synchronized int epoch(String group) {
        Group g = groups.get(group);
        return g == null ? 0 : g.epoch;
    }

    synchronized GroupState stateOf(String group, long nowMs) {
        Map<String, Member> members = members(group, nowMs);
        if (members.isEmpty()) {
            return GroupState.GROUP_STATE_EMPTY;
        }
        boolean stable = members.values().stream().allMatch(m -> m.owned.equals(m.target));
        return stable ? GroupState.GROUP_STATE_STABLE : GroupState.GROUP_STATE_RECONCILING;
    }

    synchronized void delete(String group) {
        groups.remove(group);
    }
}
