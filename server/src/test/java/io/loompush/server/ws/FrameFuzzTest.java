package io.loompush.server.ws;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.util.Set;

/**
 * The frame reader against any bytes, cut anywhere: the only ways out are
 * going on, or an ending with one of the codes the protocol names. Any
 * exception, a pong that is no pong, or more held than one control frame is
 * a bug.
 *
 * <p>The first input byte says where the rest is cut into two reads. In a
 * normal test run this replays the seed corpus beside it
 * ({@code FrameFuzzTestInputs/}); {@code JAZZER_FUZZ=1 ops/test
 * -Dtest=FrameFuzzTest -Dit.test=none} fuzzes for real.
 */
class FrameFuzzTest {
    private static final Set<Integer> CODES = Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.UNSUPPORTED_DATA,
            CloseCodes.INVALID_DATA, CloseCodes.TOO_BIG);
    /** The longest control frame: head, mask, 125 bytes of payload. */
    private static final int LONGEST_CONTROL = 2 + 4 + FrameReader.MAX_CONTROL_PAYLOAD;

    @FuzzTest(maxDuration = "60s")
    void readsAnyBytesWithoutSurprises(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        int cut = Math.min(input[0] & 0xFF, input.length - 1);
        var reader = new FrameReader();
        FrameReader.Ending ending = reader.feed(input, 1, cut, FrameFuzzTest::checkPong);
        if (ending == null) {
            checkHeld(reader);
            ending = reader.feed(input, 1 + cut, input.length - 1 - cut, FrameFuzzTest::checkPong);
        }
        if (ending == null) {
            checkHeld(reader);
        } else if (!ending.byClient() && !CODES.contains(ending.code())) {
            throw new AssertionError("unexpected close code " + ending.code());
        } else if (ending.byClient() && !CloseCodes.receivable(ending.code())) {
            throw new AssertionError("echoed a code no client may send: " + ending.code());
        }
    }

    private static void checkHeld(FrameReader reader) {
        if (reader.held() >= LONGEST_CONTROL) {
            throw new AssertionError("held " + reader.held() + " bytes");
        }
    }

    private static void checkPong(byte[] frame) {
        if ((frame[0] & 0xFF) != 0x8A || frame.length - 2 != frame[1] || frame[1] > FrameReader.MAX_CONTROL_PAYLOAD) {
            throw new AssertionError("not a pong");
        }
    }
}
