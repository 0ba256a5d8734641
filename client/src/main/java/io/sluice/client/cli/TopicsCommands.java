package io.sluice.client.cli;

import io.sluice.client.admin.ConfigChange;
import io.sluice.client.admin.ConfigEntry;
import io.sluice.client.admin.CreatedTopic;
import io.sluice.client.admin.ElectionType;
import io.sluice.client.admin.NewTopic;
import io.sluice.client.admin.Results;
import io.sluice.client.admin.TopicDescription;
import io.sluice.client.common.TopicPartition;
import io.sluice.client.errors.SluiceException;
import io.sluice.client.errors.TopicExistsException;
import io.sluice.proto.v1.ErrorCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** {@code sluice topics create|list|describe|delete|alter|elect-leaders}. */
final class TopicsCommands {
    private TopicsCommands() {
    }

    static CommandGroup group(CliEnvironment env) {
        return new CommandGroup("topics", "create, list, describe, delete and alter topics, and elect their leaders",
                List.of(new Create(env), new ListTopics(env), new Describe(env), new Delete(env), new Alter(env),
                        new ElectLeaders(env)));
    }

    private static String joined(List<Integer> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** {@code topics create}. */
    static final class Create extends ClientCommand {
        private static final Args.Spec SPEC = new Args.Spec(Set.of("topic", "partitions", "replication-factor"),
                Set.of("if-not-exists"), Set.of("config"));
        private static final String USAGE = """
                    --topic T [--partitions N] [--replication-factor R] [--config k=v ...] [--if-not-exists]

                      --topic T                 the topic's name ([a-zA-Z0-9._-], at most 249 characters)
                      --partitions N            number of partitions (default: the cluster's)
                      --replication-factor R    replicas per partition (default: the cluster's)
                      --config k=v              a topic config, e.g. retention.ms=86400000 (repeatable)
                      --if-not-exists           succeed if the topic exists already
                    """;

        Create(CliEnvironment env) {
            super("topics create", "create a topic", env, SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            String topic = args.required("topic");
            NewTopic t = new NewTopic(topic, args.intValue("partitions", -1, 1),
                    args.intValue("replication-factor", -1, 1), args.pairs("config"));
            Results<String, CreatedTopic> r = s.await(s.admin().createTopics(List.of(t)));
            SluiceException failure = r.failures().get(topic);
            if (failure != null) {
                if (args.flag("if-not-exists") && failure instanceof TopicExistsException) {
                    s.out.println("Topic " + topic + " exists already.");
                    return OK;
                }
                throw failure;
            }
            CreatedTopic c = r.get(topic);
            s.out.println("Created topic " + topic + " (" + c.partitions() + (c.partitions() == 1 ? " partition"
                    : " partitions") + ", replication factor " + c.replicationFactor() + ").");
            return OK;
        }
    }

    /** {@code topics list}. */
    static final class ListTopics extends ClientCommand {
        private static final Args.Spec SPEC = new Args.Spec(Set.of(), Set.of(), Set.of());
        private static final String USAGE = "\n\nPrints every topic's name, one per line, in order.\n";

        ListTopics(CliEnvironment env) {
            super("topics list", "list topic names, one per line", env, SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            s.await(s.admin().listTopics()).forEach(s.out::println);
            return OK;
        }
    }

    /** {@code topics describe}. */
    static final class Describe extends ClientCommand {
        private static final Args.Spec SPEC = new Args.Spec(Set.of("topic"), Set.of(), Set.of());
        private static final String USAGE = """
                    [--topic T]

                      --topic T   the topic to describe (default: every topic)

                    Per partition: its leader, leader epoch, replicas and in-sync replicas (ISR).
                    """;

        Describe(CliEnvironment env) {
            super("topics describe", "show partitions, leaders, replicas, ISR and configs", env, SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            List<String> topics = args.has("topic") ? List.of(args.required("topic"))
                    : new ArrayList<>(s.await(s.admin().listTopics()));
            if (topics.isEmpty()) {
                return OK;
            }
            Results<String, TopicDescription> descriptions = s.await(s.admin().describeTopics(topics));
            Results<String, Map<String, ConfigEntry>> configs = s.await(s.admin().describeTopicConfigs(topics));
            for (String topic : topics) {
                print(s, descriptions.get(topic), configs.successes().getOrDefault(topic, Map.of()));
            }
            return OK;
        }

        private static void print(Session s, TopicDescription d, Map<String, ConfigEntry> configs) {
            StringJoiner overrides = new StringJoiner(",");
            configs.values().stream().filter(c -> c.source() == ConfigEntry.Source.TOPIC)
                    .forEach(c -> overrides.add(c.name() + "=" + c.value()));
            s.out.println("Topic: " + d.name() + "\tId: " + d.topicId() + "\tPartitions: " + d.partitions().size()
                    + "\tReplicationFactor: " + d.replicationFactor() + "\tConfigs: " + overrides);
            for (TopicDescription.Partition p : d.partitions()) {
                s.out.println("\tPartition: " + p.partition() + "\tLeader: " + (p.leader() < 0 ? "none" : p.leader())
                        + "\tEpoch: " + p.leaderEpoch() + "\tReplicas: " + joined(p.replicas()) + "\tIsr: "
                        + joined(p.isr()) + (p.eligibleLeaderReplicas().isEmpty() ? ""
                        : "\tElr: " + joined(p.eligibleLeaderReplicas())) + (p.offlineReplicas().isEmpty() ? ""
                        : "\tOffline: " + joined(p.offlineReplicas())));
            }
        }
    }

    /** {@code topics delete}. */
    static final class Delete extends ClientCommand {
        private static final Args.Spec SPEC = new Args.Spec(Set.of("topic"), Set.of(), Set.of());
        private static final String USAGE = """
                    --topic T

                      --topic T   the topic to delete, with all its records
                    """;

        Delete(CliEnvironment env) {
            super("topics delete", "delete a topic and its records", env, SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            String topic = args.required("topic");
            s.await(s.admin().deleteTopics(List.of(topic))).get(topic);
            s.out.println("Deleted topic " + topic + ".");
            return OK;
        }
    }

    /** {@code topics alter}. */
    static final class Alter extends ClientCommand {
        private static final Args.Spec SPEC = new Args.Spec(Set.of("topic", "partitions"), Set.of(),
                Set.of("config", "delete-config"));
        private static final String USAGE = """
                    --topic T [--config k=v ...] [--delete-config k ...] [--partitions N]

                      --topic T            the topic to change
                      --config k=v         set a topic config (repeatable)
                      --delete-config k    remove a topic config, so the default applies (repeatable)
                      --partitions N       grow the topic to N partitions (it can only grow)
                    """;

        Alter(CliEnvironment env) {
            super("topics alter", "change a topic's configs or add partitions", env, SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            String topic = args.required("topic");
            List<ConfigChange> changes = new ArrayList<>();
            args.pairs("config").forEach((k, v) -> changes.add(ConfigChange.set(k, v)));
            args.values("delete-config").forEach(k -> changes.add(ConfigChange.delete(k)));
            int partitions = args.intValue("partitions", -1, 1);
            if (changes.isEmpty() && partitions < 0) {
                throw new UsageException("nothing to change: give --config, --delete-config or --partitions");
            }
            if (!changes.isEmpty()) {
                s.await(s.admin().alterTopicConfigs(Map.of(topic, changes))).get(topic);
                changes.forEach(c -> s.out.println(c.isDelete() ? "Removed " + c.name() + " of topic " + topic
                        + "." : "Set " + c.name() + "=" + c.value() + " on topic " + topic + "."));
            }
            if (partitions > 0) {
                s.await(s.admin().createPartitions(Map.of(topic, partitions))).get(topic);
                s.out.println("Topic " + topic + " now has " + partitions + " partitions.");
            }
            return OK;
        }
    }

    /** {@code topics elect-leaders}: Kafka's {@code kafka-leader-election.sh}. */
    static final class ElectLeaders extends ClientCommand {
        private static final Args.Spec SPEC = new Args.Spec(Set.of("election-type", "topic", "partition"),
                Set.of("all-topic-partitions"), Set.of());
        private static final String USAGE = """
                    --election-type preferred|unclean (--topic T [--partition P] | --all-topic-partitions)

                      --election-type preferred   give each partition back to its first replica, where
                                                  that replica is in sync (the controller also does this
                                                  every leader.imbalance.check.interval.seconds)
                      --election-type unclean     elect a leader for leaderless partitions even outside
                                                  the ISR: may lose acknowledged records
                      --topic T                   the topic's partitions (all, or --partition P)
                      --all-topic-partitions      every partition of every topic

                    Exits with 1 if an election failed; a partition already led by its preferred replica
                    is not a failure.
                    """;

        ElectLeaders(CliEnvironment env) {
            super("topics elect-leaders", "run preferred or unclean leader elections", env, SPEC, USAGE);
        }

        @Override
        int execute(Args args, Session s) throws Exception {
            ElectionType type = type(args.required("election-type"));
            boolean all = args.flag("all-topic-partitions");
            if (all == args.has("topic")) {
                throw new UsageException("give either --topic T or --all-topic-partitions");
            }
            if (all && args.has("partition")) {
                throw new UsageException("--partition needs --topic");
            }
            Set<TopicPartition> partitions = new LinkedHashSet<>();
            if (!all) {
                String topic = args.required("topic");
                int partition = args.intValue("partition", -1, 0);
                int count = s.await(s.admin().describeTopics(List.of(topic))).get(topic).partitions().size();
                if (partition >= count) {
                    throw new UsageException("topic " + topic + " has " + count + " partitions; there is no partition "
                            + partition);
                }
                for (int p = 0; p < count; p++) {
                    if (partition < 0 || p == partition) {
                        partitions.add(new TopicPartition(topic, p));
                    }
                }
            }
            Results<TopicPartition, Void> r = s.await(s.admin().electLeaders(type, partitions));
            List<TopicPartition> notNeeded = new ArrayList<>();
            Map<TopicPartition, SluiceException> failed = new TreeMap<>();
            r.failures().forEach((tp, e) -> {
                if (e.errorCode() == ErrorCode.ERROR_CODE_ELECTION_NOT_NEEDED) {
                    notNeeded.add(tp);
                } else {
                    failed.put(tp, e);
                }
            });
            if (!r.successes().isEmpty()) {
                s.out.println("Successfully completed leader election (" + type + ") for partitions "
                        + sorted(r.successes().keySet()));
            }
            if (!notNeeded.isEmpty()) {
                s.out.println("Valid replica already elected for partitions " + sorted(notNeeded));
            }
            failed.forEach((tp, e) -> s.out.println("Error completing leader election (" + type + ") for partition: "
                    + tp + ": " + e.getMessage()));
            return failed.isEmpty() ? OK : FAILED;
        }

        private static ElectionType type(String raw) throws UsageException {
            try {
                return ElectionType.valueOf(raw.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--election-type must be preferred or unclean, got '" + raw + "'");
            }
        }

        private static String sorted(Collection<TopicPartition> partitions) {
            return partitions.stream().sorted().map(TopicPartition::toString).collect(Collectors.joining(", "));
        }
    }
}
