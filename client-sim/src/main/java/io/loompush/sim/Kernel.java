package io.loompush.sim;

import com.sun.management.UnixOperatingSystemMXBean;
import io.loompush.sim.probe.ProcFiles;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * The kernel settings that bound how many connections one machine opens:
 * the open-files limit of this process (one descriptor per connection) and
 * the ephemeral port range (one port per connection and source address).
 *
 * @param somaxconn the accept queue cap the server's listen backlog gets, or null where unreadable
 */
record Kernel(long openFilesLimit, int portLow, int portHigh, Integer somaxconn) {
    /** Assumed where the JVM cannot tell the open-files limit (not Unix). */
    private static final long UNKNOWN_OPEN_FILES_LIMIT = 1024;
    /** Linux's default ip_local_port_range, assumed where /proc cannot be read. */
    private static final int DEFAULT_PORT_LOW = 32768;
    private static final int DEFAULT_PORT_HIGH = 60999;

    static Kernel read() {
        long openFiles = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount()
                : UNKNOWN_OPEN_FILES_LIMIT;
        int low = DEFAULT_PORT_LOW;
        int high = DEFAULT_PORT_HIGH;
        String range = readProc("/proc/sys/net/ipv4/ip_local_port_range");
        if (range != null) {
            String[] words = range.strip().split("\\s+");
            if (words.length == 2) {
                low = Integer.parseInt(words[0]);
                high = Integer.parseInt(words[1]);
            }
        }
        String somaxconn = readProc("/proc/sys/net/core/somaxconn");
        return new Kernel(openFiles, low, high, somaxconn == null ? null : Integer.valueOf(somaxconn.strip()));
    }

    /** Ports one source address can use towards one server address. */
    int ephemeralPorts() {
        return portHigh - portLow + 1;
    }

    String describe() {
        return "open files " + openFilesLimit + " per process, ephemeral ports " + portLow + "-" + portHigh
                + " (" + ephemeralPorts() + " per source address)"
                + (somaxconn == null ? "" : ", somaxconn " + somaxconn);
    }

    private static String readProc(String path) {
        return ProcFiles.read(Path.of(path));
    }
}
