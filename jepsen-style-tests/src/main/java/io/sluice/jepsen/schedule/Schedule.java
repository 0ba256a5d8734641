package io.sluice.jepsen.schedule;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.fault.FaultKind;
import io.sluice.jepsen.fault.PlannedFault;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A planned sequence of faults and the options it was drawn from. Immutable.
 *
 * @param options what it was drawn from
 * @param faults  the faults by start time
 */
public record Schedule(ScheduleOptions options, List<PlannedFault> faults) {
    public Schedule {
        faults = List.copyOf(faults);
    }

    /**
     * A fault starting or healing.
     *
     * @param atMs  when, in ms since the run's start
     * @param start true for the start, false for the heal
     * @param fault the fault
     */
    public record Event(long atMs, boolean start, PlannedFault fault) {
    }

    /** Starts and heals in time order; at equal times heals come first, then by fault id. */
    public List<Event> events() {
        List<Event> events = new ArrayList<>();
        for (PlannedFault fault : faults) {
            events.add(new Event(fault.startMs(), true, fault));
            events.add(new Event(fault.healMs(), false, fault));
        }
        events.sort(Comparator.comparingLong(Event::atMs).thenComparing(Event::start)
                .thenComparingInt(e -> e.fault().id()));
        return events;
    }

    /** The schedule as JSON (the run folder's {@code schedule.json}). */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("seed", options.seed());
        root.put("nodes", options.nodes());
        root.put("timeLimitMs", options.timeLimitMs());
        ArrayNode kinds = root.putArray("faults");
        options.kinds().stream().map(FaultKind::wireName).forEach(kinds::add);
        root.put("intervalMs", options.intervalMs());
        root.put("maxConcurrent", options.maxConcurrent());
        ArrayNode planned = root.putArray("planned");
        faults.forEach(f -> planned.add(f.toJson()));
        return root;
    }
}
