package io.sluice.client.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed command line: {@code --name value} and {@code --name=value} options, boolean
 * {@code --flag}s, and options that may repeat ({@code --config k=v --config k2=v2}). Anything
 * else is refused with a {@link UsageException} that names the offending word. Immutable.
 */
final class Args {
    /** What a command accepts. */
    record Spec(Set<String> valueOptions, Set<String> flags, Set<String> repeatable) {
        Spec {
            valueOptions = Set.copyOf(valueOptions);
            flags = Set.copyOf(flags);
            repeatable = Set.copyOf(repeatable);
        }
    }

    private final Map<String, List<String>> values;
    private final Set<String> flags;

    private Args(Map<String, List<String>> values, Set<String> flags) {
        this.values = values;
        this.flags = flags;
    }

    static Args parse(List<String> raw, Spec spec) throws UsageException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Set<String> flags = new TreeSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String word = raw.get(i);
            if (!word.startsWith("--") || word.length() == 2) {
                throw new UsageException("unexpected argument '" + word + "'");
            }
            int eq = word.indexOf('=');
            String name = eq > 0 ? word.substring(2, eq) : word.substring(2);
            if (spec.flags().contains(name)) {
                if (eq > 0) {
                    throw new UsageException("--" + name + " takes no value");
                }
                flags.add(name);
                continue;
            }
            if (!spec.valueOptions().contains(name) && !spec.repeatable().contains(name)) {
                throw new UsageException("unknown option --" + name);
            }
            String value;
            if (eq > 0) {
                value = word.substring(eq + 1);
            } else if (i + 1 < raw.size()) {
                value = raw.get(++i);
            } else {
                throw new UsageException("--" + name + " needs a value");
            }
            List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!list.isEmpty() && !spec.repeatable().contains(name)) {
                throw new UsageException("--" + name + " given more than once");
            }
            list.add(value);
        }
        return new Args(values, flags);
    }

    boolean has(String name) {
        return values.containsKey(name) || flags.contains(name);
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String value(String name, String defaultValue) {
        List<String> list = values.get(name);
        return list == null ? defaultValue : list.get(0);
    }

    String required(String name) throws UsageException {
        String v = value(name, null);
        if (v == null || v.isEmpty()) {
            throw new UsageException("--" + name + " is required");
        }
        return v;
    }

    List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    long longValue(String name, long defaultValue, long min) throws UsageException {
        String v = value(name, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(v.trim());
            if (parsed < min) {
                throw new UsageException("--" + name + " must be at least " + min + ", got " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    int intValue(String name, int defaultValue, int min) throws UsageException {
        long v = longValue(name, defaultValue, min);
        if (v > Integer.MAX_VALUE) {
            throw new UsageException("--" + name + " is too large: " + v);
        }
        return (int) v;
    }

    /** {@code k=v} pairs of a repeatable option, in order. */
    Map<String, String> pairs(String name) throws UsageException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : values(name)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--" + name + " expects key=value, got '" + pair + "'");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return out;
    }

    /** At most one of {@code names} may be given; returns the one given, or null. */
    String oneOf(String... names) throws UsageException {
        String found = null;
        for (String n : names) {
            if (has(n)) {
                if (found != null) {
                    throw new UsageException("--" + found + " and --" + n + " cannot be combined");
                }
                found = n;
            }
        }
        return found;
    }

    /** Options as a map, for tests and debugging. */
    Map<String, List<String>> asMap() {
        Map<String, List<String>> out = new HashMap<>(values);
        flags.forEach(f -> out.put(f, List.of()));
        return out;
    }
}
