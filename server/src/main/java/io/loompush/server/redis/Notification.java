package io.loompush.server.redis;

import java.nio.charset.StandardCharsets;

/**
 * What {@code loompush_publish} sends subscribers, next to the entry it adds:
 * {@code \0lp1 <epoch> <id> <previous id>\n<payload>}. Anything else on the
 * channel is a plain PUBLISH from a backend.
 *
 * @param previous the position of the entry before this one in the stream, so a
 *                 subscriber sees at once whether it missed one
 */
record Notification(String epoch, long position, long previous, byte[] payload) {
    private static final byte[] MAGIC = "\0lp1 ".getBytes(StandardCharsets.US_ASCII);
    /** The head is short: an epoch and two stream ids. */
    private static final int MAX_HEAD = 128;

    /** The notification in a pub/sub message, or null when it is a plain PUBLISH. */
    static Notification parse(byte[] message) {
        if (message.length < MAGIC.length || !startsWithMagic(message)) {
            return null;
        }
        int end = -1;
        for (int i = MAGIC.length; i < Math.min(message.length, MAX_HEAD); i++) {
            if (message[i] == '\n') {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return null;
        }
        String[] head = new String(message, MAGIC.length, end - MAGIC.length, StandardCharsets.US_ASCII).split(" ");
        if (head.length != 3 || head[0].isEmpty()) {
            return null;
        }
        try {
            var payload = new byte[message.length - end - 1];
            System.arraycopy(message, end + 1, payload, 0, payload.length);
            return new Notification(head[0], StreamIds.position(head[1]), StreamIds.position(head[2]), payload);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean startsWithMagic(byte[] message) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (message[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
