package io.sluice.metastore.internal;

import io.sluice.metastore.MetadataImage;
import io.sluice.metastore.MetadataListener;
import io.sluice.metastore.MetadataUpdate;
import io.sluice.proto.internal.v1.MetaCommand;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of the metadata quorum: decodes each log entry as a {@link MetaCommand} (one
 * command, or a batch of them written by group commit), applies it with {@link MetadataApplier} (which
 * checks the invariants on what each command changed), publishes the new
 * immutable {@link MetadataImage} and tells listeners, in log order, on Ratis' single apply thread.
 * Entries that are not commands (Raft configuration, leader no-ops) only advance the image's index.
 *
 * <p>Snapshots: {@link #takeSnapshot} has the current image written with {@link SnapshotFiles} (temp file,
 * CRC and MD5, atomic rename to {@code snapshot.<term>_<index>}) by a {@link SnapshotWriter}, off the apply
 * thread, and keeps the newest two; a restart
 * loads the newest snapshot and replays the log after it; a follower that installed a snapshot from
 * the leader reloads it in {@link #reinitialize}, and listeners then receive the difference between
 * the old and new image. A query returns the applied index (the leader answers it after a ReadIndex
 * round, which is how the store makes linearizable reads).
 *
 * <p>Thread-safety: apply, the snapshot trigger and reinitialize run on the Ratis apply thread; snapshot
 * files are written on the snapshot writer's thread, from immutable images; {@link #image()}
 * may be read from any thread (volatile reference to an immutable image).
 */
public final class MetadataStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);
    private static final int SNAPSHOTS_KEPT = 2;

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final SnapshotWriter snapshots = new SnapshotWriter("metadata-snapshot-writer", this::writeSnapshotFile,
            System::nanoTime);
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private final IndexWaiters waiters = new IndexWaiters(this::image);
    private volatile MetadataImage image = MetadataImage.EMPTY;
    private volatile RaftEvents events = RaftEvents.NONE;
    private volatile Path tmpDir;

    /** Where Raft role events go (set before the server starts). */
    public void setEvents(RaftEvents events) {
        this.events = events;
    }

    /** The current image. */
    public MetadataImage image() {
        return image;
    }

    /** Waiters on the image's index. */
    public IndexWaiters waiters() {
        return waiters;
    }

    public void addListener(MetadataListener l) {
        listeners.add(l);
    }

    public void removeListener(MetadataListener l) {
        listeners.remove(l);
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        tmpDir = raftStorage.getStorageDir().getTmpDir().toPath();
        loadSnapshot(storage.getLatestSnapshot());
        snapshots.markKnown(durableSnapshotIndex());
        getLifeCycle().transition(LifeCycle.State.STARTING);
        getLifeCycle().transition(LifeCycle.State.RUNNING);
    }

    /** Ratis pauses the state machine before it installs a snapshot from the leader. */
    @Override
    public void pause() {
        snapshots.awaitIdle();
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** After a snapshot installation: load the installed snapshot and resume. */
    @Override
    public void reinitialize() throws IOException {
        loadSnapshot(storage.loadLatestSnapshot());
        snapshots.markKnown(durableSnapshotIndex());
        if (getLifeCycle().getCurrentState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    private void loadSnapshot(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        File file = snapshot.getFile().getPath().toFile();
        MetadataImage loaded = SnapshotFiles.read(file.toPath());
        InvariantChecker.checkAll(loaded);
        if (loaded.lastAppliedIndex() != snapshot.getIndex() || loaded.lastAppliedTerm() != snapshot.getTerm()) {
            throw new IOException(file + " holds index " + loaded.lastAppliedIndex() + " but is named for "
                    + snapshot.getTermIndex());
        }
        if (loaded.lastAppliedIndex() <= image.lastAppliedIndex()) {
            return;
        }
        MetadataImage previous = image;
        image = loaded;
        setLastAppliedTermIndex(TermIndex.valueOf(loaded.lastAppliedTerm(), loaded.lastAppliedIndex()));
        LOG.info("loaded metadata snapshot {} at index {}", file.getName(), loaded.lastAppliedIndex());
        publish(new MetadataUpdate(loaded.lastAppliedIndex(), previous, loaded, ImageDiff.between(previous, loaded),
                true));
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public SingleFileSnapshotInfo getLatestSnapshot() {
        return storage.getLatestSnapshot();
    }

    /**
     * Ratis' snapshot trigger, on the apply thread: starts writing the current image on the snapshot
     * writer's thread and answers an index only once that snapshot is durable ({@link SnapshotWriter}).
     */
    @Override
    public long takeSnapshot() {
        return snapshots.trigger(image);
    }

    /** Writes a snapshot of the current image now and returns the newest durable snapshot's index. */
    public long snapshotNow() throws IOException {
        return snapshots.writeNow(image);
    }

    private long durableSnapshotIndex() {
        SingleFileSnapshotInfo latest = storage.getLatestSnapshot();
        return latest == null ? RaftLogIndexes.INVALID : latest.getIndex();
    }

    /** Writes {@code snap} to a snapshot file with {@link SnapshotFiles} and records it in Ratis' storage. */
    private void writeSnapshotFile(MetadataImage snap) throws IOException {
        File target = storage.getSnapshotFile(snap.lastAppliedTerm(), snap.lastAppliedIndex());
        MD5Hash md5 = SnapshotFiles.write(snap, target.toPath(), tmpDir);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5),
                snap.lastAppliedTerm(), snap.lastAppliedIndex()));
        storage.cleanupOldSnapshots(new SnapshotRetentionPolicy() {
            @Override
            public int getNumSnapshotsRetained() {
                return SNAPSHOTS_KEPT;
            }
        });
        LOG.debug("wrote metadata snapshot {}", target.getName());
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        RaftProtos.LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        long term = entry.getTerm();
        MetaCommand command;
        try {
            command = MetaCommand.parseFrom(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException("metadata log entry " + index + " is not a MetaCommand", e);
        }
        MetadataImage before = image;
        MetadataApplier.Outcome outcome = MetadataApplier.apply(before, command, index, term);
        image = outcome.image();
        updateLastAppliedTermIndex(term, index);
        if (!outcome.deltas().isEmpty()) {
            publish(new MetadataUpdate(index, before, outcome.image(), outcome.deltas(), false));
        }
        waiters.advanced();
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(outcome.result().toByteArray())));
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        super.notifyTermIndexUpdated(term, index);
        if (index > image.lastAppliedIndex()) {
            image = image.withPosition(index, term);
            waiters.advanced();
        }
    }

    private void publish(MetadataUpdate update) {
        for (MetadataListener l : listeners) {
            try {
                l.onUpdate(update);
            } catch (RuntimeException e) {
                LOG.error("metadata listener {} failed on index {}", l, update.index(), e);
            }
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        ByteBuffer buf = ByteBuffer.allocate(Long.BYTES).putLong(0, getLastAppliedTermIndex().getIndex());
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(buf)));
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        events.leaderChanged(newLeaderId == null ? -1 : NodeIds.nodeId(newLeaderId));
        if (newLeaderId == null || !newLeaderId.equals(groupMemberId.getPeerId())) {
            events.notLeader();
        }
    }

    @Override
    public void notifyLeaderReady() {
        events.leaderReady();
    }

    @Override
    public void notifyNotLeader(Collection<TransactionContext> pendingEntries) {
        events.notLeader();
    }

    @Override
    public void notifyConfigurationChanged(long term, long index, RaftProtos.RaftConfigurationProto newConf) {
        events.configurationChanged();
    }

    @Override
    public void close() throws IOException {
        snapshots.close();
        waiters.failAll(new IllegalStateException("the metadata store is closed"));
        super.close();
    }
}
