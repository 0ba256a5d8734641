package io.sluice.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {
    @Test
    void givesDistinctPorts() {
        int[] ports = LoopbackPorts.free(40);
        assertEquals(40, ports.length);
        assertEquals(40, Arrays.stream(ports).distinct().count(), "a port was given twice: " + Arrays.toString(ports));
        assertTrue(Arrays.stream(ports).allMatch(p -> p > 0 && p < 65536), Arrays.toString(ports));
    }

    @Test
    void zeroPortsIsAnEmptyLayout() {
        assertEquals(0, LoopbackPorts.free(0).length);
    }
}
