package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToIntFunction;

/**
 * The classic fleet of a fault test: client i follows its own channel
 * {@code u<i>} and the shared channel {@code news}, each on its own connection
 * and virtual thread ({@link Follower}).
 */
final class Followers implements AutoCloseable {
    static final String SHARED = "news";

    private final List<Follower> followers = new ArrayList<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private Followers(int count, Follower.Transport transport, int firstClient, List<Integer> ports, Duration hold) {
        for (int i = firstClient; i < firstClient + count; i++) {
            var follower = new Follower(own(i) + "," + SHARED, transport, ports, hold);
            followers.add(follower);
            threads.execute(follower);
        }
    }

    /** Starts {@code count} long-poll followers on the first of the nodes. */
    static Followers start(int count, List<Integer> ports, Duration hold) {
        return new Followers(count, Follower.Transport.POLL, 0, ports, hold);
    }

    /**
     * Starts {@code count} followers of the transport on the first of the nodes, clients
     * {@code firstClient} to {@code firstClient + count - 1}.
     */
    static Followers start(int count, Follower.Transport transport, int firstClient, List<Integer> ports) {
        return new Followers(count, transport, firstClient, ports, Duration.ofSeconds(20));
    }

    /** The own channel of client i. */
    static String own(int i) {
        return "u" + i;
    }

    /**
     * Waits until every follower has received as many messages as were
     * published on its channels, then stops them all.
     *
     * @return how long it took
     */
    Duration awaitAll(StreamPublisher publisher, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long expected = 0;
        for (var follower : followers) {
            for (String channel : follower.channels().split(",")) {
                expected += publisher.count(channel);
            }
        }
        long now;
        while ((now = total(Follower::messages)) < expected) {
            if (System.nanoTime() - deadline > 0) {
                close();
                fail("not within " + timeout + ": " + now + " of " + expected + " messages received; "
                        + summary() + "; first short client: " + firstShort(publisher));
            }
            Thread.sleep(50);
        }
        close();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * The promise of the protocol, checked per client and channel: every
     * message published, in order, each once, and not one {@code gap:true}, no
     * status but 200.
     */
    void assertEveryMessageInOrderWithoutGapOrError(StreamPublisher publisher) {
        for (var follower : followers) {
            assertEquals(List.of(), follower.errors(), () -> follower.channels() + ": errors");
            assertEquals(List.of(), follower.gaps(), () -> follower.channels() + ": gaps");
            follower.received().forEach((channel, data) ->
                    assertEquals(StreamPublisher.expected(channel, publisher.count(channel)), data,
                            () -> follower.channels() + ": channel " + channel));
        }
    }

    List<Follower> all() {
        return followers;
    }

    int total(ToIntFunction<Follower> figure) {
        return followers.stream().mapToInt(figure).sum();
    }

    String summary() {
        return followers.size() + " clients, " + total(Follower::messages) + " messages in "
                + total(Follower::answers) + " answers, " + total(f -> f.gaps().size()) + " gaps, "
                + total(f -> f.errors().size()) + " errors, " + total(Follower::drops) + " connections lost under a poll, "
                + total(Follower::moves) + " moves to another node";
    }

    /** Stops every follower and waits for their threads. */
    @Override
    public void close() {
        followers.forEach(Follower::stop);
        threads.close();
    }

    private String firstShort(StreamPublisher publisher) {
        for (var follower : followers) {
            for (var entry : follower.received().entrySet()) {
                if (entry.getValue().size() < publisher.count(entry.getKey())) {
                    var data = entry.getValue();
                    return follower.channels() + " has " + data.size() + " of " + publisher.count(entry.getKey())
                            + " on " + entry.getKey() + " (last " + (data.isEmpty() ? "none" : data.getLast())
                            + "), gaps " + follower.gaps() + ", errors " + follower.errors();
                }
            }
        }
        return "none (some received more than was published)";
    }
}
