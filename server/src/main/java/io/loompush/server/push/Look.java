package io.loompush.server.push;

import java.util.List;

/**
 * What one channel holds for a poll at one instant.
 *
 * @param channel  the registry's instance of the channel name
 * @param messages the messages after the poll's position, oldest first, at most max
 * @param more     whether more messages than max were there
 * @param position the cursor to return when all of them are taken
 * @param gap      whether messages between the poll's position and the first one are lost
 */
record Look(String channel, List<Message> messages, boolean more, long position, boolean gap) {}
