package io.loompush.server.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * Where Redis is: {@code redis://[user:password@]host[:port][/db]}, or
 * {@code rediss://} for TLS; or the seed nodes of a Redis Cluster,
 * {@code redis-cluster://[user:password@]host:port[,host:port…]}.
 *
 * @param nodes   the one Redis, or the cluster's seed nodes
 * @param cluster whether Redis is a cluster: keys carry the channel as a hash tag, notifications are sharded
 */
public record RedisTarget(List<Node> nodes, String user, String password, int database, boolean tls, boolean cluster) {
    public static final int DEFAULT_PORT = 6379;
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;
    private static final String CLUSTER_SCHEME = "redis-cluster://";

    public record Node(String host, int port) {
        HostAndPort hostAndPort() {
            return new HostAndPort(host, port);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public RedisTarget {
        nodes = List.copyOf(nodes);
    }

    /** @throws IllegalArgumentException with a reason fit for one line */
    public static RedisTarget parse(String url) {
        if (url.startsWith(CLUSTER_SCHEME)) {
            return parseCluster(url.substring(CLUSTER_SCHEME.length()));
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("expected redis://host:port, rediss://host:port or redis-cluster://host:port,…");
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
        String[] credentials = credentials(uri.getUserInfo());
        return new RedisTarget(List.of(new Node(uri.getHost(), port(uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort()))),
                credentials[0], credentials[1], database, scheme.equals("rediss"), false);
    }

    /** {@code [user:password@]host:port[,host:port…]}: no database (a cluster has only 0), no path, no query. */
    private static RedisTarget parseCluster(String rest) {
        int at = rest.lastIndexOf('@');
        String[] credentials = credentials(at < 0 ? null : rest.substring(0, at));
        String hosts = at < 0 ? rest : rest.substring(at + 1);
        if (hosts.endsWith("/")) {
            hosts = hosts.substring(0, hosts.length() - 1);
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no seed node: expected redis-cluster://host:port[,host:port…]");
        }
        var nodes = new ArrayList<Node>();
        for (String hostPort : hosts.split(",", -1)) {
            if (!hostPort.matches("[A-Za-z0-9.-]+:[0-9]{1,5}")) {
                throw new IllegalArgumentException("'" + hostPort + "' is not host:port (a cluster URL has no database,"
                        + " path or query)");
            }
            int colon = hostPort.lastIndexOf(':');
            nodes.add(new Node(hostPort.substring(0, colon), port(Integer.parseInt(hostPort.substring(colon + 1)))));
        }
        return new RedisTarget(nodes, credentials[0], credentials[1], 0, false, true);
    }

    private static String[] credentials(String userInfo) {
        if (userInfo == null) {
            return new String[] {null, null};
        }
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        String password = colon < 0 ? null : userInfo.substring(colon + 1);
        return new String[] {user.isEmpty() ? null : user, password};
    }

    private static int port(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1 to 65535");
        }
        return port;
    }

    /** The one Redis of the single mode. */
    HostAndPort hostAndPort() {
        return nodes.getFirst().hostAndPort();
    }

    Set<HostAndPort> seeds() {
        return nodes.stream().map(Node::hostAndPort).collect(Collectors.toSet());
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
        String userPart = user == null ? "" : user + "@";
        if (cluster) {
            return CLUSTER_SCHEME + userPart + nodes.stream().map(Node::toString).collect(Collectors.joining(","));
        }
        return (tls ? "rediss://" : "redis://") + userPart + nodes.getFirst() + "/" + database;
    }
}
