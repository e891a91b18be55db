package io.loompush.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapKeeperTest {
    private static final long MB = 1L << 20;

    @Test
    void aSmallGrowthIsLeftAloneEvenWhenQuiet() {
        assertFalse(HeapKeeper.shouldCollect(0, 8 * MB - 1, 10));
        assertFalse(HeapKeeper.shouldCollect(100 * MB, 124 * MB, 10));
    }

    @Test
    void aGrowthOfAQuarterIsCollectedOnceTheYoungCollectionsHaveStoppedForTwoSeconds() {
        assertFalse(HeapKeeper.shouldCollect(100 * MB, 125 * MB, 1));
        assertTrue(HeapKeeper.shouldCollect(100 * MB, 125 * MB, 2));
    }

    @Test
    void aDoublingIsCollectedUnderLoad() {
        assertFalse(HeapKeeper.shouldCollect(100 * MB, 199 * MB, 0));
        assertTrue(HeapKeeper.shouldCollect(100 * MB, 200 * MB, 0));
        assertTrue(HeapKeeper.shouldCollect(0, 8 * MB, 0));
    }
}
