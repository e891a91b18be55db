package io.loompush.server.push;

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
 *                                                     │ the client closed
 *                                                     └──> null: nothing to answer
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
    /** The held poll's client, as far as the poller needs it. */
    public interface Client {
        /** Asked when the client's socket turned readable: whether the client closed. */
        boolean gone();
    }

    /** How soon a poll tries again to read a shared history it could not read. */
    private static final long RETRY_NANOS = 1_000_000_000L;

    private final Channels channels;
    private final BooleanSupplier draining;

    public Poller(Channels channels, BooleanSupplier draining) {
        this.channels = channels;
        this.draining = draining;
    }

    /**
     * @param names  the poll's channels; replaced in place by the registry's own
     *               instances, so a held poll keeps no string of its request
     * @param epochs the epochs of {@code since}, replaced as positions move
     * @param since  the positions the poll starts after
     * @param open   which channels have no position yet (see {@link Channels#look})
     * @param wait   whether to hold when there is nothing to answer (false: a timeout of 0)
     * @param box    the owner's mailbox, which the owner's connection also tells when the hold's
     *               deadline passes ({@link Mailbox#expired}) and when the client's socket turns
     *               readable ({@link Mailbox#readable})
     * @param client asked when the socket turned readable whether it closed
     * @return the answer, or null when the client closed while held
     */
    public Batch hold(String[] names, String[] epochs, long[] since, boolean[] open, int max, boolean wait,
                      Mailbox box, Client client) {
        long[] at = since.clone();
        try {
            boolean timedOut = !wait;
            var retry = new boolean[1];
            Batch batch;
            while ((batch = lookAll(names, epochs, since, at, open, max, box, timedOut, retry)) == null) {
                int events = box.await(retry[0] ? System.nanoTime() + RETRY_NANOS : 0);
                if ((events & Mailbox.READABLE) != 0 && client.gone()) {
                    return null;
                }
                timedOut = (events & Mailbox.EXPIRED) != 0;
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
     * held poll keeps none of it. {@code since} is where the poll came in (for an
     * open channel, its arrival); {@code at} is where it stands now.
     */
    private Batch lookAll(String[] names, String[] epochs, long[] since, long[] at, boolean[] open, int max,
                          Mailbox box, boolean timedOut, boolean[] retry) {
        var looks = new Look[names.length];
        retry[0] = false;
        for (int i = 0; i < names.length; i++) {
            boolean wasOpen = open[i];
            Look look = channels.look(names[i], box, epochs[i], at[i], wasOpen, max);
            names[i] = look.channel();
            if (look.covered() && wasOpen) {
                epochs[i] = look.epoch();
                at[i] = look.since();
                open[i] = false;
            }
            if (look.behind()) {
                // A poll without a cursor starts a little before its arrival (see Channels.look), but
                // was promised only what came after it: what was trimmed before that is no gap.
                Look read = channels.backlog(look.channel(), epochs[i], at[i], wasOpen ? since[i] : at[i], max);
                retry[0] |= read == null;
                look = read != null ? read : Look.uncovered(look.channel(), epochs[i], at[i]);
            }
            looks[i] = look;
        }
        Batch batch = Batch.of(looks, epochs, at, max, box.take());
        boolean answer = !batch.messages().isEmpty() || batch.gap() || timedOut || draining.getAsBoolean();
        if (!answer) {
            // Nothing to say yet: a shared history read moves the poll up to where it stands.
            System.arraycopy(batch.epochs(), 0, epochs, 0, epochs.length);
            System.arraycopy(batch.positions(), 0, at, 0, at.length);
        }
        return answer ? batch : null;
    }
}
