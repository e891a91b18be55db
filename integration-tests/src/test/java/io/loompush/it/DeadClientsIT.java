package io.loompush.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 2,000 clients that go away at once while their polls are held for a
 * minute are all let go within a second: their connections, threads,
 * mailboxes and the node's interest in their channels (here with Redis, so
 * the subscriptions go too, with no linger). Half close cleanly, half vanish
 * with a reset.
 */
class DeadClientsIT {
    private static final int CLIENTS = 2000;
    private static final Duration LET_GO_WITHIN = Duration.ofSeconds(1);

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void twoThousandClientsThatGoAwayWhileHeldAreLetGoWithinASecond() throws Exception {
        try (var redis = RedisFixture.running();
             var server = TestServer.start("--redis", redis.url(), "--subscription-linger", "0s")) {
            server.awaitHealthz(200, Duration.ofSeconds(10));
            var stats = server.stats();
            // The one connection left open is the stats reader's own (the health check's may still be closing).
            long baseline = 1;
            var clients = new ArrayList<RawHttpClient>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    var client = server.connect();
                    clients.add(client);
                    client.sendGet("/poll/dead" + i + ",everyone?timeout=60");
                }
                stats.awaitHeld(CLIENTS, 2 * CLIENTS, Duration.ofSeconds(30));
                redis.awaitChannels("push:dead1999", Set.of("push:dead1999"), Duration.ofSeconds(10));

                for (int i = 0; i < clients.size(); i++) {
                    if (i % 2 == 0) {
                        clients.get(i).abort();
                    } else {
                        clients.get(i).close();
                    }
                }
                stats.awaitUntil("every client let go", s ->
                        s.get("connections").equals(baseline) && s.get("connectionThreads").equals(baseline)
                                && s.get("held").equals(0L)
                                && s.get("mailboxes").equals(0L) && s.get("channels").equals(0L)
                                && Stats.redis(s, "wantedChannels") == 0, LET_GO_WITHIN);
                redis.awaitChannels("push:dead*", Set.of(), Duration.ofSeconds(5));
            } finally {
                for (var client : clients) {
                    client.close();
                }
            }
        }
    }
}
