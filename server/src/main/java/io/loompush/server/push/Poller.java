package io.loompush.server.push;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Holds one poll until there is something to answer.
 *
 * <pre>
 *   look at every channel (registering the mailbox) ──> messages or gap ──> answer
 *        ^                                                  │ nothing
 *        └─ signalled by a publish or by coverage ── park <─┘
 *                                                     │ deadline passed or draining
 *                                                     └──> one last look ──> answer
 * </pre>
 *
 * The mailbox stays registered from the first look to the answer, and each
 * look registers and reads in one locked step, so a message published at any
 * point after the first look either is in a look or signals the mailbox.
 *
 * <p>A channel this node does not receive yet (a Redis subscription on its
 * way, or Redis down) is waited for: its look says nothing until coverage
 * begins, and then a fresh poll's start moves up to that moment.
 */
public final class Poller {
    private final Channels channels;
    private final BooleanSupplier draining;

    public Poller(Channels channels, BooleanSupplier draining) {
        this.channels = channels;
        this.draining = draining;
    }

    /**
     * @param names the poll's channels; replaced in place by the registry's own
     *        instances, so a held poll keeps no string of its request
     * @param since the positions the poll starts after
     * @param fresh whether {@code since} is the poll's arrival, not a client's cursor
     */
    public Batch hold(String[] names, long[] since, boolean fresh, int max, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long[] at = since.clone();
        boolean[] open = new boolean[names.length];
        Arrays.fill(open, fresh);
        var box = new Mailbox();
        try {
            boolean timedOut = timeout.isZero();
            Batch batch;
            while ((batch = lookAll(names, at, open, max, box, timedOut)) == null) {
                timedOut = !box.await(deadline);
            }
            return batch;
        } finally {
            for (String name : names) {
                channels.release(name, box);
            }
        }
    }

    /**
     * One look at every channel: the answer, or null when there is nothing to
     * answer yet. What it allocates is garbage before the poll parks again, so a
     * held poll keeps none of it.
     */
    private Batch lookAll(String[] names, long[] at, boolean[] open, int max, Mailbox box, boolean timedOut) {
        var looks = new Look[names.length];
        for (int i = 0; i < names.length; i++) {
            looks[i] = channels.look(names[i], box, at[i], open[i], max);
            names[i] = looks[i].channel();
            if (looks[i].covered() && open[i]) {
                at[i] = looks[i].since();
                open[i] = false;
            }
        }
        Batch batch = Batch.of(looks, at, max);
        boolean answer = !batch.messages().isEmpty() || batch.gap() || timedOut || draining.getAsBoolean();
        return answer ? batch : null;
    }
}
