package io.loompush.server.push;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Holds one poll until there is something to answer.
 *
 * <pre>
 *   look at every channel (registering the mailbox) ──> messages or gap ──> answer
 *        ^                                                  │ nothing
 *        └──── signalled by a publish ── park on mailbox <──┘
 *                                          │ deadline passed or draining
 *                                          └──> one last look ──> answer
 * </pre>
 *
 * The mailbox stays registered from the first look to the answer, and each
 * look registers and reads in one locked step, so a message published at any
 * point after the first look either is in a look or signals the mailbox.
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
     */
    public Batch hold(String[] names, long[] since, int max, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        var box = new Mailbox();
        var looks = new Look[names.length];
        try {
            boolean timedOut = timeout.isZero();
            while (true) {
                for (int i = 0; i < names.length; i++) {
                    looks[i] = channels.look(names[i], box, since[i], max);
                    names[i] = looks[i].channel();
                }
                Batch batch = Batch.of(looks, since, max);
                if (!batch.messages().isEmpty() || batch.gap() || timedOut || draining.getAsBoolean()) {
                    return batch;
                }
                timedOut = !box.await(deadline);
            }
        } finally {
            for (String name : names) {
                channels.release(name, box);
            }
        }
    }
}
