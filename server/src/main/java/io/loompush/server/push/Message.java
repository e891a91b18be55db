package io.loompush.server.push;

/**
 * One published message. {@code seq} is its place in the process-wide id
 * sequence (see {@link MessageIds}); {@code channel} is the registry's own
 * instance of the name, shared by every message of the channel.
 */
public record Message(String channel, long seq, byte[] data) {}
