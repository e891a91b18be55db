package io.loompush.server.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FramesTest {
    @ParameterizedTest
    @CsvSource({"0, 2", "125, 2", "126, 4", "65535, 4", "65536, 10"})
    void aTextFrameHeadHasTheShortestLengthThatHoldsItsPayload(int length, int head) {
        byte[] frame = Frames.text(new byte[length]);

        assertEquals(head + length, frame.length);
        assertEquals(0x81, frame[0] & 0xFF, "FIN and text, no reserved bits");
        assertEquals(0, frame[1] & 0x80, "a server's frame is not masked");
        long announced = switch (head) {
            case 2 -> frame[1];
            case 4 -> (frame[2] & 0xFF) << 8 | frame[3] & 0xFF;
            default -> {
                long n = 0;
                for (int i = 2; i < 10; i++) {
                    n = n << 8 | (frame[i] & 0xFF);
                }
                yield n;
            }
        };
        assertEquals(length, announced);
    }

    @Test
    void aCloseFrameCarriesItsCodeThenItsReason() {
        byte[] frame = Frames.close(CloseCodes.GOING_AWAY, "bye");

        assertArrayEquals(new byte[] {(byte) 0x88, 5, 0x03, (byte) 0xE9, 'b', 'y', 'e'}, frame);
    }

    @Test
    void aCloseReasonFillsAControlFrameAtMost() {
        String longest = "r".repeat(123);
        assertEquals(2 + 125, Frames.close(1000, longest).length);
        assertThrows(IllegalArgumentException.class, () -> Frames.close(1000, longest + "r"));
    }

    @Test
    void aPingHasNoPayload() {
        assertArrayEquals(new byte[] {(byte) 0x89, 0}, Frames.ping());
    }

    @Test
    void aPongEchoesThePing() {
        byte[] pong = Frames.pong("abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0x8A, pong[0] & 0xFF);
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), Arrays.copyOfRange(pong, 2, 5));
    }
}
