package io.sluice.jepsen.e2e;

import io.sluice.client.common.TopicPartition;
import io.sluice.client.consumer.ConsumerRecord;
import io.sluice.record.TimestampType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link GroupMember} in a child JVM (same classpath as the test), whose output lines are
 * parsed into a {@link GroupMember.Recorder} as they arrive. {@link #kill} SIGKILLs it: a member
 * that crashes without leaving its group. Its log (client logging) goes to a file.
 */
final class ChildMember implements AutoCloseable {
    final GroupMember.Recorder recorder = new GroupMember.Recorder();
    private final String topic;
    private final Process process;
    private final Thread reader;

    ChildMember(String bootstrap, String group, String topic, String instanceId, Path log) throws IOException {
        this.topic = topic;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                GroupMember.class.getName(), bootstrap, group, topic));
        if (instanceId != null) {
            command.add(instanceId);
        }
        this.process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        this.reader = new Thread(this::read, "child-member-output");
        reader.setDaemon(true);
        reader.start();
        RealCluster.log("consumer child JVM started (PID " + process.pid() + ")");
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                parse(line);
            }
        } catch (IOException ignored) {
            // the child died: nothing more to read
        }
    }

    private void parse(String line) {
        if (line.startsWith("@@ASSIGNED ")) {
            recorder.assigned(partitions(line.substring("@@ASSIGNED ".length())));
        } else if (line.startsWith("@@REVOKED ")) {
            recorder.revoked(partitions(line.substring("@@REVOKED ".length())));
        } else if (line.startsWith("@@RECORD ")) {
            String[] f = line.split(" ", 4);
            recorder.record(new ConsumerRecord<>(new TopicPartition(topic, Integer.parseInt(f[1])),
                    Long.parseLong(f[2]), -1, TimestampType.CREATE_TIME, -1, null, f[3], List.of(), -1, -1));
        } else if (line.startsWith("@@ERROR ")) {
            recorder.error(new RuntimeException("in the child: " + line.substring(8)));
        } else {
            System.out.println("[child] " + line);
        }
    }

    private List<TopicPartition> partitions(String list) {
        return list.isBlank() ? List.of() : Arrays.stream(list.strip().split(","))
                .map(p -> new TopicPartition(topic, Integer.parseInt(p))).toList();
    }

    /** SIGKILLs the child and waits until its output is read to the end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(10_000);
        RealCluster.log("consumer child JVM SIGKILLed");
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
