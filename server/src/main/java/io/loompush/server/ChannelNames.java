package io.loompush.server;

/** The channel name rule of the protocol: 1 to 200 of {@code A-Z a-z 0-9 _ . : @ -}. */
public final class ChannelNames {
    public static final int MAX_LENGTH = 200;

    private ChannelNames() {}

    public static boolean valid(String name) {
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == '.' || c == ':' || c == '@' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
