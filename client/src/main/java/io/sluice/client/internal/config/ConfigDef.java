package io.sluice.client.internal.config;

import io.sluice.client.common.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The definition of a client's configuration keys: name, type, default, validator and one line of
 * documentation. {@link #parse} turns user-given settings (a {@link Properties} or a map whose
 * values are strings or already typed) into a map of typed values, refusing unknown keys (with the
 * closest known key as a suggestion), missing required ones and values out of range. Immutable
 * once built; thread-safe.
 */
public final class ConfigDef {
    /** Marks a key that has no default: the user must give it. */
    public static final Object NO_DEFAULT = new Object();

    /** The type a value is parsed to. */
    public enum Type { STRING, INT, LONG, BOOLEAN, LIST }

    /** Checks one parsed value; throws {@link ConfigException} with a message naming the key. */
    @FunctionalInterface
    public interface Validator {
        void check(String name, Object value);
    }

    /** One key's definition. */
    public record Key(String name, Type type, Object defaultValue, Validator validator, String documentation) {
        /** Whether the user must set it. */
        public boolean required() {
            return defaultValue == NO_DEFAULT;
        }

        /** The default as text, for documentation ({@code "(required)"} when there is none). */
        public String defaultText() {
            if (required()) {
                return "(required)";
            }
            if (defaultValue instanceof List<?> list) {
                return String.join(",", list.stream().map(String::valueOf).toList());
            }
            return defaultValue == null ? "(none)" : String.valueOf(defaultValue);
        }
    }

    private final Map<String, Key> keys = new LinkedHashMap<>();

    /** Adds a key; a key may be defined once. */
    public ConfigDef define(String name, Type type, Object defaultValue, Validator validator, String documentation) {
        if (keys.containsKey(name)) {
            throw new IllegalStateException("config key defined twice: " + name);
        }
        Object parsedDefault = defaultValue == NO_DEFAULT || defaultValue == null
                ? defaultValue : parseValue(name, type, defaultValue);
        keys.put(name, new Key(name, type, parsedDefault, validator, documentation));
        return this;
    }

    /** Adds a key without a validator. */
    public ConfigDef define(String name, Type type, Object defaultValue, String documentation) {
        return define(name, type, defaultValue, null, documentation);
    }

    /** Every key, in definition order. */
    public Collection<Key> keys() {
        return Collections.unmodifiableCollection(keys.values());
    }

    /** Parses and validates {@code settings}; every defined key is present in the result. */
    public Map<String, Object> parse(Map<?, ?> settings) {
        Map<String, Object> values = new TreeMap<>();
        for (Map.Entry<?, ?> e : settings.entrySet()) {
            String name = String.valueOf(e.getKey());
            Key key = keys.get(name);
            if (key == null) {
                throw new ConfigException("unknown config key '" + name + "'" + suggestion(name));
            }
            values.put(name, parseValue(name, key.type, e.getValue()));
        }
        for (Key key : keys.values()) {
            if (!values.containsKey(key.name)) {
                if (key.required()) {
                    throw new ConfigException("missing required config '" + key.name + "': " + key.documentation);
                }
                values.put(key.name, key.defaultValue);
            }
            Object value = values.get(key.name);
            if (key.validator != null && value != null) {
                key.validator.check(key.name, value);
            }
        }
        return values;
    }

    /** Parses a {@link Properties}, whose keys and values are strings. */
    public Map<String, Object> parse(Properties properties) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return parse(map);
    }

    private String suggestion(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : keys.keySet()) {
            int d = editDistance(name, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 4) ? "; did you mean '" + best + "'?"
                : "; known keys: " + String.join(", ", new TreeMap<>(keys).keySet());
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Object parseValue(String name, Type type, Object raw) {
        if (raw == null) {
            return null;
        }
        try {
            return switch (type) {
                case STRING -> raw instanceof String s ? s.trim() : String.valueOf(raw);
                case INT -> raw instanceof Integer i ? i : Integer.parseInt(text(raw));
                case LONG -> raw instanceof Integer || raw instanceof Long ? ((Number) raw).longValue()
                        : Long.parseLong(text(raw));
                case BOOLEAN -> parseBoolean(name, raw);
                case LIST -> parseList(raw);
                default -> throw new IllegalStateException("unhandled type " + type);
            };
        } catch (NumberFormatException e) {
            throw new ConfigException("config '" + name + "' must be " + article(type) + ", got '" + raw + "'");
        }
    }

    private static String text(Object raw) {
        return String.valueOf(raw).trim();
    }

    private static Boolean parseBoolean(String name, Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        String s = text(raw).toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
        }
        throw new ConfigException("config '" + name + "' must be true or false, got '" + raw + "'");
    }

    private static List<String> parseList(Object raw) {
        if (raw instanceof Collection<?> c) {
            return c.stream().map(v -> String.valueOf(v).trim()).filter(s -> !s.isEmpty()).toList();
        }
        List<String> out = new ArrayList<>();
        for (String part : text(raw).split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return List.copyOf(out);
    }

    private static String article(Type type) {
        return switch (type) {
            case INT -> "an integer";
            case LONG -> "a long integer";
            default -> "a " + type.name().toLowerCase(Locale.ROOT);
        };
    }

    /** A validator for numbers within {@code [min, max]}. */
    public static Validator between(long min, long max) {
        return (name, value) -> {
            long v = ((Number) value).longValue();
            if (v < min || v > max) {
                throw new ConfigException("config '" + name + "' must be between " + min + " and " + max
                        + ", got " + v);
            }
        };
    }

    /** A validator for numbers of at least {@code min}. */
    public static Validator atLeast(long min) {
        return between(min, Long.MAX_VALUE);
    }

    /** A validator for strings among {@code allowed} (case-insensitive). */
    public static Validator oneOf(String... allowed) {
        return (name, value) -> {
            for (String a : allowed) {
                if (a.equalsIgnoreCase((String) value)) {
                    return;
                }
            }
            throw new ConfigException("config '" + name + "' must be one of " + Arrays.toString(allowed)
                    + ", got '" + value + "'");
        };
    }

    /** A validator for non-empty lists. */
    public static Validator nonEmptyList() {
        return (name, value) -> {
            if (((List<?>) value).isEmpty()) {
                throw new ConfigException("config '" + name + "' must not be empty");
            }
        };
    }
}
