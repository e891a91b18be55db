package io.loompush.server.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cap on history bytes over all channels: the oldest messages go first, and a poll that needed one gets a gap. */
class HistoryCapTest {
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final long CAP = 10;

    private final TestClock clock = new TestClock();
    private final MessageIds ids = new MessageIds("ep", clock);
    private final Channels channels = new Channels(ids, Feed.local("ep"), clock, 64, TTL, CAP);

    private Look look(String channel, long since) {
        var box = new Mailbox();
        try {
            return channels.look(channel, box, "ep", since, false, 100);
        } finally {
            channels.release(channel, box);
        }
    }

    private static List<String> texts(Look look) {
        return look.messages().stream().map(m -> new String(m.data())).toList();
    }

    /** Publishes one millisecond after the one before, so that which message is oldest is plain. */
    private void publish(String channel, String data) {
        clock.advance(Duration.ofMillis(1));
        channels.publish(channel, data.getBytes());
    }

    @Test
    void atTheCapEveryMessageIsKept() {
        long start = ids.position();
        publish("a", "aaaaa");
        publish("b", "bbbbb");

        assertEquals(CAP, channels.historyBytes());
        assertEquals(List.of("aaaaa"), texts(look("a", start)));
        assertFalse(look("a", start).gap());
        assertEquals(List.of("bbbbb"), texts(look("b", start)));
    }

    @Test
    void oneByteOverTheCapShedsTheOldestMessageAndItsPollsGetAGap() {
        long start = ids.position();
        publish("a", "aaaaa");
        publish("b", "bbbbb");
        publish("c", "c");

        assertEquals(6, channels.historyBytes());
        Look a = look("a", start);
        assertEquals(List.of(), texts(a));
        assertTrue(a.gap(), "the message shed from a was never seen");
        assertEquals(List.of("bbbbb"), texts(look("b", start)));
        assertFalse(look("b", start).gap());
        assertEquals(List.of("c"), texts(look("c", start)));
    }

    @Test
    void theOldestGoFirstAcrossChannels() {
        long start = ids.position();
        publish("a", "1111");
        publish("b", "2222");
        publish("a", "3333");
        assertEquals(8, channels.historyBytes(), "a's 1111 went first");
        publish("c", "ccc");
        assertEquals(7, channels.historyBytes(), "then b's 2222, older than a's 3333");

        assertEquals(List.of("3333"), texts(look("a", start)));
        assertTrue(look("a", start).gap());
        assertEquals(List.of(), texts(look("b", start)));
        assertTrue(look("b", start).gap());
        assertEquals(List.of("ccc"), texts(look("c", start)));
        long afterShed = look("a", start).messages().getFirst().seq() - 1;
        assertFalse(look("a", afterShed).gap(), "a cursor after what was shed missed nothing");
    }

    @Test
    void aChannelTheCapEmptiedStaysUntilItsMessageWouldHaveExpiredAndItsGapOutlivesIt() {
        long start = ids.position();
        publish("a", "aaaaa");
        publish("b", "bbbbbbbbbb");
        assertEquals(2, channels.channelCount(), "a, emptied, stays for its gap proof");
        assertTrue(look("a", start).gap());

        long fresh = ids.position();
        assertFalse(look("a", fresh).gap());

        clock.advance(TTL);
        channels.expireDue();
        assertEquals(0, channels.channelCount());
        assertTrue(look("a", start).gap(), "a recreated channel still reports what the cap shed");
    }

    @Test
    void aMessageOverTheCapIsShedAtOnceAndSaysGapToThePollsHeldForIt() {
        long start = ids.position();
        var box = new Mailbox();
        assertTrue(channels.look("a", box, "ep", start, false, 100).messages().isEmpty());

        publish("a", "0123456789X");

        assertEquals(Mailbox.LOOK, box.await(System.nanoTime()));
        Look look = channels.look("a", box, "ep", start, false, 100);
        channels.release("a", box);
        assertEquals(0, channels.historyBytes());
        assertEquals(List.of(), texts(look));
        assertTrue(look.gap());
    }

    @Test
    void aChannelTheCapEmptiedTakesNewMessagesAndExpiresAsUsual() {
        publish("a", "aaaaa");
        publish("b", "bbbbbbbbbb");
        publish("b", "b");
        publish("a", "a");
        assertEquals(2, channels.historyBytes());

        clock.advance(TTL);
        channels.expireDue();
        assertEquals(0, channels.historyBytes());
        assertEquals(0, channels.channelCount());
    }
}
