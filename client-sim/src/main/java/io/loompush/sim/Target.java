package io.loompush.sim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The server under load, on loopback.
 *
 * @param host the Host header value, as given
 */
record Target(InetSocketAddress address, String host) {
    /** Parses {@code HOST:PORT}, {@code [::1]:PORT} or {@code http://HOST:PORT}; refuses anything off loopback. */
    static Target parse(String value, String flag) throws UsageException {
        String rest = value.strip();
        if (rest.startsWith("http://")) {
            rest = rest.substring("http://".length());
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || (rest.startsWith("[") && !rest.substring(0, colon).endsWith("]"))) {
            throw new UsageException(flag + ": expected HOST:PORT such as 127.0.0.1:8080, got '" + value + "'");
        }
        String name = rest.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new UsageException(flag + ": port must be 1 to 65535 in '" + value + "'");
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(name.startsWith("[") ? name.substring(1, name.length() - 1) : name);
        } catch (UnknownHostException e) {
            throw new UsageException(flag + ": cannot resolve '" + name + "'");
        }
        Loopback.require(address, flag);
        return new Target(new InetSocketAddress(address, port), rest);
    }

    @Override
    public String toString() {
        return host;
    }
}
