package io.loompush.server;

import io.loompush.server.http.HttpError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Percent-decoding of paths and query strings; the first of repeated parameters wins. */
public final class Query {
    private Query() {}

    public static Map<String, String> parse(String raw) throws HttpError {
        var params = new HashMap<String, String>();
        if (raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    /** Decodes %XX escapes (and + as space in query values) as UTF-8. */
    public static String decode(String s) throws HttpError {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        var out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c != '%') {
                out.write(c);
            } else {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(s.charAt(i + 2), 16);
                if (lo < 0) {
                    throw new HttpError(400, "malformed percent-encoding");
                }
                out.write(hi << 4 | lo);
                i += 2;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
