package io.sluice.client.internal;

import io.sluice.client.errors.Errors;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.internal.metadata.MetadataManager;
import io.sluice.client.internal.network.HostPort;
import io.sluice.client.internal.network.NetworkClient;
import io.sluice.proto.v1.Coordinator;
import io.sluice.proto.v1.ErrorCode;
import io.sluice.proto.v1.FindCoordinatorRequest;
import io.sluice.proto.v1.FindCoordinatorResponse;
import io.sluice.proto.v1.GroupServiceGrpc;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds and remembers the coordinator of each group a core talks to. {@link #coordinator} returns
 * the known address, or null after asking for a lookup; {@link #poll} sends
 * {@code FindCoordinator} (to any broker) for groups whose coordinator is wanted, one at a time per
 * group, backing off after failures; {@link #markUnknown} forgets a coordinator after
 * {@code NOT_COORDINATOR} or a lost connection. The last failure is kept for error messages.
 * Not thread-safe: the owning core's thread only.
 */
public final class Coordinators {
    private static final class Entry {
        HostPort address;
        boolean wanted;
        boolean inFlight;
        int failures;
        long retryAtMs;
        SluiceException lastError;
    }

    private final Backoff backoff;
    private final int requestTimeoutMs;
    private final Map<String, Entry> groups = new HashMap<>();
    private long nowMs;

    public Coordinators(Backoff backoff, int requestTimeoutMs) {
        this.backoff = backoff;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    /** The coordinator of {@code groupId} if known; otherwise null, and a lookup is requested. */
    public HostPort coordinator(String groupId) {
        Entry e = groups.computeIfAbsent(groupId, g -> new Entry());
        if (e.address == null) {
            e.wanted = true;
        }
        return e.address;
    }

    /** Whether the coordinator of {@code groupId} is known; unlike {@link #coordinator}, asks for no lookup. */
    public boolean isKnown(String groupId) {
        Entry e = groups.get(groupId);
        return e != null && e.address != null;
    }

    /** Forgets the coordinator of {@code groupId} (it moved or cannot be reached). */
    public void markUnknown(String groupId) {
        Entry e = groups.computeIfAbsent(groupId, g -> new Entry());
        e.address = null;
        e.wanted = true;
    }

    /** Why the last lookup for {@code groupId} failed, or null. */
    public SluiceException lastError(String groupId) {
        Entry e = groups.get(groupId);
        return e == null ? null : e.lastError;
    }

    /** Sends the lookups that are due. */
    public void poll(long now, NetworkClient network, MetadataManager metadata) {
        this.nowMs = now;
        groups.forEach((groupId, e) -> {
            if (e.wanted && e.address == null && !e.inFlight && now >= e.retryAtMs) {
                e.inFlight = true;
                HostPort node = metadata.pickNode(network);
                network.send(node, GroupServiceGrpc.getFindCoordinatorMethod(),
                        FindCoordinatorRequest.newBuilder().addGroupIds(groupId).build(), now, requestTimeoutMs,
                        (response, error) -> handle(groupId, e, response, error, metadata, node));
            }
        });
    }

    private void handle(String groupId, Entry e, FindCoordinatorResponse response, SluiceException error,
            MetadataManager metadata, HostPort node) {
        e.inFlight = false;
        SluiceException failure = error;
        Coordinator found = null;
        if (failure == null) {
            for (Coordinator c : response.getCoordinatorsList()) {
                if (c.getGroupId().equals(groupId)) {
                    found = c;
                }
            }
            if (found == null) {
                failure = Errors.toException(ErrorCode.ERROR_CODE_COORDINATOR_NOT_AVAILABLE, "no answer for the group");
            } else if (found.getErrorCode() != ErrorCode.ERROR_CODE_NONE) {
                failure = Errors.toException(found.getErrorCode(), found.getErrorMessage());
            }
        }
        if (failure != null) {
            e.lastError = failure;
            e.failures++;
            e.retryAtMs = nowMs + backoff.backoffMs(e.failures);
            metadata.skipNode(node);
            return;
        }
        e.failures = 0;
        e.lastError = null;
        e.wanted = false;
        e.address = HostPort.of(found.getEndpoint());
    }

    /** When a lookup is next due, or {@code Long.MAX_VALUE}. */
    public long nextPollMs() {
        long next = Long.MAX_VALUE;
        for (Entry e : groups.values()) {
            if (e.wanted && e.address == null && !e.inFlight) {
                next = Math.min(next, e.retryAtMs);
            }
        }
        return next;
    }
}
