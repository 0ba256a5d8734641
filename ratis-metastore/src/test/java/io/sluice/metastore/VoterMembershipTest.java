package io.sluice.metastore;

import static io.sluice.metastore.QuorumFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sluice.metastore.controller.ControllerConfig;
import io.sluice.proto.internal.v1.MetaResult;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.QuorumRole;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fourth voter joins a running 3-voter group through the membership compare-and-set, announcing
 * its Sluice endpoint; it commits and applies like the others; adding it again and removing a
 * non-member are refused with INVALID_QUORUM_CHANGE; removing it leaves the three. Assertions
 * tolerate leader changes.
 */
class VoterMembershipTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(150)
    void aVoterJoinsCommitsAndIsRemoved() throws Exception {
        try (QuorumFixture quorum = new QuorumFixture(dir, 3, ControllerConfig.defaults()
                .withSessionTimeoutMs(120_000))) {
            quorum.startVoters();
            MetadataNode first = quorum.awaitLeader();
            await(() -> !first.metaStore().image().clusterId().isEmpty(), 30_000, "InitCluster");
            MetadataNode joiner = quorum.startJoiningVoter(4);
            joiner.joined().get(60, TimeUnit.SECONDS);
            MetadataNode leader = quorum.awaitLeader();
            await(() -> leader.metaStore().quorumInfo().member(4) != null, 30_000, "the new configuration");
            QuorumInfo.Member added = leader.metaStore().quorumInfo().member(4);
            assertEquals(QuorumRole.QUORUM_ROLE_VOTER, added.role());
            assertEquals(quorum.config(4).clientEndpoint(), added.clientEndpoint(), "the Sluice endpoint is announced");

            MetaResult registered = joiner.metaStore().submit(Commands.register(7, "through-4"))
                    .get(60, TimeUnit.SECONDS);
            assertEquals(ErrorCode.ERROR_CODE_NONE, registered.getErrorCode(), registered.getErrorMessage());
            assertEquals("through-4", joiner.metaStore().image().broker(7).getIncarnationId());

            MetaResult again = leader.metaStore().addQuorumMember(4, QuorumRole.QUORUM_ROLE_VOTER,
                    added.raftEndpoint(), added.clientEndpoint()).get(60, TimeUnit.SECONDS);
            assertEquals(ErrorCode.ERROR_CODE_INVALID_QUORUM_CHANGE, again.getErrorCode(), again.getErrorMessage());
            MetaResult removed = leader.metaStore().removeQuorumMember(4).get(60, TimeUnit.SECONDS);
            assertEquals(ErrorCode.ERROR_CODE_NONE, removed.getErrorCode(), removed.getErrorMessage());
            for (MetadataNode voter : List.of(quorum.node(1), quorum.node(2), quorum.node(3))) {
                await(() -> voter.metaStore().quorumInfo().member(4) == null, 30_000, "node 4's removal");
                assertEquals(3, voter.metaStore().quorumInfo().members().size());
            }
            MetaResult notMember = leader.metaStore().removeQuorumMember(4).get(60, TimeUnit.SECONDS);
            assertEquals(ErrorCode.ERROR_CODE_INVALID_QUORUM_CHANGE, notMember.getErrorCode());
            assertNull(quorum.node(1).metaStore().quorumInfo().member(4));
        }
    }
}
