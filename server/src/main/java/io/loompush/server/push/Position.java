package io.loompush.server.push;

/** A place in one channel's history: the history's epoch and a sequence number in it. */
public record Position(String epoch, long seq) {}
