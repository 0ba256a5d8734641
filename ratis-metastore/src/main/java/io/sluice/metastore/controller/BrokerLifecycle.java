package io.sluice.metastore.controller;

import io.sluice.metastore.MetaStore;
import io.sluice.proto.internal.v1.BrokerHeartbeatRequest;
import io.sluice.proto.internal.v1.BrokerHeartbeatResponse;
import io.sluice.proto.internal.v1.RegisterBrokerRequest;
import io.sluice.proto.internal.v1.RegisterBrokerResponse;
import io.sluice.proto.v1.BrokerState;
import io.sluice.proto.v1.Endpoint;
import io.sluice.proto.v1.ErrorCode;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker's life as the controller sees it: registers (a new incarnation id per instance), then
 * heartbeats every {@code heartbeatIntervalMs} with the metadata index it has applied and whether it
 * wants to be fenced or to shut down; re-registers when told its epoch is stale; performs controlled
 * shutdown ({@link #controlledShutdown}) by asking for it in heartbeats until the controller answers
 * that the broker leads nothing. One heartbeat is in flight at a time. Thread-safe; the work runs on
 * one scheduler thread.
 */
public final class BrokerLifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerLifecycle.class);

    /**
     * What the broker announces.
     *
     * @param brokerId            the node id
     * @param endpoint            its Sluice gRPC endpoint
     * @param rack                rack label, or empty
     * @param clusterId           the cluster id stored in its data directory, or empty on first start
     * @param heartbeatIntervalMs time between heartbeats ({@code broker.heartbeat.interval.ms})
     * @param logIntact           its logs hold every write its previous process had (see
     *                            {@code RegisterBrokerRequest.log_intact}); false takes it out of the
     *                            eligible leaders
     */
    public record Settings(int brokerId, Endpoint endpoint, String rack, String clusterId, long heartbeatIntervalMs,
            boolean logIntact) {
        public Settings {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(rack, "rack");
            Objects.requireNonNull(clusterId, "clusterId");
        }
    }

    private final Settings settings;
    private final ControllerClient client;
    private final MetaStore store;
    private final String incarnationId = UUID.randomUUID().toString();
    private final ScheduledExecutorService scheduler;
    private final CompletableFuture<Long> registered = new CompletableFuture<>();
    private final CompletableFuture<Void> shutdownComplete = new CompletableFuture<>();
    private volatile long brokerEpoch = -1;
    private volatile BrokerState state = BrokerState.BROKER_STATE_UNSPECIFIED;
    private volatile boolean wantFence;
    private volatile boolean wantShutDown;
    private boolean inFlight;

    /** A lifecycle for the broker in {@code settings}; {@link #start} begins registration. */
    public BrokerLifecycle(Settings settings, ControllerClient client, MetaStore store) {
        this.settings = settings;
        this.client = client;
        this.store = store;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "broker-lifecycle-" + settings.brokerId());
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers, then heartbeats until closed. */
    public void start() {
        scheduler.scheduleWithFixedDelay(this::tick, 0, settings.heartbeatIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /** Completes with the broker epoch once the first registration succeeded. */
    public CompletableFuture<Long> registered() {
        return registered;
    }

    /** The current broker epoch, -1 before registration. */
    public long brokerEpoch() {
        return brokerEpoch;
    }

    /** The state the controller reported in the last heartbeat answer. */
    public BrokerState state() {
        return state;
    }

    /** This process's incarnation id. */
    public String incarnationId() {
        return incarnationId;
    }

    /** Asks to be fenced (true, e.g. while recovering logs) or unfenced once caught up (false, the default). */
    public void setWantFence(boolean fence) {
        this.wantFence = fence;
    }

    /**
     * Starts controlled shutdown: heartbeats ask for leaderships to move away; completes once the
     * controller says the broker leads nothing (then the broker may stop its partitions and exit).
     */
    public CompletableFuture<Void> controlledShutdown() {
        wantShutDown = true;
        scheduler.execute(this::tick);
        return shutdownComplete;
    }

    private synchronized void tick() {
        if (inFlight) {
            return;
        }
        inFlight = true;
        CompletableFuture<?> step = brokerEpoch < 0 ? register() : heartbeat();
        step.whenComplete((v, e) -> {
            synchronized (this) {
                inFlight = false;
            }
            if (e != null) {
                LOG.debug("broker {}: controller call failed: {}", settings.brokerId(), e.toString());
            }
        });
    }

    private CompletableFuture<RegisterBrokerResponse> register() {
        RegisterBrokerRequest req = RegisterBrokerRequest.newBuilder().setBrokerId(settings.brokerId())
                .setIncarnationId(incarnationId).setEndpoint(settings.endpoint()).setRack(settings.rack())
                .setClusterId(settings.clusterId()).setLogIntact(settings.logIntact()).build();
        return client.registerBroker(req).whenComplete((r, e) -> {
            if (r != null && r.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                brokerEpoch = r.getBrokerEpoch();
                state = BrokerState.BROKER_STATE_FENCED;
                registered.complete(r.getBrokerEpoch());
                LOG.info("broker {} registered with epoch {}{}", settings.brokerId(), r.getBrokerEpoch(),
                        settings.logIntact() ? "" : " (its log may have lost writes: not an eligible leader)");
            } else if (r != null) {
                LOG.info("broker {} registration refused: {} {}", settings.brokerId(), r.getErrorCode(),
                        r.getErrorMessage());
            }
        });
    }

    private CompletableFuture<BrokerHeartbeatResponse> heartbeat() {
        BrokerHeartbeatRequest req = BrokerHeartbeatRequest.newBuilder().setBrokerId(settings.brokerId())
                .setBrokerEpoch(brokerEpoch).setMetadataOffset(store.image().lastAppliedIndex())
                .setWantFence(wantFence).setWantShutDown(wantShutDown).build();
        return client.brokerHeartbeat(req).whenComplete((r, e) -> {
            if (r == null) {
                return;
            }
            if (r.getErrorCode() == ErrorCode.ERROR_CODE_STALE_BROKER_EPOCH) {
                brokerEpoch = -1;
            } else if (r.getErrorCode() == ErrorCode.ERROR_CODE_NONE) {
                state = r.getState();
                if (r.getShutdownComplete()) {
                    shutdownComplete.complete(null);
                }
            }
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
