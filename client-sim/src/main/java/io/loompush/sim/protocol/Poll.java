package io.loompush.sim.protocol;

import java.util.List;

/**
 * What a client polls: its own channel (its client id) and the shared ones.
 *
 * @param host           the Host header value
 * @param timeoutSeconds how long the client asks the server to hold
 */
public record Poll(String client, List<String> shared, String host, long timeoutSeconds) {
    public Poll {
        shared = List.copyOf(shared);
    }
}
