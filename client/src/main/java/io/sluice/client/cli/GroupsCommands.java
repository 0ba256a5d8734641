package io.sluice.client.cli;

import io.sluice.client.admin.GroupDescription;
import io.sluice.client.admin.GroupListing;
import io.sluice.client.admin.OffsetQuery;
import io.sluice.client.common.TopicPartition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** {@code sluice groups list|describe|delete|reset-offsets}. */
final class GroupsCommands {
    private GroupsCommands() {
    }

    static CommandGroup group(CliEnvironment env) {
        return new CommandGroup("groups", "list, describe (with lag), delete consumer groups and reset their offsets",
                List.of(new ListGroups(env), new Describe(env), new Delete(env), new ResetOffsets(env)));
    }

    private static String num(long value) {
        return value < 0 ? "-" : Long.toString(value);
    }

    /** {@code groups list}. */
    static final class ListGroups extends ClientCommand {
        private static final Args.Spec SPEC = new Args.Spec(Set.of(), Set.of(), Set.of());
        private static final String USAGE = "\n\nPrints GROUP, STATE and MEMBERS of every consumer group.\n";

        ListGroups(CliEnvironment env) {
            super("groups list", "list consumer groups with their state and member count", env, SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            List<GroupListing> groups = s.await(s.admin().listGroups());
            s.out.printf("%-30s %-12s %s%n", "GROUP", "STATE", "MEMBERS");
            for (GroupListing g : groups) {
                s.out.printf("%-30s %-12s %d%n", g.groupId(), g.state(), g.memberCount());
            }
            return OK;
        }
    }

    /** {@code groups describe}. */
    static final class Describe extends ClientCommand {
        private static final Args.Spec SPEC = new Args.Spec(Set.of("group"), Set.of(), Set.of());
        private static final String USAGE = """
                    --group G

                    Per partition: the committed offset, the log end offset (high watermark), the lag
                    (end minus committed) and the member that owns it.
                    """;

        Describe(CliEnvironment env) {
            super("groups describe", "show a group's members and, per partition, committed offset, end and lag",
                    env, SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            String group = args.required("group");
            GroupDescription d = s.await(s.admin().describeGroup(group));
            s.out.println("Group: " + d.groupId() + "\tState: " + d.state() + "\tMembers: " + d.members().size()
                    + "\tEpoch: " + d.groupEpoch() + "\tAssignor: " + d.assignor());
            Map<String, String> owners = new HashMap<>();
            d.members().forEach(m -> owners.put(m.memberId(), (m.clientId().isEmpty() ? "" : m.clientId() + "/")
                    + m.memberId()));
            s.out.printf("%-24s %-9s %-10s %-10s %-8s %s%n", "TOPIC", "PARTITION", "COMMITTED", "LOG-END", "LAG",
                    "OWNER");
            for (GroupDescription.PartitionLag p : d.partitions()) {
                s.out.printf("%-24s %-9d %-10s %-10s %-8s %s%n", p.topicPartition().topic(),
                        p.topicPartition().partition(), num(p.committedOffset()), num(p.logEndOffset()),
                        num(p.lag()), p.owner().isEmpty() ? "-" : owners.getOrDefault(p.owner(), p.owner()));
            }
            s.out.println("Total lag: " + d.totalLag());
            return OK;
        }
    }

    /** {@code groups delete}. */
    static final class Delete extends ClientCommand {
        private static final Args.Spec SPEC = new Args.Spec(Set.of("group"), Set.of(), Set.of());
        private static final String USAGE = """
                    --group G

                    The group must have no members (stop its consumers first).
                    """;

        Delete(CliEnvironment env) {
            super("groups delete", "delete a group without members, and its committed offsets", env, SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            String group = args.required("group");
            s.await(s.admin().deleteGroups(List.of(group))).get(group);
            s.out.println("Deleted group " + group + ".");
            return OK;
        }
    }

    /** {@code groups reset-offsets}. */
    static final class ResetOffsets extends ClientCommand {
        private static final Args.Spec SPEC = new Args.Spec(Set.of("group", "topic", "to-offset", "to-timestamp"),
                Set.of("to-earliest", "to-latest", "dry-run"), Set.of());
        private static final String USAGE = """
                    --group G --topic T (--to-earliest | --to-latest | --to-offset N | --to-timestamp MS) [--dry-run]

                    Commits new offsets for every partition of T. The group must have no members.
                      --to-earliest      the log start
                      --to-latest        the end (skip everything not yet read)
                      --to-offset N      offset N (clamped to each partition's range)
                      --to-timestamp MS  the first record at or after MS (ms since the epoch)
                      --dry-run          print the new offsets without committing them
                    """;

        ResetOffsets(CliEnvironment env) {
            super("groups reset-offsets", "move a group's committed offsets on a topic", env, SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            String group = args.required("group");
            String topic = args.required("topic");
            String target = args.oneOf("to-earliest", "to-latest", "to-offset", "to-timestamp");
            if (target == null) {
                throw new UsageException(
                        "say where to: --to-earliest, --to-latest, --to-offset N or --to-timestamp MS");
            }
            boolean dryRun = args.flag("dry-run");
            CompletableFuture<Map<TopicPartition, Long>> reset = switch (target) {
                case "to-earliest" -> s.admin().resetGroupOffsets(group, topic, OffsetQuery.earliest(), dryRun);
                case "to-latest" -> s.admin().resetGroupOffsets(group, topic, OffsetQuery.latest(), dryRun);
                case "to-offset" ->
                        s.admin().resetGroupOffsets(group, topic, args.longValue("to-offset", 0, 0), dryRun);
                default -> s.admin().resetGroupOffsets(group, topic,
                        OffsetQuery.forTimestamp(args.longValue("to-timestamp", 0, 0)), dryRun);
            };
            Map<TopicPartition, Long> offsets = s.await(reset);
            s.out.printf("%-24s %-9s %s%n", "TOPIC", "PARTITION", "NEW-OFFSET");
            offsets.forEach((tp, o) -> s.out.printf("%-24s %-9d %d%n", tp.topic(), tp.partition(), o));
            s.out.println(dryRun ? "Dry run: nothing was committed." : "Reset the offsets of group " + group
                    + " on topic " + topic + ".");
            return OK;
        }
    }
}
