package io.sluice.client.internal.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bootstrap addresses: parsed as written, and handed to the clients in random order. */
class HostPortTest {
    private static final List<String> BOOTSTRAP = List.of("127.0.0.1:9092", "127.0.0.1:9094", "127.0.0.1:9096",
            "[::1]:9098");

    @Test
    void everyBootstrapAddressComesFirstSometimesAndNoneIsLostOrRepeated() {
        List<HostPort> parsed = HostPort.parseAll(BOOTSTRAP);
        assertEquals(new HostPort("::1", 9098), parsed.get(3));
        Set<HostPort> firsts = new HashSet<>();
        // 400 draws: the chance that one of four addresses never comes first is below 1e-49.
        for (int i = 0; i < 400; i++) {
            List<HostPort> order = HostPort.parseAllInRandomOrder(BOOTSTRAP);
            assertEquals(Set.copyOf(parsed), Set.copyOf(order));
            assertEquals(parsed.size(), order.size());
            firsts.add(order.get(0));
        }
        assertEquals(Set.copyOf(parsed), firsts, "a client does not always start at the first address listed");
    }
}
