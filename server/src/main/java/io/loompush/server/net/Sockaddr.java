package io.loompush.server.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** {@code struct sockaddr_in} and {@code sockaddr_in6} as Linux lays them out: family in host order, port in network order. */
final class Sockaddr {
    /** sizeof(struct sockaddr_in6), the larger of the two. */
    static final int MAX_LENGTH = 28;
    private static final int IN_LENGTH = 16;

    private Sockaddr() {}

    static int family(InetAddress address) {
        return address instanceof Inet6Address ? Sys.AF_INET6 : Sys.AF_INET;
    }

    /** @return the bytes to bind to; their length is the sockaddr's */
    static byte[] of(InetAddress address, int port) {
        byte[] raw = address.getAddress();
        var bytes = new byte[address instanceof Inet4Address ? IN_LENGTH : MAX_LENGTH];
        int family = family(address);
        bytes[0] = (byte) family;
        bytes[1] = (byte) (family >> 8);
        bytes[2] = (byte) (port >> 8);
        bytes[3] = (byte) port;
        if (address instanceof Inet6Address v6) {
            System.arraycopy(raw, 0, bytes, 8, 16);
            int scope = v6.getScopeId();
            bytes[24] = (byte) scope;
            bytes[25] = (byte) (scope >> 8);
            bytes[26] = (byte) (scope >> 16);
            bytes[27] = (byte) (scope >> 24);
        } else {
            System.arraycopy(raw, 0, bytes, 4, 4);
        }
        return bytes;
    }

    static int port(byte[] sockaddr) {
        return (sockaddr[2] & 0xFF) << 8 | sockaddr[3] & 0xFF;
    }

    static InetAddress address(byte[] sockaddr) throws UnknownHostException {
        int family = sockaddr[0] & 0xFF | (sockaddr[1] & 0xFF) << 8;
        return family == Sys.AF_INET6
                ? InetAddress.getByAddress(Arrays.copyOfRange(sockaddr, 8, 24))
                : InetAddress.getByAddress(Arrays.copyOfRange(sockaddr, 4, 8));
    }
}
