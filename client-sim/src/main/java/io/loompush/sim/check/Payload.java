package io.loompush.sim.check;

import java.nio.charset.StandardCharsets;

/**
 * What the simulator's publisher puts in every message, so that each client
 * can check it: {@code lp1 run=<run> ch=<channel> seq=<n> ts=<micros> xxx...}.
 * The run id tells this run's messages from a previous run's still kept in a
 * server's history; seq counts per channel from 1; ts is the publish time in
 * microseconds since the epoch (one clock for every process on the machine);
 * the padding brings the message to the size asked for.
 */
public record Payload(String run, String channel, long seq, long publishedMicros) {
    private static final String MAGIC = "lp1 ";

    /** @param size the whole payload in bytes; never less than the fields themselves */
    public byte[] encode(int size) {
        var text = new StringBuilder(Math.max(size, 64)).append(MAGIC).append("run=").append(run)
                .append(" ch=").append(channel).append(" seq=").append(seq).append(" ts=").append(publishedMicros)
                .append(' ');
        while (text.length() < size) {
            text.append('x');
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** @return the fields, or null when the text is not a simulator payload */
    public static Payload parse(String text) {
        if (!text.startsWith(MAGIC)) {
            return null;
        }
        String[] words = text.split(" ", 6);
        if (words.length < 5 || !words[1].startsWith("run=") || !words[2].startsWith("ch=")
                || !words[3].startsWith("seq=") || !words[4].startsWith("ts=")) {
            return null;
        }
        try {
            long seq = Long.parseLong(words[3].substring(4));
            long ts = Long.parseLong(words[4].substring(3));
            return seq < 1 ? null : new Payload(words[1].substring(4), words[2].substring(3), seq, ts);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
