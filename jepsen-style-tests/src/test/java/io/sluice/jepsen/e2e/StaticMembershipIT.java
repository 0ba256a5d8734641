package io.sluice.jepsen.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.client.admin.GroupDescription;
import io.sluice.client.common.TopicPartition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static membership against a real node: three members with {@code group.instance.id}s share six
 * partitions while records flow; one is closed (it leaves "for a while", epoch -2) and a new
 * consumer with the same instance id starts. It gets exactly the old member's partitions back,
 * the other two members are neither revoked nor assigned anything meanwhile, the group epoch does
 * not move, and every produced record is consumed.
 */
class StaticMembershipIT {
    private static final String TOPIC = "static-orders";
    private static final String GROUP = "static-group";
    private static final int PARTITIONS = 6;

    @TempDir
    Path dir;

    @Test
    void aRestartedStaticMemberGetsItsPartitionsBackWithoutDisturbingTheOthers() throws Exception {
        Map<String, String> groups = Map.of("group.session.timeout.ms", "20000", "group.heartbeat.interval.ms", "500");
        try (RealCluster cluster = RealCluster.startDev(dir, groups)) {
            cluster.createTopic(TOPIC, PARTITIONS, 1, Map.of());
            String bootstrap = cluster.bootstrap();
            GroupMember.Recorder one = new GroupMember.Recorder();
            GroupMember.Recorder two = new GroupMember.Recorder();
            GroupMember.Recorder three = new GroupMember.Recorder();
            GroupMember.Recorder twoAgain = new GroupMember.Recorder();
            try (NumberedProducer producer = new NumberedProducer(bootstrap, TOPIC, PARTITIONS, 20);
                    GroupMember m1 = member(bootstrap, "instance-1", one);
                    GroupMember m3 = member(bootstrap, "instance-3", three)) {
                GroupMember m2 = member(bootstrap, "instance-2", two);
                RealCluster.await("three members owning two partitions each, the group stable", () ->
                        one.owned.size() == 2 && two.owned.size() == 2 && three.owned.size() == 2
                                && stable(cluster) != null);
                RealCluster.await("every member consuming", () -> !one.records.isEmpty() && !two.records.isEmpty()
                        && !three.records.isEmpty());
                GroupDescription before = stable(cluster);
                Set<TopicPartition> twoOwned = Set.copyOf(two.owned);
                List<String> oneEvents = List.copyOf(one.events);
                List<String> threeEvents = List.copyOf(three.events);

                RealCluster.log("closing member 2");
                m2.close();
                RealCluster.log("member 2 closed; starting it again");
                try (GroupMember restarted = member(bootstrap, "instance-2", twoAgain)) {
                    RealCluster.await("the restarted member owning its old partitions", () ->
                            twoAgain.owned.equals(twoOwned) && !twoAgain.records.isEmpty());
                    GroupDescription after = RealCluster.await("the group stable again", () -> stable(cluster));
                    assertEquals(before.groupEpoch(), after.groupEpoch(), "a static rejoin moves no group epoch");
                    assertEquals(oneEvents, one.events, "member 1 was not revoked or assigned anything");
                    assertEquals(threeEvents, three.events, "member 3 was not revoked or assigned anything");
                    assertEquals(List.of("assigned " + GroupMember.partitions(twoOwned)), twoAgain.events);

                    int[] produced = producer.stop();
                    GroupChecks.awaitCommitted(cluster, GROUP, TOPIC, produced);
                    GroupChecks.assertEverythingConsumed(TOPIC, produced, List.of(one, two, three, twoAgain));
                    assertEquals(List.of(), one.errors);
                    assertEquals(List.of(), twoAgain.errors);
                }
            }
        }
    }

    private static GroupMember member(String bootstrap, String instanceId, GroupMember.Recorder recorder) {
        return GroupMember.start(GroupMember.settings(bootstrap, GROUP, instanceId), TOPIC, recorder, instanceId);
    }

    /** The group's description when it is stable with three members, else null. */
    private static GroupDescription stable(RealCluster cluster) throws Exception {
        GroupDescription d = cluster.admin().describeGroup(GROUP).get();
        return d.state().equals("STABLE") && d.members().size() == 3 ? d : null;
    }
}
