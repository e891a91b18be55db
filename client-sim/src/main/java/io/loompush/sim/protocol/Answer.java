package io.loompush.sim.protocol;

import java.util.List;

/** What one poll response means to a simulated client. */
public sealed interface Answer {
    /**
     * Zero or more messages (none: the hold timed out) and where to poll from next.
     *
     * @param cursor what the next poll sends back, opaque to the client; null when the protocol has none
     * @param gap    the server said it cannot prove nothing was missed
     */
    record Messages(List<Delivery> deliveries, String cursor, boolean gap) implements Answer {
        public Messages {
            deliveries = List.copyOf(deliveries);
        }
    }

    /** The server refused the poll: an error status. */
    record Refused(int status, String reason) implements Answer {}

    /** @param channel the channel the server says the message came from, or null when the protocol does not say */
    record Delivery(String channel, String data) {}
}
