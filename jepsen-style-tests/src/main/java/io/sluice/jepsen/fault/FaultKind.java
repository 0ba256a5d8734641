package io.sluice.jepsen.fault;

import io.sluice.jepsen.net.NetFault;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The kinds of fault, by their {@code --faults} names. Each names the targets it may take (node
 * targets, or partition shapes), the network fault it needs (if any), and a conflict group: the
 * schedule never runs two faults of one group at once (two faults that stop or signal processes
 * could otherwise act on the same node).
 */
public enum FaultKind {
    /** SIGKILL, restart when healed. */
    KILL("kill", Group.PROCESS, null, Target.NODE_TARGETS),
    /** SIGSTOP, SIGCONT when healed. */
    PAUSE("pause", Group.PROCESS, null, Target.NODE_TARGETS),
    /** Packets dropped between nodes in one of Jepsen's shapes. */
    PARTITION("partition", Group.PARTITION, NetFault.PARTITION, PartitionShape.ALL),
    /** A share of the packets arriving at nodes dropped at random. */
    LOSS("loss", Group.LOSS, NetFault.LOSS, Target.NODE_TARGETS),
    /** Packets sent by nodes delayed. */
    DELAY("delay", Group.DELAY, NetFault.DELAY, Target.NODE_TARGETS),
    /** The nodes' wall clocks jump by an offset, back to 0 when healed. */
    CLOCK("clock", Group.CLOCK, null, Target.NODE_TARGETS),
    /** SIGKILL, a segment cut short, restart when healed. */
    TRUNCATE("truncate", Group.PROCESS, null, List.of(Target.ONE, Target.MINORITY)),
    /** SIGKILL, bits flipped in a segment, restart when healed. */
    BITFLIP("bitflip", Group.PROCESS, null, List.of(Target.ONE, Target.MINORITY)),
    /** SIGKILL, the newest segment of each partition cut back (writes never flushed), restart when healed. */
    LOSE_UNFLUSHED("lose-unflushed", Group.PROCESS, null, List.of(Target.ONE, Target.MINORITY)),
    /** SIGTERM, data directory wiped, restarted empty when healed. */
    MEMBERSHIP("membership", Group.PROCESS, null, List.of(Target.ONE));

    /** Faults that may not overlap. */
    public enum Group {
        /** Faults that stop, signal or restart node processes. */
        PROCESS,
        /** Partitions. */
        PARTITION,
        /** Packet loss. */
        LOSS,
        /** Packet delay. */
        DELAY,
        /** Clock offsets. */
        CLOCK
    }

    /** {@code --faults storage}: the three storage faults. */
    public static final List<FaultKind> STORAGE = List.of(TRUNCATE, BITFLIP, LOSE_UNFLUSHED);

    private final String wireName;
    private final Group group;
    private final NetFault network;
    private final List<String> targets;

    FaultKind(String wireName, Group group, NetFault network, List<String> targets) {
        this.wireName = wireName;
        this.group = group;
        this.network = network;
        this.targets = List.copyOf(targets);
    }

    /** The {@code --faults} name. */
    public String wireName() {
        return wireName;
    }

    public Group group() {
        return group;
    }

    /** The network fault this kind needs, if any. */
    public Optional<NetFault> network() {
        return Optional.ofNullable(network);
    }

    /** The targets (or, for partitions, the shapes) this kind may take. */
    public List<String> targets() {
        return targets;
    }

    /** The kind with this name. */
    public static FaultKind of(String name) {
        for (FaultKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + name + "'; faults are " + names()
                + ", storage (truncate,bitflip,lose-unflushed) and all");
    }

    /** Parses a comma-separated {@code --faults} list; {@code storage} and {@code all} expand. */
    public static List<FaultKind> parseList(String list) {
        Set<FaultKind> kinds = new LinkedHashSet<>();
        for (String part : list.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            switch (name) {
                case "all" -> kinds.addAll(List.of(values()));
                case "storage" -> kinds.addAll(STORAGE);
                default -> kinds.add(of(name));
            }
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("--faults names no fault");
        }
        return List.copyOf(kinds);
    }

    /** Every name, comma-separated. */
    public static String names() {
        List<String> names = new ArrayList<>();
        for (FaultKind kind : values()) {
            names.add(kind.wireName);
        }
        return String.join(",", names);
    }
}
