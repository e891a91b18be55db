package io.loompush.sim;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/** Where the publisher's Redis is: {@code redis://host:port}, on loopback. */
record RedisAddress(String host, int port) {
    static final int DEFAULT_PORT = 6379;

    static RedisAddress parse(String value, String flag) throws UsageException {
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw new UsageException(flag + ": expected redis://HOST:PORT, got '" + value + "'");
        }
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new UsageException(flag + ": expected redis://HOST:PORT, got '" + value + "'");
        }
        try {
            Loopback.require(InetAddress.getByName(uri.getHost()), flag);
        } catch (UnknownHostException e) {
            throw new UsageException(flag + ": cannot resolve '" + uri.getHost() + "'");
        }
        return new RedisAddress(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort());
    }

    @Override
    public String toString() {
        return "redis://" + host + ":" + port;
    }
}
