package io.loompush.server.push;

import java.util.List;

/**
 * What a shared history (a Redis stream) holds after a cursor.
 *
 * @param epoch    the history's epoch now: a cursor of another epoch gets the oldest messages and a gap
 * @param messages the messages after the cursor (or the oldest ones), oldest first
 * @param last     the newest position ever added, where the cursor moves when there is nothing new
 * @param completeFrom the oldest position from which the history still holds everything up to these
 *                 messages: the entry before the first one, or {@code last} when there is none;
 *                 {@link Long#MAX_VALUE} when the cursor was of another epoch (the history was lost)
 */
public record Backlog(String epoch, List<Message> messages, long last, long completeFrom) {
    /** Whether messages after this position are gone: trimmed, expired, or the history lost. */
    public boolean gapAfter(long position) {
        return position < completeFrom;
    }
}
