package io.loompush.server.push;

/** The answer to a publish: the message's id and the held polls it was handed to. */
public record Published(String channel, String id, int receivers) {}
