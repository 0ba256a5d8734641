package io.sluice.client.consumer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.internal.Backoff;
import io.sluice.client.internal.Coordinators;
import io.sluice.client.internal.metadata.Cluster;
import io.sluice.client.internal.metadata.MetadataManager;
import io.sluice.client.internal.metadata.TestClusters;
import io.sluice.client.internal.network.EventQueue;
import io.sluice.client.internal.network.FakeTransport;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.common.ManualClock;
import io.sluice.proto.v1.Assignment;
import io.sluice.proto.v1.Coordinator;
import io.sluice.proto.v1.ConsumerGroupHeartbeatRequest;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FindCoordinatorResponse;
import io.sluice.proto.v1.GroupServiceGrpc;
import io.sluice.proto.v1.TopicPartitionSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MembershipManagerTest {
    private static TopicPartition tp(int p) {
        return new TopicPartition("t", p);
    }

    /** Records what membership asks of the consumer; listener and commit futures are completed by the test. */
    private static final class FakeHost implements MembershipManager.Host {
        final List<String> events = new ArrayList<>();
        final Map<String, CompletableFuture<Void>> pending = new HashMap<>();
        final Set<TopicPartition> assigned = new LinkedHashSet<>();
        Cluster cluster = TestClusters.cluster(TestClusters.topic("t", 1, 1, 1, 1));
        boolean autoComplete;
        int metadataRequests;

        private CompletableFuture<Void> track(String event) {
            events.add(event);
            CompletableFuture<Void> f = autoComplete
                    ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
            pending.put(event, f);
            return f;
        }

        void complete(String event) {
            pending.get(event).complete(null);
        }

        @Override
        public void stopFetching(Set<TopicPartition> partitions) {
            events.add("stop" + new TreeSet<>(partitions));
        }

        @Override
        public CompletableFuture<Void> invokeListener(MembershipManager.ListenerMethod method,
                Set<TopicPartition> partitions) {
            return track(method + "" + new TreeSet<>(partitions));
        }

        @Override
        public CompletableFuture<Void> commitRevoked(Set<TopicPartition> partitions) {
            return track("commit" + new TreeSet<>(partitions));
        }

        @Override
        public void removeAssigned(Set<TopicPartition> partitions) {
            events.add("remove" + new TreeSet<>(partitions));
            assigned.removeAll(partitions);
        }

        @Override
        public void addAssigned(Set<TopicPartition> partitions) {
            events.add("add" + new TreeSet<>(partitions));
            assigned.addAll(partitions);
        }

        @Override
        public Cluster cluster() {
            return cluster;
        }

        @Override
        public void requestMetadataUpdate() {
            metadataRequests++;
        }
    }

    private final ManualClock clock = new ManualClock(0);
    private final FakeTransport transport = new FakeTransport();
    private final FakeHost host = new FakeHost();
    private final NetworkClient network = new NetworkClient(transport, new EventQueue());
    private final Backoff backoff = new Backoff(10, 100, new Random(1));
    private final Coordinators coordinators = new Coordinators(backoff, 1_000);
    private final MetadataManager metadata = new MetadataManager(List.of(FakeConsumerCluster.broker(1)), 300_000,
            1_000, backoff);
    private MembershipManager membership = manager(null);

    MembershipManagerTest() {
        transport.respondTo(GroupServiceGrpc.getFindCoordinatorMethod(), (to, r) -> coordinatorIsBroker1());
    }

    /** The answer to a coordinator lookup for group "g": broker 1. */
    private static FindCoordinatorResponse coordinatorIsBroker1() {
        return FindCoordinatorResponse.newBuilder().addCoordinators(Coordinator.newBuilder().setGroupId("g")
                .setNodeId(1).setEndpoint(Endpoint.newBuilder().setHost("broker1").setPort(9092))).build();
    }

    private MembershipManager manager(String instanceId) {
        return new MembershipManager(new GroupSettings("g", instanceId, "", "", "c", 10_000, 1_000), "m-1", host,
                backoff);
    }

    private void tick(long advanceMs) {
        clock.advanceMs(advanceMs);
        long now = clock.monotonicMs();
        network.poll(now);
        membership.onPoll(now);
        membership.poll(now, network, coordinators);
        coordinators.poll(now, network, metadata);
    }

    /** Ticks until a heartbeat is sent, and takes it. */
    private FakeTransport.Call heartbeat() {
        for (int i = 0; i < 40; i++) {
            FakeTransport.Call call = transport.takeCall(GroupServiceGrpc.getConsumerGroupHeartbeatMethod());
            if (call != null) {
                return call;
            }
            tick(100);
        }
        throw new AssertionError("no heartbeat was sent; state " + membership.state());
    }

    private static ConsumerGroupHeartbeatRequest request(FakeTransport.Call call) {
        return call.request(ConsumerGroupHeartbeatRequest.class);
    }

    private static Assignment assignment(int... partitions) {
        TopicPartitionSet.Builder set = TopicPartitionSet.newBuilder().setTopicId("id-t").setTopicName("t");
        for (int p : partitions) {
            set.addPartitions(p);
        }
        return Assignment.newBuilder().addTopicPartitions(set).build();
    }

    private void answer(FakeTransport.Call call, int epoch, Assignment assignment) {
        ConsumerGroupHeartbeatResponse.Builder r = ConsumerGroupHeartbeatResponse.newBuilder().setMemberId("m-1")
                .setMemberEpoch(epoch).setHeartbeatIntervalMs(3_000);
        if (assignment != null) {
            r.setAssignment(assignment);
        }
        call.respond(r.build());
        tick(1);
    }

    private void answerError(FakeTransport.Call call, ErrorCode code) {
        call.respond(ConsumerGroupHeartbeatResponse.newBuilder().setErrorCode(code).build());
        tick(1);
    }

    /** Joins and owns {@code partitions} at epoch 1, with every callback completed. */
    private void joinOwning(int... partitions) {
        membership.subscribe(Set.of("t"), clock.monotonicMs());
        host.autoComplete = true;
        answer(heartbeat(), 1, assignment(partitions));
        answer(heartbeat(), 1, null);
        host.autoComplete = false;
        host.events.clear();
        assertEquals(MembershipManager.State.STABLE, membership.state());
    }

    @Test
    void aHeartbeatThatCannotBeSentForWantOfACoordinatorDoesNotMakeThePollDue() {
        transport.stopResponding(GroupServiceGrpc.getFindCoordinatorMethod());
        membership.subscribe(Set.of("t"), clock.monotonicMs());
        tick(1);
        FakeTransport.Call lookup = transport.takeCall(GroupServiceGrpc.getFindCoordinatorMethod());
        assertNotNull(lookup, "the coordinator lookup was sent");
        // The heartbeat is due, but only the lookup's answer can let it go: a poll "due now" would
        // make the background thread poll without pause until then.
        assertTrue(membership.nextPollMs(coordinators) > clock.monotonicMs(), "no poll is due before the answer");
        lookup.respond(coordinatorIsBroker1());
        network.poll(clock.monotonicMs());
        assertTrue(membership.nextPollMs(coordinators) <= clock.monotonicMs(), "the heartbeat is due once the"
                + " coordinator is known");
        assertEquals(0, request(heartbeat()).getMemberEpoch());
    }

    @Test
    void joiningSendsEpochZeroWithSubscriptionThenAcknowledgesTheAssignment() {
        membership.subscribe(Set.of("t"), clock.monotonicMs());
        FakeTransport.Call joinCall = heartbeat();
        ConsumerGroupHeartbeatRequest join = request(joinCall);
        assertEquals(0, join.getMemberEpoch());
        assertEquals(List.of("t"), join.getSubscribedTopics().getNamesList());
        assertTrue(join.hasOwnedPartitions() && join.getOwnedPartitions().getTopicPartitionsCount() == 0);
        assertEquals(10_000, join.getRebalanceTimeoutMs());

        answer(joinCall, 1, assignment(0, 1));
        assertEquals(List.of("add[t-0, t-1]", "ASSIGNED[t-0, t-1]"), host.events);
        assertEquals(MembershipManager.State.RECONCILING, membership.state());
        tick(3_000);
        FakeTransport.Call during = heartbeat();
        assertFalse(request(during).hasOwnedPartitions(), "no new owned set before onPartitionsAssigned returned");
        answer(during, 1, null);
        host.complete("ASSIGNED[t-0, t-1]");
        tick(1);
        ConsumerGroupHeartbeatRequest ack = request(heartbeat());
        assertEquals(1, ack.getMemberEpoch());
        assertFalse(ack.hasSubscribedTopics(), "the subscription was acknowledged: not sent again");
        assertEquals(List.of(0, 1), ack.getOwnedPartitions().getTopicPartitions(0).getPartitionsList());
        assertEquals("id-t", ack.getOwnedPartitions().getTopicPartitions(0).getTopicId());
    }

    @Test
    void revocationTouchesOnlyTheMovedPartitionsInOrderBeforeTheNewOwnedSetIsReported() {
        joinOwning(0, 1, 2);
        FakeTransport.Call beat = heartbeat();
        answer(beat, 2, assignment(0, 1));
        assertEquals(List.of("stop[t-2]", "REVOKED[t-2]"), host.events, "only t-2 stops, then its callback");
        tick(3_000);
        ConsumerGroupHeartbeatRequest during = request(heartbeat());
        assertFalse(during.hasOwnedPartitions(), "heartbeats go on, without an owned set, while revoking");
        answer(transportCallFor(during), 2, null);
        host.complete("REVOKED[t-2]");
        tick(1);
        assertEquals(List.of("stop[t-2]", "REVOKED[t-2]", "commit[t-2]"), host.events,
                "the revoked partition's positions are committed after the callback");
        host.complete("commit[t-2]");
        tick(1);
        assertEquals(List.of("stop[t-2]", "REVOKED[t-2]", "commit[t-2]", "remove[t-2]"), host.events);
        ConsumerGroupHeartbeatRequest ack = request(heartbeat());
        assertEquals(List.of(0, 1), ack.getOwnedPartitions().getTopicPartitions(0).getPartitionsList());
        assertEquals(Set.of(tp(0), tp(1)), membership.owned());
    }

    private FakeTransport.Call transportCallFor(ConsumerGroupHeartbeatRequest r) {
        for (FakeTransport.Call c : transport.allCalls()) {
            if (c.request == r) {
                return c;
            }
        }
        throw new AssertionError("no such call");
    }

    @Test
    void anAssignmentArrivingDuringReconciliationIsAppliedAfterIt() {
        joinOwning(0, 1);
        answer(heartbeat(), 2, assignment(0));
        tick(3_000);
        answer(heartbeat(), 3, assignment(0, 3));
        assertEquals(List.of("stop[t-1]", "REVOKED[t-1]"), host.events);
        host.autoComplete = true;
        host.complete("REVOKED[t-1]");
        tick(1);
        tick(1);
        assertEquals(Set.of(tp(0), tp(3)), membership.owned());
        assertTrue(host.events.contains("ASSIGNED[t-3]"));
    }

    @Test
    void aFencedMemberLosesItsPartitionsAndRejoinsWithEpochZero() {
        joinOwning(0, 1);
        answerError(heartbeat(), ErrorCode.ERROR_CODE_FENCED_MEMBER_EPOCH);
        assertEquals(List.of("stop[t-0, t-1]", "LOST[t-0, t-1]"), host.events);
        assertEquals(MembershipManager.State.FENCED, membership.state());
        host.complete("LOST[t-0, t-1]");
        tick(1);
        ConsumerGroupHeartbeatRequest rejoin = request(heartbeat());
        assertEquals(0, rejoin.getMemberEpoch());
        assertEquals("m-1", rejoin.getMemberId(), "the member id is kept across rejoins");
        assertEquals(List.of("t"), rejoin.getSubscribedTopics().getNamesList());
        assertEquals(0, rejoin.getOwnedPartitions().getTopicPartitionsCount());
        assertTrue(host.assigned.isEmpty());
    }

    @Test
    void unknownMemberIsTreatedLikeFencing() {
        joinOwning(2);
        answerError(heartbeat(), ErrorCode.ERROR_CODE_UNKNOWN_MEMBER_ID);
        assertEquals(MembershipManager.State.FENCED, membership.state());
    }

    @Test
    void leavingRevokesCommitsThenSendsMinusOne() {
        joinOwning(0);
        CompletableFuture<Void> left = membership.leave(false, clock.monotonicMs());
        tick(1);
        assertEquals(List.of("stop[t-0]", "REVOKED[t-0]"), host.events);
        host.complete("REVOKED[t-0]");
        tick(1);
        host.complete("commit[t-0]");
        tick(1);
        FakeTransport.Call leave = heartbeat();
        assertEquals(-1, request(leave).getMemberEpoch());
        assertFalse(left.isDone());
        answer(leave, -1, null);
        assertTrue(left.isDone());
        assertEquals(MembershipManager.State.UNSUBSCRIBED, membership.state());
    }

    @Test
    void aStaticMemberSendsItsInstanceIdAndLeavesTemporarilyWithMinusTwo() {
        membership = manager("instance-7");
        joinOwning(1);
        host.autoComplete = true;
        membership.leave(true, clock.monotonicMs());
        tick(1);
        FakeTransport.Call leave = heartbeat();
        assertEquals(-2, request(leave).getMemberEpoch());
        assertEquals("instance-7", request(leave).getInstanceId());
    }

    @Test
    void withoutPollsForMaxPollIntervalTheMemberLeavesAndRejoinsOnTheNextPoll() {
        joinOwning(0);
        clock.advanceMs(10_001);
        long now = clock.monotonicMs();
        network.poll(now);
        membership.poll(now, network, coordinators);
        FakeTransport.Call leave = heartbeat();
        assertEquals(-1, request(leave).getMemberEpoch());
        assertTrue(host.events.contains("stop[t-0]"));
        leave.respond(ConsumerGroupHeartbeatResponse.newBuilder().setMemberEpoch(-1).build());
        network.poll(clock.monotonicMs());
        membership.poll(clock.monotonicMs(), network, coordinators);
        assertEquals(MembershipManager.State.STALE, membership.state());
        host.autoComplete = true;
        tick(1);
        assertTrue(host.events.contains("LOST[t-0]"), "the next poll reports the partitions lost");
        assertEquals(0, request(heartbeat()).getMemberEpoch());
    }

    @Test
    void coordinatorErrorsLookTheCoordinatorUpAgainAndFatalErrorsStop() {
        joinOwning(0);
        int lookups = (int) transport.allCalls().stream().filter(c -> c.method.endsWith("FindCoordinator")).count();
        answerError(heartbeat(), ErrorCode.ERROR_CODE_NOT_COORDINATOR);
        FakeTransport.Call retry = heartbeat();
        assertTrue(transport.allCalls().stream().filter(c -> c.method.endsWith("FindCoordinator")).count() > lookups);
        answerError(retry, ErrorCode.ERROR_CODE_UNRELEASED_INSTANCE_ID);
        assertEquals(MembershipManager.State.FATAL, membership.state());
        assertEquals(ErrorCode.ERROR_CODE_UNRELEASED_INSTANCE_ID, membership.fatalError().errorCode());
    }

    @Test
    void anAssignmentByTopicIdWaitsForMetadataToNameIt() {
        membership.subscribe(Set.of("t"), clock.monotonicMs());
        Assignment byId = Assignment.newBuilder().addTopicPartitions(TopicPartitionSet.newBuilder()
                .setTopicId("id-u").addPartitions(0)).build();
        answer(heartbeat(), 1, byId);
        assertTrue(host.metadataRequests > 0);
        assertTrue(host.events.isEmpty());
        host.cluster = TestClusters.cluster(TestClusters.topic("t", 1), TestClusters.topic("u", 2));
        host.autoComplete = true;
        tick(1);
        assertEquals(Set.of(new TopicPartition("u", 0)), membership.owned());
    }
}
