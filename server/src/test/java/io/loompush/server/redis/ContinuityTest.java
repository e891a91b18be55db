package io.loompush.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContinuityTest {
    private static final Cover COVER = new Cover("ep", 0, 0);

    private static Notification n(String epoch, String id, String previous) {
        return new Notification(epoch, StreamIds.position(id), StreamIds.position(previous), new byte[0]);
    }

    private static long p(String id) {
        return StreamIds.position(id);
    }

    @Test
    void aNotificationWhosePreviousIsTheCopysNewestContinuesIt() {
        assertEquals(Continuity.NEXT, Continuity.of(COVER, p("10-1"), n("ep", "10-2", "10-1")));
    }

    @Test
    void aNotificationTheCopyAlreadyHoldsIsHeld() {
        assertEquals(Continuity.HELD, Continuity.of(COVER, p("10-2"), n("ep", "10-2", "10-1")));
        assertEquals(Continuity.HELD, Continuity.of(COVER, p("10-3"), n("ep", "10-2", "10-1")));
    }

    @Test
    void aNotificationThatSkipsAnEntryOrComesFromAnotherEpochBreaks() {
        assertEquals(Continuity.BREAK, Continuity.of(COVER, p("10-1"), n("ep", "10-3", "10-2")));
        assertEquals(Continuity.BREAK, Continuity.of(COVER, p("10-1"), n("other", "10-2", "10-1")));
        assertEquals(Continuity.BREAK, Continuity.of(COVER, p("10-5"), n("other", "10-2", "10-1")));
    }
}
