package io.loompush.server.http;

/**
 * The chunk-size line of a chunked body (RFC 9112 section 7.1): hex digits,
 * then extensions whose syntax is checked and whose meaning is ignored. A
 * pure function over the line, like {@link RequestParser}.
 */
final class ChunkLine {
    private ChunkLine() {}

    /**
     * Parses a chunk-size line (without its CRLF): hex digits, then optional
     * extensions after {@code ;}, which are ignored.
     */
    static long size(String line) throws HttpError {
        int digits = 0;
        while (digits < line.length() && hex(line.charAt(digits))) {
            digits++;
        }
        if (digits == 0 || digits > 15 || !extensions(line, digits)) {
            throw new HttpError(400, "invalid chunk size");
        }
        return Long.parseLong(line, 0, digits, 16);
    }

    /**
     * Whether {@code line} from {@code at} is a valid chunk-ext of RFC 9112
     * section 7.1.1: {@code *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )}.
     * The extensions mean nothing here; only their syntax is checked.
     */
    private static boolean extensions(String line, int at) {
        int i = at;
        int end = line.length();
        while (i < end) {
            i = skipBlanks(line, i);
            if (i == end || line.charAt(i) != ';') {
                return false;
            }
            i = tokenEnd(line, skipBlanks(line, i + 1));
            if (i < 0) {
                return false;
            }
            int afterName = skipBlanks(line, i);
            if (afterName < end && line.charAt(afterName) == '=') {
                i = skipBlanks(line, afterName + 1);
                i = i < end && line.charAt(i) == '"' ? quotedStringEnd(line, i) : tokenEnd(line, i);
                if (i < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** The end of a token starting at {@code i}, or -1 when there is none. */
    private static int tokenEnd(String s, int i) {
        int start = i;
        while (i < s.length() && RequestParser.tchar(s.charAt(i))) {
            i++;
        }
        return i == start ? -1 : i;
    }

    /** The end of a quoted-string starting at {@code i} (its opening quote), or -1 when it is not one. */
    private static int quotedStringEnd(String s, int i) {
        for (i++; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++;
                if (i == s.length() || !(s.charAt(i) == '\t' || s.charAt(i) >= ' ' && s.charAt(i) <= '~')) {
                    return -1;
                }
            } else if (!(c == '\t' || c == ' ' || c >= '!' && c <= '~')) {
                return -1;
            }
        }
        return -1;
    }
}
