package io.loompush.server;

import io.loompush.server.http.Headers;
import io.loompush.server.http.Request;
import io.loompush.server.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The files the server gives browsers, read once from the classpath
 * ({@code io/loompush/server/web/}): the JavaScript client {@code /loompush.js}
 * and the dashboard, {@code /dashboard} and {@code /dashboard.js}. None holds
 * a figure; the dashboard reads {@code /stats}, which the {@link OperatorRule}
 * guards.
 *
 * <p>Each is cacheable: a strong {@code ETag} (a hash of its bytes) and
 * {@code Cache-Control: no-cache}, so a browser keeps it and asks again with
 * {@code If-None-Match}, answered {@code 304} with no body.
 */
final class Assets {
    record Asset(String contentType, byte[] body, String etag, List<Headers.Field> headers) {}

    private static final String FOLDER = "web/";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final List<Headers.Field> COMMON = List.of(
            new Headers.Field("Cache-Control", "no-cache"),
            new Headers.Field("X-Content-Type-Options", "nosniff"));
    /** A page that runs only its own script, talks only to its own server, and is framed by no one. */
    private static final String DASHBOARD_POLICY = "default-src 'none'; script-src 'self'; connect-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

    private final Map<String, Asset> byPath;

    private Assets(Map<String, Asset> byPath) {
        this.byPath = byPath;
    }

    static Assets load() {
        return new Assets(Map.of(
                // A page of another origin imports the module in CORS mode; it is public, so any origin may.
                "/loompush.js", asset("loompush.js", JS, new Headers.Field("Access-Control-Allow-Origin", "*")),
                "/dashboard", asset("dashboard.html", "text/html; charset=utf-8",
                        new Headers.Field("Content-Security-Policy", DASHBOARD_POLICY),
                        new Headers.Field("Referrer-Policy", "no-referrer")),
                "/dashboard.js", asset("dashboard.js", JS)));
    }

    /** The asset at this path, or null. */
    Asset at(String path) {
        return byPath.get(path);
    }

    /** {@code 200} with the body, or {@code 304} when the request's {@code If-None-Match} names it. */
    static Response answer(Asset asset, Request request) {
        boolean unchanged = matches(request.headers().first("If-None-Match"), asset.etag());
        var response = new Response(unchanged ? 304 : 200, asset.contentType(), asset.body(), List.of(), false,
                unchanged);
        response = response.withHeader("ETag", asset.etag());
        for (var field : asset.headers()) {
            response = response.withHeader(field.name(), field.value());
        }
        return response;
    }

    /** RFC 9110 section 13.1.2: {@code *}, or a list of tags compared weakly. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.strip();
            if (t.equals("*") || (t.startsWith("W/") ? t.substring(2) : t).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static Asset asset(String name, String contentType, Headers.Field... own) {
        try (InputStream in = Assets.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: " + FOLDER + name);
            }
            byte[] body = in.readAllBytes();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 12);
            var headers = new ArrayList<>(COMMON);
            headers.addAll(List.of(own));
            return new Asset(contentType, body, "\"" + hash + "\"", List.copyOf(headers));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
