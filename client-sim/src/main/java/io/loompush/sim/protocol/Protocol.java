package io.loompush.sim.protocol;

import io.loompush.sim.http.HttpResponse;
import io.loompush.sim.http.MalformedResponseException;
import java.util.List;

/**
 * How one kind of server is long-polled and published to. Each adapter is a
 * pair of functions over bytes: the next poll request from the cursor, and
 * the meaning of a response; both are unit tested on hand-written exchanges.
 */
public sealed interface Protocol permits Loompush, Nchan, SeedNode {
    /** The name given with --protocol. */
    String name();

    /** @param cursor what the previous answer left ({@link Answer.Messages#cursor()}), null for the first poll */
    byte[] pollRequest(Poll poll, String cursor);

    /** @param cursor the cursor the poll was sent with, kept when the answer brings no new one */
    Answer answer(HttpResponse response, String cursor) throws MalformedResponseException;

    /**
     * The HTTP request publishing {@code payload} to {@code channel}.
     *
     * @param token a bearer token, or null
     * @throws UnsupportedOperationException when this server takes no HTTP publish ({@link #httpPublish()})
     */
    byte[] publishRequest(String channel, byte[] payload, String host, String token);

    boolean publishAccepted(HttpResponse response);

    boolean httpPublish();

    /** Whether a plain Redis {@code PUBLISH <prefix><channel> <payload>} reaches its clients. */
    boolean redisPublish();

    /** Why these shared channels cannot be polled with this protocol, or null when they can. */
    String sharedChannelsProblem(List<String> shared);

    static Protocol named(String name) {
        return switch (name) {
            case "loompush" -> new Loompush();
            case "nchan" -> new Nchan();
            case "seed-node" -> new SeedNode();
            default -> throw new IllegalArgumentException("unknown protocol '" + name + "'");
        };
    }
}
