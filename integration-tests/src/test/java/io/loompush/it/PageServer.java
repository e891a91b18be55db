package io.loompush.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The test's web pages, from the test resources' {@code browser/} folder, on
 * a loopback port of their own: an origin other than the server's, as a web
 * application that uses loompush has. The JDK's own HTTP server, one thread.
 */
final class PageServer implements AutoCloseable {
    private static final String FOLDER = "/browser/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final HttpServer server;

    private PageServer(HttpServer server) {
        this.server = server;
    }

    static PageServer start() throws IOException {
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", PageServer::serve);
        server.start();
        return new PageServer(server);
    }

    /** What a browser sends as {@code Origin} from these pages: the value for {@code --allow-origin}. */
    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The address of a page of the folder, with these query parameters. */
    URI page(String name, Map<String, String> query) {
        String parameters = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return URI.create(origin() + "/" + name + (parameters.isEmpty() ? "" : "?" + parameters));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring(1);
            String extension = name.substring(name.lastIndexOf('.') + 1);
            InputStream page = exchange.getRequestMethod().equals("GET") && !name.contains("/")
                    && TYPES.containsKey(extension) ? PageServer.class.getResourceAsStream(FOLDER + name) : null;
            if (page == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            try (page) {
                byte[] body = page.readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", TYPES.get(extension));
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        }
    }
}
