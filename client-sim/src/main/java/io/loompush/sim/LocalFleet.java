package io.loompush.sim;

import io.loompush.sim.check.StreamCheck;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The clients of one slice in this process: one virtual thread each,
 * started by a launcher at this slice's share of the ramp.
 */
final class LocalFleet implements Fleet {
    /** How long finish waits for the client threads to end after their connections were closed. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final SimConfig config;
    private final Slice slice;
    private final Tally tally;
    private final SimClient[] clients;
    private final Thread[] threads;
    private final Thread launcher;
    private volatile boolean stopping;
    /** How many cuts there were; written by the run's thread only. */
    private volatile int cutEpoch;

    /** @param log where the first violations and errors are printed */
    LocalFleet(SimConfig config, Slice slice, PrintStream log) {
        this.config = config;
        this.slice = slice;
        this.tally = new Tally(log);
        this.clients = new SimClient[slice.size()];
        this.threads = new Thread[slice.size()];
        String[] sharedNames = config.sharedChannels().toArray(String[]::new);
        for (int i = 0; i < clients.length; i++) {
            int index = slice.from() + i;
            String[] channels = new String[1 + sharedNames.length];
            channels[0] = SimConfig.clientChannel(index);
            System.arraycopy(sharedNames, 0, channels, 1, sharedNames.length);
            clients[i] = new SimClient(index, this, new StreamCheck(config.run(), channels));
        }
        this.launcher = Thread.ofPlatform().name("sim-launcher").daemon().unstarted(this::launch);
    }

    @Override
    public void start() {
        launcher.start();
    }

    @Override
    public Progress progress() {
        return tally.progress();
    }

    @Override
    public Histogram takeLatency() {
        return tally.takeLatency();
    }

    /** Raises the epoch first, so that a client connecting meanwhile takes the new one and is left alone. */
    @Override
    public void cut() {
        int epoch = cutEpoch + 1;
        cutEpoch = epoch;
        for (SimClient client : clients) {
            client.cut(epoch);
        }
    }

    @Override
    public String failure() {
        return null;
    }

    @Override
    public FleetResult finish(Published published) throws InterruptedException {
        stop();
        long trailing = 0;
        for (int i = 0; i < clients.length; i++) {
            trailing += clients[i].check().trailingLoss(published.forClient(slice.from() + i));
        }
        return tally.result(clients.length, trailing);
    }

    @Override
    public void abort() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    SimConfig config() {
        return config;
    }

    Tally tally() {
        return tally;
    }

    boolean stopping() {
        return stopping;
    }

    int cutEpoch() {
        return cutEpoch;
    }

    private void stop() throws InterruptedException {
        stopping = true;
        launcher.interrupt();
        launcher.join();
        for (SimClient client : clients) {
            client.abort();
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Thread thread : threads) {
            if (thread != null) {
                thread.interrupt();
            }
        }
        for (Thread thread : threads) {
            if (thread != null) {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
        }
    }

    /** Starts client k at k / rate seconds, where rate is this slice's share of --ramp. */
    private void launch() {
        double perSecond = Math.max(1.0, (double) config.ramp() * slice.size() / config.clients());
        long start = System.nanoTime();
        for (int k = 0; k < clients.length && !stopping; k++) {
            long due = start + (long) (k * 1e9 / perSecond);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    return;
                }
            }
            threads[k] = Thread.ofVirtual().name(SimConfig.clientChannel(slice.from() + k)).start(clients[k]);
        }
    }
}
