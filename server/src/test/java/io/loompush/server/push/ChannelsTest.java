package io.loompush.server.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelsTest {
    private static final Duration TTL = Duration.ofMinutes(5);

    private final TestClock clock = new TestClock();
    private final MessageIds ids = new MessageIds("ep", clock);
    private final Channels channels = new Channels(ids, Feed.local("ep"), clock, 3, TTL, Long.MAX_VALUE);

    private static byte[] bytes(String s) {
        return s.getBytes();
    }

    private Look look(String channel, long since) {
        var box = new Mailbox();
        try {
            return channels.look(channel, box, "ep", since, false, 100);
        } finally {
            channels.release(channel, box);
        }
    }

    private long arrival() {
        return channels.arrival("any").seq();
    }

    private static List<String> texts(Look look) {
        return look.messages().stream().map(m -> new String(m.data())).toList();
    }

    @Test
    void aPollFromNowSeesNothingOldAndGetsAPositionBeforeTheNextMessage() {
        channels.publish("a", bytes("old"));
        Look now = look("a", arrival());
        assertTrue(now.messages().isEmpty());
        channels.publish("a", bytes("new"));
        assertEquals(List.of("new"), texts(look("a", now.position())));
    }

    @Test
    void historyKeepsTheLastNAndReportsAGapForACursorBeforeThem() {
        long start = look("a", arrival()).position();
        for (String s : List.of("1", "2", "3", "4")) {
            channels.publish("a", bytes(s));
        }
        Look look = look("a", start);
        assertEquals(List.of("2", "3", "4"), texts(look));
        assertTrue(look.gap());
        assertFalse(look("a", look.messages().getFirst().seq()).gap());
    }

    @Test
    void aCursorAtTheLastEvictedMessageHasMissedNothing() {
        channels.publish("a", bytes("1"));
        long first = look("a", 0).messages().getFirst().seq();
        for (String s : List.of("2", "3", "4")) {
            channels.publish("a", bytes(s));
        }
        Look look = look("a", first);
        assertFalse(look.gap());
        assertEquals(List.of("2", "3", "4"), texts(look));
    }

    @Test
    void anIdleChannelHoldsNoMemoryAndExpiredHistoryGoesAway() {
        var box = new Mailbox();
        channels.look("a", box, "ep", arrival(), false, 1);
        assertEquals(1, channels.channelCount());
        assertEquals(1, channels.mailboxCount());
        channels.release("a", box);
        assertEquals(0, channels.channelCount());
        assertEquals(0, channels.mailboxCount());

        channels.publish("a", bytes("x"));
        channels.expireDue();
        assertEquals(1, channels.channelCount());
        clock.advance(TTL);
        channels.expireDue();
        assertEquals(0, channels.channelCount());
    }

    @Test
    void expiryKeepsWhatIsStillFresh() {
        channels.publish("a", bytes("old"));
        clock.advance(TTL.minusSeconds(1));
        channels.publish("a", bytes("fresh"));
        clock.advance(Duration.ofSeconds(1));
        channels.expireDue();
        assertEquals(List.of("fresh"), texts(look("a", 0)));
        clock.advance(TTL);
        channels.expireDue();
        assertEquals(0, channels.channelCount());
    }

    @Test
    void aCursorOlderThanTheTtlOnARecreatedChannelIsAGapAndAFreshOneIsNot() {
        channels.publish("a", bytes("x"));
        long seen = look("a", 0).messages().getFirst().seq();
        clock.advance(TTL.plusSeconds(1));
        channels.expireDue();
        assertEquals(0, channels.channelCount());
        assertTrue(look("a", seen).gap(), "messages published after 'seen' could have expired unseen");

        long fresh = look("a", arrival()).position();
        clock.advance(Duration.ofSeconds(1));
        assertFalse(look("a", fresh).gap());
    }

    @Test
    void publishSignalsEveryMailboxOfTheChannelAndCountsThem() {
        var one = new Mailbox();
        var two = new Mailbox();
        channels.look("news", one, "ep", arrival(), false, 1);
        channels.look("news", two, "ep", arrival(), false, 1);
        channels.look("news", two, "ep", arrival(), false, 1);
        assertEquals(2, channels.mailboxCount());
        assertEquals(2, channels.publish("news", bytes("hi")).receivers());
        assertEquals(Mailbox.LOOK, one.await(System.nanoTime()));
        assertEquals(Mailbox.LOOK, two.await(System.nanoTime()));
        channels.release("news", one);
        channels.release("news", two);
        assertEquals(0, channels.mailboxCount());
    }

    @Test
    void historyIsCountedInEntriesAndBytesThroughEvictionAndExpiry() {
        for (String s : List.of("1", "22", "333", "4444")) {
            channels.publish("a", bytes(s));
        }
        assertEquals(3, channels.historyEntries());
        assertEquals(9, channels.historyBytes());
        clock.advance(TTL);
        channels.expireDue();
        assertEquals(0, channels.historyEntries());
        assertEquals(0, channels.historyBytes());
    }

    @Test
    void maxCutsTheLook() {
        for (String s : List.of("1", "2", "3")) {
            channels.publish("a", bytes(s));
        }
        assertEquals(3, look("a", 0).messages().size());
        var box = new Mailbox();
        Look look = channels.look("a", box, "ep", 0, false, 2);
        channels.release("a", box);
        assertEquals(List.of("1", "2"), texts(look));
    }

    @Test
    void aCursorOfAnotherProcessStartsBeforeEverythingWithAGap() {
        channels.publish("a", bytes("1"));
        var box = new Mailbox();
        Look look = channels.look("a", box, "other", arrival(), false, 10);
        channels.release("a", box);
        assertEquals(List.of("1"), texts(look));
        assertTrue(look.gap());
        assertEquals("ep", look.epoch());
    }

    @Test
    void aPollWithNoPositionYetStartsNowWithoutAGap() {
        channels.publish("a", bytes("old"));
        var box = new Mailbox();
        Look look = channels.look("a", box, Cursor.NO_EPOCH, 0, true, 10);
        channels.release("a", box);
        assertTrue(look.messages().isEmpty());
        assertFalse(look.gap());
        assertEquals("ep", look.epoch());
    }
}
