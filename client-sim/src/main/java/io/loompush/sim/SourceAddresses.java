package io.loompush.sim;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The local addresses connections are bound to before connecting. One
 * source address reaches one server address from at most the ephemeral
 * port range (28,232 ports with Linux's default); on Linux every address of
 * 127.0.0.0/8 is local, so spreading over 127.0.0.2, 127.0.0.3, ... gets
 * past that limit with no setup. Client i uses address i modulo the count.
 */
record SourceAddresses(List<InetAddress> addresses) {
    /** The most addresses one list may name: far more than any run needs. */
    static final int MAX_ADDRESSES = 4096;
    /** With --source-addrs auto, each address carries at most this share of the port range. */
    static final int AUTO_PORT_SHARE_DIVISOR = 4;
    /** Where auto starts: 127.0.0.1 is left to everything else on the machine. */
    private static final int AUTO_FIRST_IPV4 = 0x7F000002;

    SourceAddresses {
        addresses = List.copyOf(addresses);
    }

    InetAddress forClient(int index) {
        return addresses.get(index % addresses.size());
    }

    /** The most connections any one address carries for {@code clients} clients. */
    int perAddress(int clients) {
        return (clients + addresses.size() - 1) / addresses.size();
    }

    /**
     * Parses {@code auto}, or addresses and inclusive IPv4 ranges separated by
     * commas: {@code 127.0.0.2-127.0.0.40,127.0.1.1}.
     *
     * @param target the server's address: sources must be of its family
     */
    static SourceAddresses parse(String value, InetAddress target, int clients, int ephemeralPorts, String flag)
            throws UsageException {
        if (value.strip().equals("auto")) {
            return auto(target, clients, ephemeralPorts);
        }
        var addresses = new ArrayList<InetAddress>();
        for (String part : value.split(",")) {
            String item = part.strip();
            int dash = item.indexOf('-');
            if (dash < 0) {
                addresses.add(address(item, flag));
            } else {
                range(address(item.substring(0, dash), flag), address(item.substring(dash + 1), flag), addresses, flag);
            }
            if (addresses.size() > MAX_ADDRESSES) {
                throw new UsageException(flag + ": more than " + MAX_ADDRESSES + " addresses");
            }
        }
        for (InetAddress address : addresses) {
            Loopback.require(address, flag);
            if (!Loopback.sameFamily(address, target)) {
                throw new UsageException(flag + ": " + address.getHostAddress() + " cannot reach "
                        + target.getHostAddress() + " (another address family)");
            }
        }
        return new SourceAddresses(addresses);
    }

    /** Enough of 127.0.0.2, 127.0.0.3, ... that none carries over a quarter of the port range; ::1 alone for IPv6. */
    private static SourceAddresses auto(InetAddress target, int clients, int ephemeralPorts) {
        if (!(target instanceof Inet4Address)) {
            return new SourceAddresses(List.of(target));
        }
        int share = Math.max(1, ephemeralPorts / AUTO_PORT_SHARE_DIVISOR);
        int count = Math.min(MAX_ADDRESSES, (clients + share - 1) / share);
        var addresses = new ArrayList<InetAddress>(count);
        for (int i = 0; i < count; i++) {
            addresses.add(ipv4(AUTO_FIRST_IPV4 + i));
        }
        return new SourceAddresses(addresses);
    }

    private static void range(InetAddress first, InetAddress last, List<InetAddress> into, String flag)
            throws UsageException {
        if (!(first instanceof Inet4Address) || !(last instanceof Inet4Address)) {
            throw new UsageException(flag + ": ranges are IPv4 only");
        }
        long from = Integer.toUnsignedLong(bits(first));
        long to = Integer.toUnsignedLong(bits(last));
        if (to < from) {
            throw new UsageException(flag + ": range " + first.getHostAddress() + "-" + last.getHostAddress()
                    + " ends before it starts");
        }
        if (to - from + 1 > MAX_ADDRESSES) {
            throw new UsageException(flag + ": more than " + MAX_ADDRESSES + " addresses");
        }
        for (long a = from; a <= to; a++) {
            into.add(ipv4((int) a));
        }
    }

    private static InetAddress address(String text, String flag) throws UsageException {
        // Literal addresses only: a host name here would be a lookup per range end, and a surprise.
        if (!text.matches("[0-9.]+|[0-9A-Fa-f:]+|\\[[0-9A-Fa-f:]+]")) {
            throw new UsageException(flag + ": '" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new UsageException(flag + ": '" + text + "' is not an IP address");
        }
    }

    private static int bits(InetAddress address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private static InetAddress ipv4(int bits) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8),
                    (byte) bits});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    String describe() {
        if (addresses.size() <= 3) {
            return String.join(",", addresses.stream().map(InetAddress::getHostAddress).toList());
        }
        return addresses.getFirst().getHostAddress() + " .. " + addresses.getLast().getHostAddress()
                + " (" + addresses.size() + " addresses)";
    }
}
