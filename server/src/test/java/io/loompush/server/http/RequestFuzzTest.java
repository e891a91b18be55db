package io.loompush.server.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;

/**
 * The parser and reader against any bytes: the only ways out are a request,
 * a refusal with a status ({@link HttpError}), or the end of the input. Any
 * other exception, a hang or an unbounded allocation is a bug.
 *
 * <p>In a normal test run this replays the seed corpus beside it
 * ({@code RequestFuzzTestInputs/}); {@code JAZZER_FUZZ=1 ops/test
 * -Dtest=RequestFuzzTest -Dit.test=none} fuzzes for real.
 */
class RequestFuzzTest {
    private static final Limits LIMITS = Limits.withMaxBody(4096);

    @FuzzTest(maxDuration = "60s")
    void readsAnyBytesWithoutSurprises(byte[] input) throws IOException {
        var reader = new RequestReader(new ByteArrayInputStream(input), millis -> {}, () -> {}, LIMITS,
                Duration.ofSeconds(5));
        boolean first = true;
        try {
            Request request;
            while ((request = reader.read(first)) != null) {
                first = false;
                checkBounded(request);
            }
        } catch (HttpError e) {
            checkStatus(e.status());
        } catch (EOFException e) {
            // The input ended inside a request: a client that hung up.
        }
    }

    private static void checkBounded(Request request) {
        if (request.body().length > LIMITS.maxBodyBytes()) {
            throw new AssertionError("body over the limit: " + request.body().length);
        }
        if (request.target().length() > LIMITS.maxRequestLine()) {
            throw new AssertionError("target over the request line limit");
        }
        if (request.headers().fields().size() > LIMITS.maxHeaderFields()) {
            throw new AssertionError("more fields than the limit");
        }
    }

    private static void checkStatus(int status) {
        switch (status) {
            case 400, 408, 413, 414, 417, 431, 505 -> { }
            default -> throw new AssertionError("unexpected status " + status);
        }
    }
}
