package io.loompush.server;

import java.time.Duration;

/**
 * A parsed poll: all a held poll keeps of its request. The channel names are
 * sorted and distinct, and {@code since} has one position per channel
 * (the instant of arrival when the client sent no cursor).
 *
 * @param fresh       whether {@code since} is the arrival, the client having sent no cursor
 * @param allowOrigin the CORS origin to answer with, or null
 */
record PollSpec(String[] channels, long[] since, boolean fresh, Duration timeout, int max, boolean keepAlive,
                String allowOrigin) {}
