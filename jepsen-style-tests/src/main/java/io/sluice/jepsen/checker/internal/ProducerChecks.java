package io.sluice.jepsen.checker.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jepsen.checker.AnomalyKind;
import io.sluice.jepsen.history.TopicPartition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Send order per producer process: nonmonotonic-send. A process has one send outstanding at a
 * time, so its completions are in its invocation order; each acknowledged offset in a partition
 * must be above the process's previous one there. A crash forgets the process's sends (the new
 * client is a new producer). Not thread-safe.
 */
public final class ProducerChecks {
    private final Findings findings;
    private final Map<Integer, Map<TopicPartition, Send>> lastSends = new HashMap<>();

    public ProducerChecks(Findings findings) {
        this.findings = findings;
    }

    /** Replays the events of every process. */
    public void run(List<ClientEvent> events) {
        for (ClientEvent event : events) {
            if (event instanceof ClientEvent.Crash) {
                lastSends.remove(event.process());
            } else if (event instanceof ClientEvent.Sent sent && sent.send().isOk()) {
                Send send = sent.send();
                Send previous = lastSends.computeIfAbsent(send.process(), p -> new HashMap<>())
                        .put(send.partition(), send);
                if (previous != null && send.offset() <= previous.offset()) {
                    report(previous, send);
                }
            }
        }
    }

    private void report(Send previous, Send send) {
        ObjectNode example = Findings.example(send.value(), send.partition(), send.offset());
        example.put("index", send.completionIndex());
        example.put("process", send.process());
        example.put("previousValue", previous.value());
        example.put("previousOffset", previous.offset());
        example.put("previousIndex", previous.completionIndex());
        findings.report(AnomalyKind.NONMONOTONIC_SEND, example);
    }
}
