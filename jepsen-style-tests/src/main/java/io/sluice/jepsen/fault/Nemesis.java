package io.sluice.jepsen.fault;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.fault.internal.Faults;
import io.sluice.jepsen.fault.internal.LastCopies;
import io.sluice.jepsen.history.HistoryRecorder;
import io.sluice.jepsen.history.NemesisOps;
import io.sluice.jepsen.net.Cut;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Starts and heals planned faults and records each step in the history as a nemesis entry
 * ({@link NemesisOps}): {@code start} once the fault is in effect (with the nodes and cuts it
 * resolved to and what it did), {@code heal} once it is undone, {@code skip} when this machine
 * cannot inject it (no namespaces, no nft, no netem: the reason is the entry's {@code error}). A
 * step that fails is recorded with its error and does not stop the run; a fault whose start
 * failed half-way stays active so that its heal undoes what did happen. {@link #healAll()} heals
 * the active faults, then resets everything (all cuts, loss and delay removed, paused nodes
 * resumed, clocks at 0, stopped nodes started), so the final phase starts clean even after a
 * failed heal. Synchronized: one step at a time.
 */
public final class Nemesis {
    private final FaultContext context;
    private final HistoryRecorder history;
    private final Map<Integer, Active> active = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final LastCopies lastCopies;

    private record Active(PlannedFault plan, Fault fault, List<Integer> nodes) {
    }

    public Nemesis(FaultContext context, HistoryRecorder history) {
        this.context = context;
        this.history = history;
        this.lastCopies = new LastCopies(context.leaders());
    }

    /** Why this machine cannot inject faults of this kind, or empty. */
    public Optional<String> unavailable(FaultKind kind) {
        return kind.network().flatMap(context.network()::unavailable);
    }

    /** Starts a planned fault (or records that it is skipped). */
    public synchronized void start(PlannedFault plan) {
        ObjectNode value = entry(plan, NemesisOps.START);
        Optional<String> unavailable = unavailable(plan.kind());
        if (unavailable.isPresent()) {
            value.put("action", NemesisOps.SKIP);
            history.nemesis(value, unavailable.get());
            context.log().accept("skip  " + plan.describe() + ": " + unavailable.get());
            return;
        }
        List<Integer> nodes = plan.nodes();
        List<Cut> cuts = plan.cuts();
        if (plan.target().equals(Target.LEADERS)) {
            nodes = leaders(plan, value);
            if (plan.kind() == FaultKind.PARTITION) {
                cuts = List.copyOf(Partitions.leaders(nodes, context.cluster().ids()));
            }
        }
        value.set("nodes", ids(nodes));
        value.set("cuts", PlannedFault.cutsJson(cuts));
        Fault fault = Faults.create(plan, nodes, cuts, context, lastCopies);
        active.put(plan.id(), new Active(plan, fault, nodes));
        try {
            value.set("detail", fault.start());
            history.nemesis(value, null);
            context.log().accept("start " + plan.describe() + " on " + nodes);
        } catch (Exception e) {
            failed(value, "start " + plan.describe(), e);
        }
    }

    /** The current leaders, or a random node from the fault's seed when they are unknown. */
    private List<Integer> leaders(PlannedFault plan, ObjectNode value) {
        List<Integer> ids = context.cluster().ids();
        Set<Integer> leaders = new TreeSet<>();
        String why;
        try {
            context.leaders().currentLeaders().stream().filter(ids::contains).forEach(leaders::add);
            why = "leader locator answered none";
        } catch (Exception e) {
            why = "leader locator failed: " + e.getMessage();
        }
        if (leaders.isEmpty()) {
            leaders.add(ids.get(new SplittableRandom(plan.seed()).nextInt(ids.size())));
            value.put("leadersUnknown", why + "; a random node stands in");
        }
        return List.copyOf(leaders);
    }

    /** Heals an active fault; does nothing if it is not active. */
    public synchronized void heal(int id) {
        Active fault = active.remove(id);
        if (fault == null) {
            return;
        }
        ObjectNode value = entry(fault.plan(), NemesisOps.HEAL);
        value.set("nodes", ids(fault.nodes()));
        try {
            value.set("detail", fault.fault().heal());
            history.nemesis(value, null);
            context.log().accept("heal  " + fault.plan().describe());
        } catch (Exception e) {
            failed(value, "heal " + fault.plan().describe(), e);
        }
    }

    /** Heals every active fault, latest first, then resets the cluster and network to healthy. */
    public synchronized void healAll() {
        List<Integer> ids = new ArrayList<>(active.keySet());
        for (int i = ids.size() - 1; i >= 0; i--) {
            heal(ids.get(i));
        }
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        value.put("id", 0).put("fault", "all").put("action", NemesisOps.HEAL);
        List<Integer> all = context.cluster().ids();
        try {
            context.network().healAll();
            context.cluster().resume(all);
            for (int node : all) {
                context.cluster().setClockOffset(node, 0);
            }
            List<Integer> down = context.cluster().notRunning();
            context.cluster().start(down);
            value.set("restarted", ids(down));
            history.nemesis(value, null);
            context.log().accept("heal  everything" + (down.isEmpty() ? "" : "; restarted nodes " + down));
        } catch (Exception e) {
            failed(value, "heal everything", e);
        }
    }

    /** The ids of the faults in effect. */
    public synchronized List<Integer> active() {
        return List.copyOf(active.keySet());
    }

    /** Steps that failed, in order, for the run's result. */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    private void failed(ObjectNode value, String step, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        history.nemesis(value, message);
        problems.add(step + " failed: " + message);
        context.log().accept("FAILED " + step + ": " + message);
    }

    private static ObjectNode entry(PlannedFault plan, String action) {
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        value.put("id", plan.id());
        value.put("fault", plan.kind().wireName());
        value.put("action", action);
        value.put("target", plan.target());
        value.set("nodes", ids(plan.nodes()));
        value.put("amount", plan.amount());
        return value;
    }

    private static ArrayNode ids(List<Integer> nodes) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        nodes.forEach(array::add);
        return array;
    }
}
