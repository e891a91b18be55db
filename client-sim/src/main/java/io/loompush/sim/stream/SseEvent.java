package io.loompush.sim.stream;

/**
 * One event of a {@code text/event-stream}: the fields of the lines up to a
 * blank line, comments left out.
 *
 * @param id   the last {@code id:} field, or null when the event had none
 * @param type the {@code event:} field, or null for the default type ("message")
 * @param data the {@code data:} lines joined by newlines, or null when there was no data line: a
 *             browser dispatches nothing then, and the simulator takes it for a heartbeat (a
 *             comment, or Nchan's {@code event: ping})
 */
public record SseEvent(String id, String type, String data) {
    public boolean heartbeat() {
        return data == null;
    }
}
