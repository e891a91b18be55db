package io.loompush.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** The little JSON the server writes: string escaping per RFC 8259. */
public final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {}

    /** The string as a quoted JSON string. */
    public static String string(String s) {
        var out = new StringBuilder(s.length() + 2);
        appendString(out, s);
        return out.toString();
    }

    /**
     * Appends the payload as a quoted JSON string when it is valid UTF-8, and
     * nothing when it is not. An ASCII payload, the common case, is escaped
     * straight from its bytes; any other is decoded (and so validated) first.
     *
     * @return whether the payload was valid UTF-8 and appended
     */
    public static boolean appendUtf8(StringBuilder out, byte[] data) {
        for (byte b : data) {
            if (b < 0) {
                CharSequence text;
                try {
                    text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data));
                } catch (CharacterCodingException e) {
                    return false;
                }
                appendString(out, text);
                return true;
            }
        }
        out.append('"');
        for (byte b : data) {
            appendChar(out, (char) b);
        }
        out.append('"');
        return true;
    }

    public static void appendString(StringBuilder out, CharSequence s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            appendChar(out, s.charAt(i));
        }
        out.append('"');
    }

    private static void appendChar(StringBuilder out, char c) {
        switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                // U+2028 and U+2029 are escaped too: JavaScript before ES2019 treats them as line ends.
                if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                    out.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 0xF])
                            .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                } else {
                    out.append(c);
                }
            }
        }
    }
}
