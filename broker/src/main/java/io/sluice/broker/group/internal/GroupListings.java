package io.sluice.broker.group.internal;

import io.sluice.broker.group.GroupStore;
import io.sluice.proto.internal.v1.GroupRecord;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.GroupListing;
import io.sluice.proto.v1.GroupState;
import io.sluice.proto.v1.ListGroupsRequest;
import io.sluice.proto.v1.ListGroupsResponse;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * ListGroups, answered by any broker from its metadata image: every group with a record or with
 * committed offsets, with its state and member count, ordered by id. Thread-safe if the store is.
 */
public final class GroupListings {
    private GroupListings() {
    }

    /** The answer to {@code request} from {@code store}. */
    public static ListGroupsResponse list(ListGroupsRequest request, GroupStore store) {
        Set<GroupState> wanted = EnumSet.noneOf(GroupState.class);
        for (GroupState state : request.getStatesFilterList()) {
            if (state == GroupState.UNRECOGNIZED) {
                return ErrorResponses.listGroups(ErrorCode.ERROR_CODE_INVALID_REQUEST,
                        "states_filter holds an unknown state");
            }
            if (state != GroupState.GROUP_STATE_UNSPECIFIED) {
                wanted.add(state);
            }
        }
        Map<String, GroupListing> listings = new TreeMap<>();
        for (GroupRecord group : store.groups()) {
            listings.put(group.getGroupId(), GroupListing.newBuilder().setGroupId(group.getGroupId())
                    .setState(GroupStates.of(group)).setMemberCount(group.getMembersCount()).build());
        }
        for (String groupId : store.groupIdsWithOffsets()) {
            listings.putIfAbsent(groupId, GroupListing.newBuilder().setGroupId(groupId)
                    .setState(GroupState.GROUP_STATE_EMPTY).setMemberCount(0).build());
        }
        ListGroupsResponse.Builder response = ListGroupsResponse.newBuilder();
        listings.values().stream().filter(g -> wanted.isEmpty() || wanted.contains(g.getState()))
                .forEach(response::addGroups);
        return response.build();
    }
}
