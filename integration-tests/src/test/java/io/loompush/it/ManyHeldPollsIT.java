package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One publish reaches every poll held on its channel, each on its own socket and virtual thread. */
class ManyHeldPollsIT {
    private static final int POLLS = 2000;

    @Test
    @Timeout(90)
    void twoThousandHeldPollsAreAllAnsweredByOnePublish() throws Exception {
        var clients = new ConcurrentLinkedQueue<RawHttpClient>();
        try (var server = TestServer.start(); var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                var answers = new ArrayList<Future<PollAnswer>>(POLLS);
                for (int i = 0; i < POLLS; i++) {
                    answers.add(threads.submit(() -> {
                        var client = RawHttpClient.connect(server.port(), Duration.ofSeconds(60));
                        clients.add(client);
                        client.sendGet("/poll/news?timeout=30");
                        return PollAnswer.of(client.read());
                    }));
                }
                server.stats().awaitHeld(POLLS, POLLS, Duration.ofSeconds(40));

                long start = System.nanoTime();
                var published = server.publish("news", "extra, extra");
                List<PollAnswer> received = collect(answers, Duration.ofSeconds(30));
                var fanOut = Duration.ofNanos(System.nanoTime() - start);

                assertEquals(POLLS, published.receivers());
                for (var answer : received) {
                    assertEquals(List.of(new PollAnswer.Message("news", published.id(), "extra, extra", null)),
                            answer.messages());
                }
                System.out.printf("ManyHeldPollsIT: %d held polls answered %d ms after the publish%n",
                        POLLS, fanOut.toMillis());
            } finally {
                for (var client : clients) {
                    client.close();
                }
            }
        }
    }

    private static List<PollAnswer> collect(List<Future<PollAnswer>> answers, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        var received = new ArrayList<PollAnswer>(answers.size());
        for (var answer : answers) {
            received.add(answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        }
        return received;
    }
}
