package io.sluice.jepsen.history;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The nemesis's entries in a history: what fault started, healed or was skipped, when, and on
 * which nodes. They are {@code info} entries of process {@value #PROCESS} with {@code f}
 * {@value #NEMESIS}; the checker reads them for nothing (they are the report's timeline), and
 * {@code docs/chaos.md} ("Nemesis entries") documents their {@code value}.
 *
 * <p>Value fields: {@code id} (the planned fault's number, 0 for the final heal of everything),
 * {@code fault} (a fault kind such as {@code partition}, or {@code all}), {@code action}
 * ({@value #START}, {@value #HEAL} or {@value #SKIP}), and, as they apply, {@code target},
 * {@code nodes}, {@code cuts}, {@code amount} and {@code detail}.
 */
public final class NemesisOps {
    /** The {@code f} of every nemesis entry. */
    public static final String NEMESIS = "nemesis";
    /** The process number of the nemesis; clients use numbers from 0. */
    public static final int PROCESS = -1;
    /** A fault took effect. */
    public static final String START = "start";
    /** A fault was undone. */
    public static final String HEAL = "heal";
    /** A planned fault could not run here (the reason is in {@code error}). */
    public static final String SKIP = "skip";

    private NemesisOps() {
    }

    /** Whether an entry belongs to the nemesis. */
    public static boolean isNemesis(Op op) {
        return op.f().equals(NEMESIS);
    }

    /**
     * The reason a nemesis entry is malformed, or null when it is well formed: it must be
     * {@code info}, of process {@value #PROCESS}, with an object value naming its
     * {@code fault} and {@code action}.
     */
    public static String problem(Op op) {
        if (op.type() != OpType.INFO || op.process() != PROCESS) {
            return "a nemesis entry must be of type info and process " + PROCESS;
        }
        JsonNode value = op.value();
        if (!value.isObject() || !value.path("fault").isTextual() || !value.path("action").isTextual()) {
            return "a nemesis entry's value must name its 'fault' and 'action'";
        }
        return null;
    }
}
