package io.loompush.sim;

/** The ways a simulated client's poll can fail; each is counted as an error. */
enum Failure {
    CONNECT("could not connect"),
    TIMEOUT("no answer within the poll timeout plus grace"),
    CLOSED("connection closed or reset while a poll was pending"),
    REFUSED("error status"),
    OVERLOADED("503 Service Unavailable"),
    MALFORMED("unreadable answer");

    final String help;

    Failure(String help) {
        this.help = help;
    }

    String key() {
        return name().toLowerCase();
    }
}
