package io.loompush.server;

import static io.loompush.server.MemoryProbe.MIN_CONNECTIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class MemoryProbeTest {
    private static final long MB = 1L << 20;

    @Test
    void aPerConnectionFigureNeedsTheFewestConnections() {
        assertNull(MemoryProbe.perConnection(100 * MB, 50 * MB, MIN_CONNECTIONS - 1));
        assertEquals(50 * MB / MIN_CONNECTIONS, MemoryProbe.perConnection(100 * MB, 50 * MB, MIN_CONNECTIONS));
        assertEquals(50 * MB / (MIN_CONNECTIONS + 1), MemoryProbe.perConnection(100 * MB, 50 * MB, MIN_CONNECTIONS + 1));
    }

    @Test
    void noConnectionsGiveNoFigureRatherThanADivisionByZero() {
        assertNull(MemoryProbe.perConnection(100 * MB, 50 * MB, 0));
    }

    @Test
    void aFigureBelowItsBaselineIsNullNotNegative() {
        assertNull(MemoryProbe.perConnection(50 * MB - 1, 50 * MB, MIN_CONNECTIONS));
        assertEquals(0L, MemoryProbe.perConnection(50 * MB, 50 * MB, MIN_CONNECTIONS));
    }

    @Test
    void aFigureThatCouldNotBeReadGivesNone() {
        assertNull(MemoryProbe.perConnection(null, 50 * MB, MIN_CONNECTIONS));
        assertNull(MemoryProbe.perConnection(100 * MB, null, MIN_CONNECTIONS));
    }

    @Test
    void aReadingWithTooFewConnectionsHasNoPerConnectionFigures() {
        var memory = new MemoryProbe().read(MIN_CONNECTIONS - 1);

        assertNull(memory.perConnectionHeap());
        assertNull(memory.perConnectionRss());
        assertNull(memory.kernelPerSocket());
    }
}
