package io.loompush.server.ws;

/** The close codes loompush sends and the rule for those it receives (RFC 6455 section 7.4). */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    /** The server is shutting down: the client reconnects elsewhere with its cursor. */
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    /** A data frame: the server takes none. */
    public static final int UNSUPPORTED_DATA = 1003;
    public static final int INVALID_DATA = 1007;
    /** The subscription's token expired. */
    public static final int POLICY = 1008;
    public static final int TOO_BIG = 1009;

    private CloseCodes() {}

    /**
     * Whether a client may send this code: the defined ones except those
     * that must never travel in a frame (1005, 1006, 1015), and the ranges for
     * libraries and applications (3000 to 4999).
     */
    static boolean receivable(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }
}
