package io.loompush.server.redis;

/**
 * How far the node's copy of a channel's stream goes back; see
 * {@link io.loompush.server.push.Coverage}, which adds the newest position.
 */
record Cover(String epoch, long since, long openFrom) {}
