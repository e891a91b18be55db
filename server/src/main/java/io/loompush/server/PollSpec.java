package io.loompush.server;

import java.time.Duration;

/**
 * A parsed subscription, a poll's or a stream's: all a held poll keeps of its request. The channel names are
 * sorted and distinct; {@code epochs}, {@code since} and {@code open} have one
 * entry per channel: the cursor's, or without one, the channel's position at
 * the poll's arrival.
 *
 * @param open        which channels had no position at arrival (not covered yet: the poll starts
 *                    where coverage begins)
 * @param timeout     a poll's hold (cut to its token's lifetime); a stream's lifetime, its token's,
 *                    or null when it has none
 * @param allowOrigin the CORS origin to answer with, or null
 * @param headOnly    a HEAD request: the answer without its body
 */
record PollSpec(String[] channels, String[] epochs, long[] since, boolean[] open, Duration timeout, int max,
                boolean keepAlive, String allowOrigin, boolean headOnly) {}
