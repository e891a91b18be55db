package io.loompush.server.http;

/**
 * One parsed request. The target is kept raw (path and query undecoded); the
 * body is empty when the request has none.
 */
public record Request(String method, String target, String version, Headers headers, byte[] body) {

    public boolean http10() {
        return "HTTP/1.0".equals(version);
    }

    /**
     * Whether the connection stays open after the answer: HTTP/1.1 without a
     * {@code close} token in {@code Connection}. HTTP/1.0 requests are answered
     * and closed.
     */
    public boolean keepAlive() {
        if (http10()) {
            return false;
        }
        String connection = headers.first("Connection");
        if (connection == null) {
            return true;
        }
        for (String token : connection.split(",")) {
            if (token.strip().equalsIgnoreCase("close")) {
                return false;
            }
        }
        return true;
    }

    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }

    /** The raw query string, or "" when there is none. */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    Request withBody(byte[] newBody) {
        return new Request(method, target, version, headers, newBody);
    }
}
