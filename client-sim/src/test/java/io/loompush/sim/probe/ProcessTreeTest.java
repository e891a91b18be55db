package io.loompush.sim.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessTreeTest {
    @Test
    void readsTheParentPastACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (my (odd) server) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 1000 "
                + "123456 789 18446744073709551615";
        assertEquals(17, ProcessTree.parentOf(stat));
        assertEquals(3.0, ProcessTree.cpuSeconds(stat), 1e-9, "250 + 50 ticks of 1/100 s");
    }

    @Test
    void countsAProcessAndItsChildren() throws Exception {
        var child = new ProcessBuilder("sleep", "30").start();
        try {
            long self = ProcessHandle.current().pid();
            assertTrue(ProcessTree.descendantsAndSelf(self).contains(child.pid()));
            var usage = ProcessTree.usage(self);
            assertTrue(usage.processes() >= 2, "this JVM and its sleep");
            assertTrue(usage.rssBytes() > 10 * 1024 * 1024, "a JVM holds more than 10 MiB");
            assertTrue(usage.cpuSeconds() > 0);
            assertTrue(ProcessTree.openFilesLimit(self) > 0);
        } finally {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGoneProcessHasNoUsage() {
        assertNull(ProcessTree.usage(Integer.MAX_VALUE));
    }
}
