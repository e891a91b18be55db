package io.loompush.server.net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.net.InetAddress;
import java.net.SocketException;

/**
 * The listening socket. {@link #accept} blocks its (platform) thread and
 * gives non-blocking sockets, as descriptors for {@link Link#open}.
 * {@link #close} from another thread shuts the socket down first, which is
 * what makes a thread blocked in accept(2) return on Linux.
 */
public final class Listener implements AutoCloseable {
    /** What {@link #accept} returns once the listener is closed. */
    public static final int CLOSED = -1;

    private final int fd;
    private final int port;
    private final Arena arena = Arena.ofShared();
    /** errno of the accepting thread's calls; one thread accepts. */
    private final MemorySegment errno = arena.allocate(Sys.ERRNO_SIZE, 8);
    private volatile boolean closed;
    private boolean released;

    private Listener(int fd, int port) {
        this.fd = fd;
        this.port = port;
    }

    public static Listener open(InetAddress host, int port, int backlog) throws IOException {
        try (var setup = Arena.ofConfined()) {
            var errno = setup.allocate(Sys.ERRNO_SIZE, 8);
            int fd = Sys.socket(errno, Sockaddr.family(host), Sys.SOCK_STREAM | Sys.SOCK_CLOEXEC);
            if (fd < 0) {
                throw new SocketException("socket(2) failed: errno " + Sys.errno(errno));
            }
            Sys.setIntOption(fd, Sys.SOL_SOCKET, Sys.SO_REUSEADDR, 1);
            byte[] address = Sockaddr.of(host, port);
            if (Sys.bind(fd, address, address.length) != 0) {
                Sys.close(fd);
                throw new BindException("cannot bind " + host.getHostAddress() + ":" + port
                        + " (in use, or not an address of this machine)");
            }
            if (Sys.listen(errno, fd, backlog) != 0) {
                int error = Sys.errno(errno);
                Sys.close(fd);
                throw new SocketException("listen(2) failed: errno " + error);
            }
            var bound = new byte[Sockaddr.MAX_LENGTH];
            Sys.sockName(fd, bound);
            return new Listener(fd, Sockaddr.port(bound));
        }
    }

    public int port() {
        return port;
    }

    public boolean isOpen() {
        return !closed;
    }

    /**
     * Waits for the next connection.
     *
     * @return its descriptor, or {@link #CLOSED} once the listener is closed
     * @throws IOException accept failed (most often for want of descriptors); the caller backs off
     */
    public int accept() throws IOException {
        int client = Sys.accept(errno, fd);
        if (client >= 0) {
            return client;
        }
        if (closed) {
            return CLOSED;
        }
        int error = Sys.errno(errno);
        throw new SocketException(switch (error) {
            case Sys.EMFILE -> "too many open files in this process";
            case Sys.ENFILE -> "too many open files in the system";
            default -> "accept(2) failed: errno " + error;
        });
    }

    /** Sends a short answer on a socket just accepted and closes it (the 503 of a full server). */
    public static void refuse(int client, byte[] answer) {
        Sys.send(client, answer, 0, answer.length);
        Sys.close(client);
    }

    /** Closes a socket never handed to a connection. */
    public static void discard(int client) {
        Sys.close(client);
    }

    /** Stops accepting: wakes a thread blocked in accept; call {@link #release} once it has left. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Sys.shutdown(fd);
        }
    }

    /** Frees the descriptor once no thread accepts on it any more; closes first if need be. Idempotent. */
    public synchronized void release() {
        close();
        if (!released) {
            released = true;
            Sys.close(fd);
            arena.close();
        }
    }
}
