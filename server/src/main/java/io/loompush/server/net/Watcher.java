package io.loompush.server.net;

/**
 * What a held request waits on while its connection's thread is parked
 * elsewhere (a poll on its mailbox): told when the client's socket turns
 * readable (the client closed, or sent more) and when the hold's deadline
 * passes. Both are called from the I/O loop's thread and must only hand over.
 */
public interface Watcher {
    void readable();

    void expired();
}
