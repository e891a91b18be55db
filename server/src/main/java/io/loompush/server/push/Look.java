package io.loompush.server.push;

import java.util.List;

/**
 * What one channel holds for a poll at one instant.
 *
 * @param channel  the registry's instance of the channel name
 * @param covered  whether this node receives the channel's messages now; when
 *                 not, the look has nothing and says nothing about gaps yet
 * @param behind   whether the poll's position is older than this node's copy
 *                 goes back, so the shared history must be read
 * @param epoch    the epoch of {@code since} and {@code position}
 * @param since    the position the look started after (a fresh poll's arrival
 *                 moves up to the moment coverage began)
 * @param messages the messages after {@code since}, oldest first, at most max
 * @param position the cursor to return when there is nothing new
 * @param gap      whether messages between {@code since} and the first one may be lost
 */
record Look(String channel, boolean covered, boolean behind, String epoch, long since, List<Message> messages,
            long position, boolean gap) {

    static Look uncovered(String channel, String epoch, long since) {
        return new Look(channel, false, false, epoch, since, List.of(), since, false);
    }

    static Look behind(String channel, String epoch, long since) {
        return new Look(channel, true, true, epoch, since, List.of(), since, false);
    }
}
