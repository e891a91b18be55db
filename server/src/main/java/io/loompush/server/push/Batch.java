package io.loompush.server.push;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One poll's answer: the messages, the positions of the new cursor (in the
 * order of the poll's channels) and whether a gap was seen.
 */
public record Batch(List<Message> messages, long[] positions, boolean gap) {

    /**
     * Merges the looks at a poll's channels: at most {@code max} messages, in
     * publish order (so oldest first within each channel). A channel moves past
     * its last message in the answer (so a one-channel cursor is that message's
     * id); a channel with nothing new moves to its look's position.
     */
    static Batch of(Look[] looks, long[] since, int max) {
        var messages = new ArrayList<Message>();
        boolean gap = false;
        for (Look look : looks) {
            messages.addAll(look.messages());
            gap |= look.gap();
        }
        boolean cut = messages.size() > max;
        if (looks.length > 1) {
            messages.sort(Comparator.comparingLong(Message::seq));
        }
        if (cut) {
            messages.subList(max, messages.size()).clear();
        }
        long[] positions = new long[looks.length];
        for (int i = 0; i < looks.length; i++) {
            Look look = looks[i];
            int taken = countOf(messages, look.channel());
            if (look.messages().isEmpty()) {
                positions[i] = look.position();
            } else {
                positions[i] = taken == 0 ? since[i] : look.messages().get(taken - 1).seq();
            }
        }
        return new Batch(List.copyOf(messages), positions, gap);
    }

    private static int countOf(List<Message> messages, String channel) {
        int n = 0;
        for (Message m : messages) {
            if (m.channel().equals(channel)) {
                n++;
            }
        }
        return n;
    }
}
