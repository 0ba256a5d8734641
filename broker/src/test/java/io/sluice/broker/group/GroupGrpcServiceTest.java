package io.sluice.broker.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.sluice.broker.server.RpcServer;
import io.sluice.common.SystemClock;
import io.sluice.proto.v1.Assignment;
import io.sluice.proto.v1.ConsumerGroupHeartbeatRequest;
import io.sluice.proto.v1.ConsumerGroupHeartbeatResponse;
import io.sluice.proto.v1.Coordinator;
import io.sluice.proto.v1.DeleteGroupsRequest;
import io.sluice.proto.v1.DescribeGroupsRequest;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FindCoordinatorRequest;
import io.sluice.proto.v1.GroupDescription;
import io.sluice.proto.v1.GroupServiceGrpc;
import io.sluice.proto.v1.ListGroupsRequest;
import io.sluice.proto.v1.OffsetCommitPartition;
import io.sluice.proto.v1.OffsetCommitRequest;
import io.sluice.proto.v1.OffsetCommitResponse;
import io.sluice.proto.v1.OffsetCommitTopic;
import io.sluice.proto.v1.OffsetFetchRequest;
import io.sluice.proto.v1.SubscribedTopics;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GroupService over real gRPC on loopback, with the driver's thread and the real clock. */
class GroupGrpcServiceTest {
    private final InMemoryGroupStore store = new InMemoryGroupStore();
    private final FakeTopicCatalog catalog = new FakeTopicCatalog();
    private final FakeLocator locator = new FakeLocator();
    private GroupCoordinatorDriver driver;
    private RpcServer server;
    private ManagedChannel channel;
    private GroupServiceGrpc.GroupServiceBlockingStub stub;

    @BeforeEach
    void start() throws IOException {
        catalog.create("orders", 3);
        locator.becomeCoordinator(1, 7);
        driver = new GroupCoordinatorDriver(GroupCoordinatorConfig.defaults(), new GroupCoordinatorDependencies(store,
                catalog, new FakeLogEndOffsets(), locator, SystemClock.INSTANCE), 1000, 100);
        server = RpcServer.start("127.0.0.1", 0, new RpcServer.Limits(1 << 20, 2, 64, 100),
                List.of(new GroupGrpcService(driver, store, locator, 60_000)), List.of());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        stub = GroupServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.close();
        driver.close();
    }

    private GroupServiceGrpc.GroupServiceBlockingStub call() {
        return stub.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static ConsumerGroupHeartbeatRequest join(String groupId) {
        return ConsumerGroupHeartbeatRequest.newBuilder().setGroupId(groupId).setMemberId("m-1").setMemberEpoch(0)
                .setClientId("cli").setSubscribedTopics(SubscribedTopics.newBuilder().addNames("orders"))
                .setOwnedPartitions(Assignment.getDefaultInstance()).build();
    }

    @Test
    void findCoordinatorNamesTheActiveController() {
        List<Coordinator> found = call().findCoordinator(FindCoordinatorRequest.newBuilder().addGroupIds("billing")
                .addGroupIds("").build()).getCoordinatorsList();
        assertEquals(ErrorCode.ERROR_CODE_NONE, found.get(0).getErrorCode());
        assertEquals(7, found.get(0).getNodeId());
        assertEquals(9092, found.get(0).getEndpoint().getPort());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_GROUP_ID, found.get(1).getErrorCode());
        locator.loseCoordination(-1);
        Coordinator none = call().findCoordinator(FindCoordinatorRequest.newBuilder().addGroupIds("billing").build())
                .getCoordinators(0);
        assertEquals(ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE, none.getErrorCode());
        assertEquals(-1, none.getNodeId());
    }

    @Test
    void aConsumerJoinsCommitsAndIsDescribed() {
        ConsumerGroupHeartbeatResponse joined = call().consumerGroupHeartbeat(join("billing"));
        assertEquals(ErrorCode.ERROR_CODE_NONE, joined.getErrorCode(), joined.getErrorMessage());
        assertEquals(1, joined.getMemberEpoch());
        assertEquals(3, joined.getAssignment().getTopicPartitions(0).getPartitionsCount());

        OffsetCommitResponse committed = call().offsetCommit(OffsetCommitRequest.newBuilder().setGroupId("billing")
                .setMemberId("m-1").setMemberEpoch(1).addTopics(OffsetCommitTopic.newBuilder().setName("orders")
                        .addPartitions(OffsetCommitPartition.newBuilder().setPartition(1).setCommittedOffset(17)))
                .build());
        assertEquals(ErrorCode.ERROR_CODE_NONE, committed.getTopics(0).getPartitions(0).getErrorCode());
        assertEquals(17, call().offsetFetch(OffsetFetchRequest.newBuilder().setGroupId("billing").build())
                .getTopics(0).getPartitions(0).getCommittedOffset());

        GroupDescription group = call().describeGroups(DescribeGroupsRequest.newBuilder().addGroupIds("billing")
                .build()).getGroups(0);
        assertEquals(ErrorCode.ERROR_CODE_NONE, group.getErrorCode());
        assertEquals("127.0.0.1", group.getMembers(0).getClientHost());
        assertEquals("cli", group.getMembers(0).getClientId());
        assertEquals(1, call().listGroups(ListGroupsRequest.getDefaultInstance()).getGroupsCount());
        assertEquals(ErrorCode.ERROR_CODE_NON_EMPTY_GROUP, call().deleteGroups(DeleteGroupsRequest.newBuilder()
                .addGroupIds("billing").build()).getResults(0).getErrorCode());
    }

    @Test
    void badInputAndTheWrongNodeGetStableCodes() {
        assertEquals(ErrorCode.ERROR_CODE_INVALID_GROUP_ID, call().consumerGroupHeartbeat(join("")).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_INVALID_GROUP_ID, call().consumerGroupHeartbeat(join("x".repeat(300)))
                .getErrorCode());
        locator.loseCoordination(4);
        ConsumerGroupHeartbeatResponse elsewhere = call().consumerGroupHeartbeat(join("billing"));
        assertEquals(ErrorCode.ERROR_CODE_NOT_COORDINATOR, elsewhere.getErrorCode());
        assertTrue(elsewhere.getErrorMessage().contains("node 4"), elsewhere.getErrorMessage());
        assertEquals(ErrorCode.ERROR_CODE_NOT_COORDINATOR, call().offsetFetch(OffsetFetchRequest.newBuilder()
                .setGroupId("billing").build()).getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_NONE, call().listGroups(ListGroupsRequest.getDefaultInstance())
                .getErrorCode(), "any broker lists groups");
    }

    @Test
    void aStoppedCoordinatorAnswersWithARetriableCode() throws InterruptedException {
        driver.close();
        ConsumerGroupHeartbeatResponse answer = call().consumerGroupHeartbeat(join("billing"));
        assertEquals(ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE, answer.getErrorCode());
        OffsetCommitResponse commit = call().offsetCommit(OffsetCommitRequest.newBuilder().setGroupId("billing")
                .setMemberEpoch(-1).addTopics(OffsetCommitTopic.newBuilder().setName("orders")
                        .addPartitions(OffsetCommitPartition.newBuilder().setPartition(0))).build());
        assertEquals(ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE, commit.getErrorCode());
        assertEquals(ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE, commit.getTopics(0).getPartitions(0)
                .getErrorCode());
    }
}
