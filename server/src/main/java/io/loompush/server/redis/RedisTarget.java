package io.loompush.server.redis;

import java.net.URI;
import java.net.URISyntaxException;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * Where Redis is: {@code redis://[user:password@]host[:port][/db]}, or
 * {@code rediss://} for TLS.
 */
public record RedisTarget(String host, int port, String user, String password, int database, boolean tls) {
    public static final int DEFAULT_PORT = 6379;
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    /** @throws IllegalArgumentException with a reason fit for one line */
    public static RedisTarget parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("expected redis://host:port or rediss://host:port");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("query and fragment are not supported");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        int database = 0;
        if (!path.isEmpty() && !path.equals("/")) {
            if (!path.matches("/[0-9]{1,5}")) {
                throw new IllegalArgumentException("the path must be a database number, like /0");
            }
            database = Integer.parseInt(path.substring(1));
        }
        String user = null;
        String password = null;
        String userInfo = uri.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            password = colon < 0 ? null : userInfo.substring(colon + 1);
            if (user.isEmpty()) {
                user = null;
            }
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1 to 65535");
        }
        return new RedisTarget(uri.getHost(), port, user, password, database, scheme.equals("rediss"));
    }

    HostAndPort hostAndPort() {
        return new HostAndPort(host, port);
    }

    /** @param socketTimeoutMillis how long a command may wait for its reply */
    JedisClientConfig clientConfig(int socketTimeoutMillis, String clientName) {
        return DefaultJedisClientConfig.builder()
                .user(user)
                .password(password)
                .database(database)
                .ssl(tls)
                .connectionTimeoutMillis(CONNECT_TIMEOUT_MILLIS)
                .socketTimeoutMillis(socketTimeoutMillis)
                .clientName(clientName)
                .build();
    }

    /** The URL without its password, for logs. */
    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + (user == null ? "" : user + "@") + host + ":" + port + "/" + database;
    }
}
