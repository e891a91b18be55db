package io.loompush.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulationTest {
    @Test
    void theUnconfirmedHoldGuardGrowsWithTheClientsUpToASecond() {
        assertEquals(Duration.ofMillis(100), Simulation.holdGuard(300), "never under 100 ms");
        assertEquals(Duration.ofMillis(500), Simulation.holdGuard(9_500));
        assertEquals(Duration.ofSeconds(1), Simulation.holdGuard(19_000));
        assertEquals(Duration.ofSeconds(1), Simulation.holdGuard(40_000));
    }
}
