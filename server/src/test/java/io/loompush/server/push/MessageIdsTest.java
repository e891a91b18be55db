package io.loompush.server.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MessageIdsTest {
    private final TestClock clock = new TestClock();
    private final MessageIds ids = new MessageIds("ep", clock);

    @Test
    void idsIncreaseWithinOneMillisecondAndCarryIt() {
        long a = ids.next();
        long b = ids.next();
        assertTrue(b > a);
        assertEquals(clock.millis(), MessageIds.millis(a));
    }

    @Test
    void everyIdAfterAPositionIsGreaterThanIt() {
        long position = ids.position();
        assertTrue(ids.next() > position);
        clock.advance(Duration.ofMillis(5));
        long later = ids.position();
        assertTrue(later > position);
        assertTrue(ids.next() > later);
    }

    @Test
    void aClockSteppingBackNeverMakesIdsGoBack() {
        clock.advance(Duration.ofSeconds(10));
        long before = ids.next();
        clock.advance(Duration.ofSeconds(-5));
        assertTrue(ids.next() > before);
        assertTrue(ids.position() >= before);
    }

    @Test
    void idsAreEpochDashBase36() {
        assertEquals("ep-" + Long.toString(42, 36), MessageIds.format("ep", 42));
    }
}
