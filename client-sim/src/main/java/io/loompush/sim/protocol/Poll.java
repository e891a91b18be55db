package io.loompush.sim.protocol;

import java.util.List;

/**
 * What a client polls: its own channel (its client id) and the shared ones.
 *
 * @param host           the Host header value
 * @param timeoutSeconds how long the client asks the server to hold
 * @param token          the subscription token (loompush: sent as {@code Authorization: Bearer}), or null
 */
public record Poll(String client, List<String> shared, String host, long timeoutSeconds, String token) {
    public Poll {
        shared = List.copyOf(shared);
    }
}
