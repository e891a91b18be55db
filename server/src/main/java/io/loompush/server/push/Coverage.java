package io.loompush.server.push;

/**
 * How much of a channel's history this node holds, as far as a poll is concerned.
 *
 * @param epoch    the history's epoch now
 * @param since    every message after this position reaches this node: a cursor at or after it
 *                 can be answered from the node's copy
 * @param openFrom where a poll that arrived while the channel was not covered starts: the last
 *                 position this node saw before coverage (re)started, so nothing published while
 *                 it waited is skipped
 * @param latest   the newest position this node has seen: where a poll arriving now without a
 *                 cursor starts
 */
public record Coverage(String epoch, long since, long openFrom, long latest) {}
