package io.loompush.server.push;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One poll's answer: the messages, the cursor's epochs and positions (in the
 * order of the poll's channels) and which channels it reports a gap on.
 *
 * @param carried how many of the messages, at the start, were carried outside any history (a plain Redis
 *                PUBLISH): they move no position
 */
public record Batch(List<Message> messages, int carried, String[] epochs, long[] positions, boolean[] gaps) {

    /** Whether the answer reports a gap on any of its channels: the poll answer's {@code gap}. */
    public boolean gap() {
        for (boolean g : gaps) {
            if (g) {
                return true;
            }
        }
        return false;
    }

    /**
     * Merges the looks at a poll's channels: at most {@code max} messages, in
     * publish order (so oldest first within each channel). A channel moves past
     * its last message in the answer (so a one-channel cursor is that message's
     * id); a channel with nothing new moves to its look's position. A gap is
     * reported by the answer that moves its channel's position past it, and
     * only there: a channel whose messages {@code max} cut entirely stays
     * where it was, gap and all, for the next answer. Carried
     * messages (outside any history) come first and move no position.
     *
     * @param epochs  the epochs of {@code since}
     * @param carried messages outside any history, for this poll only
     */
    static Batch of(Look[] looks, String[] epochs, long[] since, int max, List<Message> carried) {
        var messages = new ArrayList<Message>(carried);
        for (Look look : looks) {
            messages.addAll(look.messages());
        }
        boolean cut = messages.size() > max;
        if (looks.length > 1) {
            messages.subList(carried.size(), messages.size()).sort(Comparator.comparingLong(Message::seq));
        }
        if (cut) {
            messages.subList(max, messages.size()).clear();
        }
        var answerEpochs = new String[looks.length];
        long[] positions = new long[looks.length];
        boolean[] gaps = new boolean[looks.length];
        for (int i = 0; i < looks.length; i++) {
            Look look = looks[i];
            Message last = lastOf(messages, carried.size(), look.channel());
            if (look.messages().isEmpty()) {
                answerEpochs[i] = look.epoch();
                positions[i] = look.position();
                gaps[i] = look.gap();
            } else if (last == null) {
                // max cut all of this channel's messages: it stays where it was, and so does its gap,
                // which the answer that moves it past the gap reports.
                answerEpochs[i] = epochs[i];
                positions[i] = since[i];
            } else {
                answerEpochs[i] = last.epoch();
                positions[i] = last.seq();
                gaps[i] = look.gap();
            }
        }
        return new Batch(List.copyOf(messages), Math.min(carried.size(), messages.size()), answerEpochs, positions, gaps);
    }

    /** The channel's last message in the answer, not counting the carried ones. */
    private static Message lastOf(List<Message> messages, int from, String channel) {
        Message last = null;
        for (int i = from; i < messages.size(); i++) {
            if (messages.get(i).channel().equals(channel)) {
                last = messages.get(i);
            }
        }
        return last;
    }
}
