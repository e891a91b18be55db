package io.loompush.sim;

/** Where the publisher's messages go: the server over HTTP, or Redis. One per publisher lane, one thread at a time. */
sealed interface Sink extends AutoCloseable permits HttpSink, RedisSink {
    /**
     * ACCEPTED: the server took it. REFUSED: it certainly did not (an error
     * status, no connection). UNKNOWN: the connection failed after sending,
     * so the message may or may not have gone out.
     */
    enum Result { ACCEPTED, REFUSED, UNKNOWN }

    Result publish(String channel, byte[] payload);

    /** What went wrong with the last publish that was not accepted. */
    String problem();

    @Override
    void close();
}
