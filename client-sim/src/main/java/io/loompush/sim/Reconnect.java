package io.loompush.sim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a reconnect run measured around the cut. Where the server has stats,
 * its {@code held} count must reach the clients before they count as held
 * again; a server that has not noticed the cut connections still counts their
 * polls, so that figure alone cannot tell new polls from dead ones, and the
 * clients' own count (a poll sent on a new connection, not answered) decides.
 * The server's figure at that moment shows how many dead polls it still held.
 *
 * @param cutAtSeconds            when, from the start of the load phase, the clients cut their connections
 * @param heldAgainSeconds        from the cut until every client held a poll on a new connection and the
 *                                server's stats (when it has them) counted at least as many held; null when
 *                                not within the load phase
 * @param serverHeldWhenHeldAgain the server's held polls then, beyond those before the run; null without stats
 * @param serverReleasedSeconds   from the cut until the server held no more polls than there are clients: it let
 *                                go of every cut one; null without stats, or when not in the load phase
 */
record Reconnect(double cutAtSeconds, Double heldAgainSeconds, Long serverHeldWhenHeldAgain,
                 Double serverReleasedSeconds) {
    Map<String, Object> toMap() {
        var map = new LinkedHashMap<String, Object>();
        map.put("cutAtSeconds", cutAtSeconds);
        map.put("heldAgainSeconds", heldAgainSeconds);
        map.put("serverHeldWhenHeldAgain", serverHeldWhenHeldAgain);
        map.put("serverReleasedSeconds", serverReleasedSeconds);
        return map;
    }
}
