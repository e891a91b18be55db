package io.loompush.sim;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The simulator loads loopback only: 127.0.0.0/8 and ::1. */
final class Loopback {
    private Loopback() {}

    static void require(InetAddress address, String flag) throws UsageException {
        if (!address.isLoopbackAddress()) {
            throw new UsageException(flag + ": " + address.getHostAddress()
                    + " is not a loopback address; the simulator targets 127.0.0.0/8 and ::1 only");
        }
    }

    static boolean sameFamily(InetAddress a, InetAddress b) {
        return (a instanceof Inet4Address) == (b instanceof Inet4Address);
    }
}
