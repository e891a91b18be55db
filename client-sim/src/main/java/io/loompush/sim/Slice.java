package io.loompush.sim;

/** Clients {@code from} (inclusive) to {@code to} (exclusive): the share of one process. */
record Slice(int from, int to) {
    Slice {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad slice " + from + "-" + to);
        }
    }

    int size() {
        return to - from;
    }

    static Slice parse(String text) {
        int dash = text.indexOf('-');
        return new Slice(Integer.parseInt(text.substring(0, dash)), Integer.parseInt(text.substring(dash + 1)));
    }

    @Override
    public String toString() {
        return from + "-" + to;
    }
}
