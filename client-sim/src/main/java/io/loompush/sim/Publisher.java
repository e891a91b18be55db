package io.loompush.sim;

import io.loompush.sim.check.Payload;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The publisher inside the simulator. It numbers the messages of each
 * channel from 1 and stamps each with its publish time ({@link Payload}).
 *
 * <p>It sends on {@code --publishers} lanes, each with its own connection
 * and thread; channel i always goes through lane i modulo the lane count, so
 * the messages of one channel leave one after another and their order on
 * the wire is their numbering. Each channel's count is written by its lane
 * only and read after the lanes have ended.
 */
final class Publisher implements AutoCloseable {
    /** Problems printed as they happen; the summary counts them all. */
    private static final int MAX_PROBLEMS_SHOWN = 5;

    private final SimConfig config;
    private final Sink[] lanes;
    private final long[] clientCounts;
    private final long[] sharedCounts;
    private final LongAdder sent = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final AtomicLong problems = new AtomicLong();
    private final PrintStream log;

    Publisher(SimConfig config, Supplier<Sink> sinks, PrintStream log) {
        this.config = config;
        this.lanes = new Sink[Math.min(config.publishers(), config.clients())];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = sinks.get();
        }
        this.clientCounts = new long[config.clients()];
        this.sharedCounts = new long[config.sharedChannels().size()];
        this.log = log;
    }

    static Sink sinkFor(SimConfig config) {
        return switch (config.publishVia()) {
            case HTTP -> new HttpSink(config);
            case REDIS -> new RedisSink(config);
        };
    }

    /** Active: one message to every client's own channel, at --rate over all lanes; stops at the deadline. */
    void toEveryClient(long deadlineNanos) throws InterruptedException {
        onEveryLane((lane, pacer) -> {
            for (int i = lane; i < clientCounts.length && System.nanoTime() < deadlineNanos; i += lanes.length) {
                if (!pacer.await(deadlineNanos)) {
                    return;
                }
                publishToClient(lane, i);
            }
        });
    }

    /** Unicast: --rate messages per second, over all lanes, each to a random client's own channel, for {@code duration}. */
    void toRandomClients(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        onEveryLane((lane, pacer) -> {
            int owned = (clientCounts.length - lane + lanes.length - 1) / lanes.length;
            while (System.nanoTime() < deadline && pacer.await(deadline)) {
                publishToClient(lane, lane + lanes.length * ThreadLocalRandom.current().nextInt(owned));
            }
        });
    }

    /** Fanout: one message to each shared channel, now, from the calling thread. */
    void toSharedChannels() {
        for (int s = 0; s < sharedCounts.length; s++) {
            String channel = config.sharedChannels().get(s);
            long seq = sharedCounts[s] + 1;
            if (send(lanes[s % lanes.length], channel, seq)) {
                sharedCounts[s] = seq;
            }
        }
    }

    /** What was sent per channel, as the clients will check it; call when no lane is running. */
    Published published() {
        return new Published(0, clientCounts.clone(), sharedCounts.clone());
    }

    long sent() {
        return sent.sum();
    }

    Map<String, Object> figures() {
        var map = new LinkedHashMap<String, Object>();
        map.put("sent", sent.sum());
        map.put("refused", refused.sum());
        map.put("unknown", unknown.sum());
        map.put("via", config.publishVia().name().toLowerCase());
        map.put("lanes", (long) lanes.length);
        return map;
    }

    long failures() {
        return refused.sum() + unknown.sum();
    }

    @Override
    public void close() {
        for (Sink lane : lanes) {
            lane.close();
        }
    }

    private void publishToClient(int lane, int client) {
        long seq = clientCounts[client] + 1;
        if (send(lanes[lane], SimConfig.clientChannel(client), seq)) {
            clientCounts[client] = seq;
        }
    }

    /** @return whether the number was used: the message went out, or may have */
    private boolean send(Sink sink, String channel, long seq) {
        byte[] payload = new Payload(config.run(), channel, seq, Micros.now()).encode(config.messageBytes());
        return switch (sink.publish(channel, payload)) {
            case ACCEPTED -> {
                sent.increment();
                yield true;
            }
            case REFUSED -> {
                refused.increment();
                problem(sink.problem());
                yield false;
            }
            case UNKNOWN -> {
                unknown.increment();
                problem(sink.problem() + " (it may have gone out: counted as sent)");
                yield true;
            }
        };
    }

    private void problem(String line) {
        long seen = problems.incrementAndGet();
        if (seen <= MAX_PROBLEMS_SHOWN) {
            log.println("client-sim: publisher: " + line);
        }
    }

    private interface LaneWork {
        void run(int lane, Pacer pacer);
    }

    /** Runs the work on every lane at once, each lane at its share of --rate, and waits for all. */
    private void onEveryLane(LaneWork work) throws InterruptedException {
        var threads = new ArrayList<Thread>(lanes.length);
        for (int lane = 0; lane < lanes.length; lane++) {
            int l = lane;
            threads.add(Thread.ofVirtual().name("sim-publisher-" + lane)
                    .start(() -> work.run(l, new Pacer((double) config.rate() / lanes.length))));
        }
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } finally {
            threads.forEach(Thread::interrupt);
        }
    }

    /** Spaces a lane's messages evenly: the n-th is due at n / rate seconds; a rate of 0 means no spacing. */
    private static final class Pacer {
        private final double perSecond;
        private final long start = System.nanoTime();
        private long n;

        Pacer(double perSecond) {
            this.perSecond = perSecond;
        }

        /** @return false when the next message would be due after the deadline, or the lane was interrupted */
        boolean await(long deadlineNanos) {
            if (perSecond <= 0) {
                return !Thread.currentThread().isInterrupted();
            }
            long due = start + (long) (n++ * 1e9 / perSecond);
            if (due >= deadlineNanos) {
                return false;
            }
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
            }
            return true;
        }
    }
}
