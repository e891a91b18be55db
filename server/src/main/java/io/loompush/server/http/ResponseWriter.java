package io.loompush.server.http;

import java.nio.charset.StandardCharsets;

/** Turns a response into one buffer, head and body, so it leaves in one write. */
public final class ResponseWriter {
    private ResponseWriter() {}

    public static byte[] bytes(Response response) {
        var head = new StringBuilder(160)
                .append("HTTP/1.1 ").append(response.status()).append(' ').append(reason(response.status()))
                .append("\r\nContent-Type: ").append(response.contentType())
                .append("\r\nContent-Length: ").append(response.body().length);
        if (response.extraHeaders().stream().noneMatch(f -> f.name().equals("Cache-Control"))) {
            head.append("\r\nCache-Control: no-store");
        }
        for (var field : response.extraHeaders()) {
            head.append("\r\n").append(field.name()).append(": ").append(field.value());
        }
        if (response.close()) {
            head.append("\r\nConnection: close");
        }
        head.append("\r\n\r\n");
        // The head in ISO-8859-1 ('?' for what it cannot hold, as String.getBytes writes), straight into the one buffer.
        int headLength = head.length();
        int bodyLength = response.headOnly() ? 0 : response.body().length;
        byte[] all = new byte[headLength + bodyLength];
        for (int i = 0; i < headLength; i++) {
            char c = head.charAt(i);
            all[i] = (byte) (c <= 0xFF ? c : '?');
        }
        System.arraycopy(response.body(), 0, all, headLength, bodyLength);
        return all;
    }

    /** The interim answer to {@code Expect: 100-continue}. */
    public static byte[] interimContinue() {
        return "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 304 -> "Not Modified";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 417 -> "Expectation Failed";
            case 426 -> "Upgrade Required";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Unknown";
        };
    }
}
