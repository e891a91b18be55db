package io.loompush.server;

/** A bad setting, said in one line that names the flag. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
