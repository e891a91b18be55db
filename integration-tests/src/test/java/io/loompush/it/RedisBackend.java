package io.loompush.it;

import java.io.IOException;

/** How a {@link RedisFixture}'s Redis runs: a process the test starts, or a container. */
sealed interface RedisBackend permits RedisBinary, RedisContainer {
    String host();

    void start() throws IOException;

    void stop();

    /** Freezes (true) or thaws (false) Redis: its connections stay open and get no answer. */
    void freeze(boolean frozen) throws IOException;

    /** Stopped for good; whatever it left on disk is removed. */
    void close();

    /** Fails the test when Redis is known to have exited (a process that died on start). */
    void assertRunning();

    /** Where a failure message can send the reader. */
    String describe();
}
