package io.sluice.broker.group.internal;

import java.util.Map;
import java.util.Optional;

/** The server-side assignors by name. Stateless. */
public final class Assignors {
    private static final Map<String, Assignor> BY_NAME = Map.of(UniformAssignor.NAME, new UniformAssignor(),
            RangeAssignor.NAME, new RangeAssignor());

    private Assignors() {
    }

    /** The assignor called {@code name}, if there is one. */
    public static Optional<Assignor> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Whether {@code name} names an assignor. */
    public static boolean exists(String name) {
        return BY_NAME.containsKey(name);
    }
}
