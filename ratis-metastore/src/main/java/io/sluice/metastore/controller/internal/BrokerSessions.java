package io.sluice.metastore.controller.internal;

import io.sluice.metastore.MetadataImage;
import io.sluice.proto.internal.v1.BrokerRecord;
import io.sluice.proto.v1.BrokerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Broker liveness as the active controller sees it: the last time each broker incarnation was heard
 * from. In memory only (heartbeats are not written to the log). Not thread-safe: owned by the
 * controller core.
 */
public final class BrokerSessions {
    /** One broker's session. */
    public record Session(int brokerId, long brokerEpoch, long lastContactMs) {
    }

    private final Map<Integer, Session> sessions = new TreeMap<>();

    /** Records contact from {@code brokerId} at {@code nowMs}. */
    public void touch(int brokerId, long brokerEpoch, long nowMs) {
        sessions.put(brokerId, new Session(brokerId, brokerEpoch, nowMs));
    }

    /** A fresh grace period for every broker that is not fenced (a new controller starts with this). */
    public void resetAll(MetadataImage image, long nowMs) {
        sessions.clear();
        for (BrokerRecord b : image.brokers().values()) {
            if (b.getState() != BrokerState.BROKER_STATE_FENCED) {
                touch(b.getBrokerId(), b.getBrokerEpoch(), nowMs);
            }
        }
    }

    /** Whether {@code brokerId} has a session that has not expired at {@code nowMs}. */
    public boolean isAlive(int brokerId, long nowMs, long timeoutMs) {
        Session s = sessions.get(brokerId);
        return s != null && nowMs - s.lastContactMs() <= timeoutMs;
    }

    /** The session of {@code brokerId}, or null if it has none. */
    public Session get(int brokerId) {
        return sessions.get(brokerId);
    }

    /** Every session. */
    public List<Session> all() {
        return List.copyOf(sessions.values());
    }

    /** The sessions that expired at {@code nowMs}. */
    public List<Session> expired(long nowMs, long timeoutMs) {
        List<Session> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (nowMs - s.lastContactMs() > timeoutMs) {
                out.add(s);
            }
        }
        return out;
    }

    /** Forgets a broker's session. */
    public void remove(int brokerId) {
        sessions.remove(brokerId);
    }

    /** Forgets every session. */
    public void clear() {
        sessions.clear();
    }
}
