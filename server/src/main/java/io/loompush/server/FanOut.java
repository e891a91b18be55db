package io.loompush.server;

import io.loompush.server.push.Message;
import java.util.function.Function;

/**
 * What one transport built for the last message that a whole fan-out
 * answers with (see {@link AnswerJson#onlyMessage}): the 19,000 subscribers of
 * a channel share one answer instead of each building its own.
 *
 * @param <T> the built answer: a response, a frame, an event
 */
final class FanOut<T> {
    private record Built<T>(Message message, T answer) {}

    private final Function<Message, T> build;
    private volatile Built<T> last;

    FanOut(Function<Message, T> build) {
        this.build = build;
    }

    T answer(Message message) {
        Built<T> built = last;
        if (built != null && built.message() == message) {
            return built.answer();
        }
        T answer = build.apply(message);
        last = new Built<>(message, answer);
        return answer;
    }
}
