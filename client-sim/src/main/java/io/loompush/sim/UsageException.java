package io.loompush.sim;

/** Bad input or a run that cannot start: one line for the user, exit code 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
