package io.loompush.server.net;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few Linux system calls the I/O layer makes, bound once through the
 * foreign function API. Reads, writes and epoll_ctl never block (the sockets
 * are non-blocking) and are bound as critical calls that take a Java array
 * as their buffer: no copy, no direct buffer, no lock. accept4 and
 * epoll_wait block, each on its own platform thread, and report errno.
 *
 * <p>Linux only; the numbers below are those of Linux on x86_64 and aarch64,
 * where only {@code struct epoll_event} differs (packed on x86_64).
 */
final class Sys {
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final int SHUT_WR = 1;
    static final int SHUT_RDWR = 2;
    static final int MSG_NOSIGNAL = 0x4000;

    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 0x1;
    static final int EPOLLOUT = 0x4;
    static final int EPOLLERR = 0x8;
    static final int EPOLLHUP = 0x10;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLONESHOT = 1 << 30;

    static final int EINTR = 4;
    static final int EMFILE = 24;
    static final int ENFILE = 23;

    /** sizeof(struct epoll_event): 12 packed on x86_64, 16 elsewhere. */
    static final int EPOLL_EVENT_SIZE;
    /** Where the 64-bit data of an epoll_event begins. */
    static final int EPOLL_DATA_OFFSET;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CRITICAL = Linker.Option.critical(true);
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final VarHandle ERRNO_VALUE = Linker.Option.captureStateLayout()
            .varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    static final long ERRNO_SIZE = Linker.Option.captureStateLayout().byteSize();

    private static final MethodHandle READ = critical("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SEND = critical("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle EPOLL_CTL = critical("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SETSOCKOPT = critical("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETPEERNAME = critical("getpeername",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKNAME = critical("getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle BIND = critical("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SHUTDOWN = critical("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = plain("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SOCKET = withErrno("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle LISTEN = withErrno("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = withErrno("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE1 = withErrno("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_WAIT = withErrno("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_POLL = critical("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle SOCKETPAIR = plain("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));

    static {
        String arch = System.getProperty("os.arch");
        boolean packed = arch.equals("amd64") || arch.equals("x86_64");
        EPOLL_EVENT_SIZE = packed ? 12 : 16;
        EPOLL_DATA_OFFSET = packed ? 4 : 8;
    }

    private Sys() {}

    /** @return the bytes read, 0 at the end of the stream, -1 when nothing is there or the socket failed */
    static long read(int fd, byte[] b, int off, int len) {
        try {
            return (long) READ.invokeExact(fd, MemorySegment.ofArray(b).asSlice(off, len), (long) len);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** @return the bytes sent, -1 when the send buffer is full or the socket failed */
    static long send(int fd, byte[] b, int off, int len) {
        try {
            return (long) SEND.invokeExact(fd, MemorySegment.ofArray(b).asSlice(off, len), (long) len, MSG_NOSIGNAL);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** @return 0, or -1 when the descriptor is not (or no longer) one epoll can watch */
    static int epollCtl(int epfd, int op, int fd, int events) {
        var event = new byte[16];
        var segment = MemorySegment.ofArray(event);
        segment.set(ValueLayout.JAVA_INT_UNALIGNED, 0, events);
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED, EPOLL_DATA_OFFSET, fd);
        try {
            return (int) EPOLL_CTL.invokeExact(epfd, op, fd, segment);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int setIntOption(int fd, int level, int name, int value) {
        try {
            return (int) SETSOCKOPT.invokeExact(fd, level, name, MemorySegment.ofArray(new int[] {value}), 4);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** Fills {@code address} (at least 28 bytes) with the peer's sockaddr; -1 when the socket is gone. */
    static int peerName(int fd, byte[] address) {
        try {
            return (int) GETPEERNAME.invokeExact(fd, MemorySegment.ofArray(address),
                    MemorySegment.ofArray(new int[] {address.length}));
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** Fills {@code address} (at least 28 bytes) with the socket's own sockaddr. */
    static int sockName(int fd, byte[] address) {
        try {
            return (int) GETSOCKNAME.invokeExact(fd, MemorySegment.ofArray(address),
                    MemorySegment.ofArray(new int[] {address.length}));
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int bind(int fd, byte[] address, int length) {
        try {
            return (int) BIND.invokeExact(fd, MemorySegment.ofArray(address), length);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int shutdown(int fd) {
        return shutdown(fd, SHUT_RDWR);
    }

    /** @param how {@link #SHUT_WR} or {@link #SHUT_RDWR} */
    static int shutdown(int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(fd, how);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** @param errno where errno is captured: {@link #ERRNO_SIZE} bytes of native memory */
    static int socket(MemorySegment errno, int family, int type) {
        try {
            return (int) SOCKET.invokeExact(errno, family, type, 0);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int listen(MemorySegment errno, int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(errno, fd, backlog);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** Blocks until a connection comes; the new socket is non-blocking. */
    static int accept(MemorySegment errno, int fd) {
        try {
            return (int) ACCEPT4.invokeExact(errno, fd, MemorySegment.NULL, MemorySegment.NULL,
                    SOCK_NONBLOCK | SOCK_CLOEXEC);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int epollCreate(MemorySegment errno) {
        try {
            return (int) EPOLL_CREATE1.invokeExact(errno, EPOLL_CLOEXEC);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    static int epollWait(MemorySegment errno, int epfd, MemorySegment events, int max, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(errno, epfd, events, max, timeoutMillis);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** epoll_wait without waiting (timeout 0): what is ready now; -1 on failure. */
    static int epollPoll(int epfd, MemorySegment events, int max) {
        try {
            return (int) EPOLL_POLL.invokeExact(epfd, events, max, 0);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** Two connected non-blocking Unix sockets: a socket pair for tests, with no network. */
    static int[] socketPair() {
        var fds = new int[2];
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var out = arena.allocate(JAVA_INT, 2);
            int rc = (int) SOCKETPAIR.invokeExact(1, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, out);
            if (rc != 0) {
                throw new IllegalStateException("socketpair failed");
            }
            fds[0] = out.getAtIndex(JAVA_INT, 0);
            fds[1] = out.getAtIndex(JAVA_INT, 1);
        } catch (Throwable e) {
            throw rethrow(e);
        }
        return fds;
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO_VALUE.get(state, 0L);
    }

    private static MethodHandle critical(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, CRITICAL);
    }

    private static MethodHandle plain(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    private static MethodHandle withErrno(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, ERRNO);
    }

    private static MemorySegment symbol(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsupportedOperationException("no " + name + " in the C library"));
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(e);
    }
}
