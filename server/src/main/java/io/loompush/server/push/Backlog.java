package io.loompush.server.push;

import java.util.List;

/**
 * What a shared history (a Redis stream) holds after a cursor.
 *
 * @param epoch    the history's epoch now: a cursor of another epoch gets the oldest messages and a gap
 * @param messages the messages after the cursor (or the oldest ones), oldest first
 * @param last     the newest position ever added, where the cursor moves when there is nothing new
 * @param gap      whether messages after the cursor are gone (trimmed, expired, or the history lost)
 */
public record Backlog(String epoch, List<Message> messages, long last, boolean gap) {}
