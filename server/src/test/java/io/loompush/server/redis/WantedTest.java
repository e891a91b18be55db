package io.loompush.server.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The wanted set's linger, on a clock the test moves. */
class WantedTest {
    private static final long LINGER = 1000;
    private final AtomicLong now = new AtomicLong(5_000);
    private final Wanted wanted = new Wanted(LINGER, now::get);

    private Subscription subscribed(String channel) {
        Subscription s = wanted.want(channel);
        s.generation = 1;
        return s;
    }

    @Test
    void anUnwantedChannelIsDueExactlyAfterItsLinger() {
        subscribed("a");
        wanted.unwant("a");
        now.addAndGet(LINGER - 1);
        assertEquals(List.of(), wanted.due());
        assertNotNull(wanted.get("a"));
        now.addAndGet(1);
        assertEquals(List.of("a"), wanted.due());
        assertNull(wanted.get("a"));
        assertEquals(List.of(), wanted.due(), "once");
    }

    @Test
    void aChannelWantedAgainDuringItsLingerStays() {
        Subscription s = subscribed("a");
        wanted.unwant("a");
        now.addAndGet(LINGER / 2);
        assertSame(s, wanted.want("a"));
        now.addAndGet(LINGER);
        assertEquals(List.of(), wanted.due());
        assertSame(s, wanted.get("a"));
    }

    @Test
    void aChannelLetGoAgainLingersFromItsLatestRelease() {
        subscribed("a");
        wanted.unwant("a");
        now.addAndGet(LINGER / 2);
        wanted.want("a");
        wanted.unwant("a");
        now.addAndGet(LINGER / 2);
        assertEquals(List.of(), wanted.due(), "half of its latest linger has passed");
        now.addAndGet(LINGER / 2 - 1);
        assertEquals(List.of(), wanted.due());
        now.addAndGet(1);
        assertEquals(List.of("a"), wanted.due());
    }

    @Test
    void aChannelNeverSubscribedGoesWithoutAnUnsubscribe() {
        wanted.want("a");
        wanted.unwant("a");
        now.addAndGet(LINGER);
        assertEquals(List.of(), wanted.due());
        assertNull(wanted.get("a"));
        assertEquals(0, wanted.size());
    }
}
