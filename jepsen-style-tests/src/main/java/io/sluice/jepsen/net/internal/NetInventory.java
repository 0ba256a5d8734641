package io.sluice.jepsen.net.internal;

import io.sluice.jepsen.os.Commands;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what network objects exist on the machine ({@code ip netns list}, {@code ip -o link
 * show}, addresses and routes) and removes those of runs that died. It removes only objects named
 * like {@link NetNames} names them whose run has no live owner in the {@link NetRegistry}: never
 * anything else. Stateless and thread-safe.
 */
public final class NetInventory {
    private static final long TIMEOUT_MS = 15_000;
    private static final Pattern SUBNET_OCTET = Pattern.compile("\\b10\\.77\\.(\\d{1,3})\\.");

    private NetInventory() {
    }

    /** Every network namespace's name. */
    public static List<String> namespaces(Path ip) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Commands.runOrThrow(List.of(ip.toString(), "netns", "list"), TIMEOUT_MS).split("\n")) {
            if (!line.isBlank()) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    /** Every link's name in the harness's own namespace. */
    public static List<String> links(Path ip) throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : Commands.runOrThrow(List.of(ip.toString(), "-o", "link", "show"), TIMEOUT_MS)
                .split("\n")) {
            // "14: slcab12h1@if13: <BROADCAST,...": the name sits between the first ": " and the next ':' or '@'
            int start = line.indexOf(": ");
            if (start < 0) {
                continue;
            }
            String rest = line.substring(start + 2);
            int end = rest.indexOf(':');
            String name = end < 0 ? rest : rest.substring(0, end);
            int at = name.indexOf('@');
            names.add(at < 0 ? name.strip() : name.substring(0, at).strip());
        }
        return names;
    }

    /** Third octets of every 10.77.x.y address or route on the host: subnets a new run must avoid. */
    public static Set<Integer> hostOctets(Path ip) throws IOException {
        Set<Integer> octets = new TreeSet<>();
        String text = Commands.runOrThrow(List.of(ip.toString(), "-4", "-o", "addr", "show"), TIMEOUT_MS) + "\n"
                + Commands.runOrThrow(List.of(ip.toString(), "-4", "route", "show", "table", "all"), TIMEOUT_MS);
        Matcher matcher = SUBNET_OCTET.matcher(text);
        while (matcher.find()) {
            octets.add(Integer.parseInt(matcher.group(1)));
        }
        return octets;
    }

    /** PIDs of the processes inside a namespace. */
    public static List<Long> pidsIn(Path ip, String namespace) throws IOException {
        Commands.Result result = Commands.run(List.of(ip.toString(), "netns", "pids", namespace), TIMEOUT_MS);
        List<Long> pids = new ArrayList<>();
        if (!result.ok()) {
            return pids;
        }
        for (String line : result.output().split("\n")) {
            if (line.strip().matches("\\d+")) {
                pids.add(Long.parseLong(line.strip()));
            }
        }
        return pids;
    }

    /** SIGKILLs every process inside a namespace of the harness (nodes it started there). */
    public static void killProcessesIn(Path ip, String namespace) throws IOException {
        for (long pid : pidsIn(ip, namespace)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Names of namespaces and links that start with {@code prefix}. */
    public static List<String> objectsWithPrefix(Path ip, String prefix) throws IOException {
        List<String> found = new ArrayList<>();
        namespaces(ip).stream().filter(n -> n.startsWith(prefix)).map(n -> "namespace " + n).forEach(found::add);
        links(ip).stream().filter(n -> n.startsWith(prefix)).map(n -> "link " + n).forEach(found::add);
        return found;
    }

    /**
     * Removes the namespaces and links of runs with no live owner, with the processes left inside
     * those namespaces, and forgets those runs. Call under the registry's lock.
     *
     * @return how many objects were removed
     */
    public static int removeStale(NetRegistry registry, Path ip, Consumer<String> log) throws IOException {
        Set<String> live = registry.liveTags();
        int removed = 0;
        for (String namespace : namespaces(ip)) {
            String tag = NetNames.tagOfNamespace(namespace).orElse(null);
            if (tag != null && !live.contains(tag)) {
                killProcessesIn(ip, namespace);
                Commands.run(List.of(ip.toString(), "netns", "del", namespace), TIMEOUT_MS);
                log.accept("removed namespace " + namespace + " left by a chaos run that died");
                removed++;
            }
        }
        // host-side veth ends first (each takes its peer along), bridges last
        List<String> stale = links(ip).stream()
                .filter(l -> NetNames.tagOfLink(l).map(t -> !live.contains(t)).orElse(false))
                .sorted((a, b) -> Boolean.compare(a.endsWith("br"), b.endsWith("br"))).toList();
        for (String link : stale) {
            Commands.run(List.of(ip.toString(), "link", "del", link), TIMEOUT_MS);
            log.accept("removed link " + link + " left by a chaos run that died");
            removed++;
        }
        registry.forgetDead();
        return removed;
    }
}
