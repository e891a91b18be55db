package io.loompush.sim.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.sim.http.MalformedResponseException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WsFrameTest {
    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};
    private static final int MAX = 1 << 20;

    private static byte[] payload(int length) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        return payload;
    }

    private static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static WsFrame.Parsed decode(byte[] frame) throws MalformedResponseException {
        return WsFrame.decode(frame, 0, frame.length, MAX);
    }

    @Test
    void rfc6455sExamplesAreEncodedAndDecodedByteForByte() throws Exception {
        // Section 5.7: a single-frame unmasked text message "Hello", and the same masked with 37 fa 21 3d.
        byte[] hello = "Hello".getBytes();
        assertArrayEquals(bytes("81 05 48 65 6c 6c 6f"), WsFrame.encode(true, WsFrame.TEXT, hello, null));
        assertArrayEquals(bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58"), WsFrame.encode(true, WsFrame.TEXT, hello, MASK));
        var masked = decode(bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58"));
        assertTrue(masked.frame().masked());
        assertArrayEquals(hello, masked.frame().payload());
        // A fragmented unmasked text message, and an unmasked ping "Hello".
        var first = decode(bytes("01 03 48 65 6c"));
        assertFalse(first.frame().fin());
        assertEquals(WsFrame.TEXT, first.frame().opcode());
        var rest = decode(bytes("80 02 6c 6f"));
        assertTrue(rest.frame().fin());
        assertEquals(WsFrame.CONTINUATION, rest.frame().opcode());
        assertEquals(WsFrame.PING, decode(bytes("89 05 48 65 6c 6c 6f")).frame().opcode());
    }

    /** 125 fits in 7 bits; 126 and 65535 take the 16-bit length; 65536 the 64-bit one. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 70000})
    void eachLengthTakesItsShortestFormBothWays(int length) throws Exception {
        byte[] payload = payload(length);
        for (byte[] mask : new byte[][] {null, MASK}) {
            byte[] frame = WsFrame.encode(true, WsFrame.BINARY, payload, mask);
            int lengthBytes = length <= 125 ? 0 : length <= 65535 ? 2 : 8;
            int head = 2 + lengthBytes + (mask == null ? 0 : 4);
            assertEquals(head + length, frame.length);
            int second = frame[1] & 0xFF;
            assertEquals(mask != null, (second & 0x80) != 0, "the mask bit");
            assertEquals(lengthBytes == 0 ? length : lengthBytes == 2 ? 126 : 127, second & 0x7F);
            long written = 0;
            for (int i = 0; i < lengthBytes; i++) {
                written = (written << 8) | (frame[2 + i] & 0xFF);
            }
            if (lengthBytes > 0) {
                assertEquals(length, written, "the extended length, big-endian");
            }
            var parsed = decode(frame);
            assertEquals(frame.length, parsed.consumed());
            assertArrayEquals(payload, parsed.frame().payload());
            assertEquals(mask != null, parsed.frame().masked());
        }
    }

    @Test
    void aMaskedPayloadIsXoredWithTheKeyOnTheWire() {
        byte[] payload = payload(9);
        byte[] frame = WsFrame.encode(true, WsFrame.PONG, payload, MASK);
        assertArrayEquals(MASK, Arrays.copyOfRange(frame, 2, 6), "the key follows the length");
        for (int i = 0; i < payload.length; i++) {
            assertEquals((byte) (payload[i] ^ MASK[i % 4]), frame[6 + i]);
        }
        assertEquals(0x8A, frame[0] & 0xFF, "FIN and pong");
    }

    @Test
    void everyPrefixOfAFrameIsIncomplete() throws Exception {
        for (int length : new int[] {5, 200, 65536}) {
            byte[] frame = WsFrame.encode(true, WsFrame.TEXT, payload(length), MASK);
            for (int cut : new int[] {0, 1, 2, 3, 5, 9, 13, frame.length - 1}) {
                assertNull(WsFrame.decode(frame, 0, Math.min(cut, frame.length - 1), MAX), length + " cut at " + cut);
            }
        }
    }

    @Test
    void aFrameIsReadFromAnOffsetAndTheBytesAfterItAreLeft() throws Exception {
        byte[] one = WsFrame.encode(true, WsFrame.TEXT, payload(3), null);
        byte[] two = WsFrame.encode(true, WsFrame.TEXT, payload(300), null);
        byte[] both = new byte[one.length + two.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        assertEquals(one.length, WsFrame.decode(both, 0, both.length, MAX).consumed());
        var second = WsFrame.decode(both, one.length, both.length, MAX);
        assertEquals(two.length, second.consumed());
        assertEquals(300, second.frame().payload().length);
    }

    @Test
    void aControlFrameOf125BytesIsReadAndOf126Refused() throws Exception {
        assertEquals(125, decode(WsFrame.encode(true, WsFrame.PING, payload(125), null)).frame().payload().length);
        assertThrows(MalformedResponseException.class,
                () -> decode(WsFrame.encode(true, WsFrame.PING, payload(126), null)));
        assertThrows(MalformedResponseException.class,
                () -> decode(WsFrame.encode(true, WsFrame.CLOSE, payload(126), null)));
    }

    @Test
    void aFragmentedControlFrameIsRefused() {
        assertThrows(MalformedResponseException.class, () -> decode(WsFrame.encode(false, WsFrame.PING, payload(1), null)));
    }

    @Test
    void reservedBitsAndOpcodesAreRefused() {
        for (String frame : new String[] {"c1 00", "a1 00", "91 00", "83 00", "87 00", "8b 00", "8f 00"}) {
            assertThrows(MalformedResponseException.class, () -> decode(bytes(frame)), frame);
        }
    }

    @Test
    void aLengthNotInItsShortestFormOrWithItsTopBitSetIsRefused() {
        assertThrows(MalformedResponseException.class, () -> decode(bytes("82 7e 00 7d" + "00".repeat(125))),
                "125 in 16 bits");
        assertThrows(MalformedResponseException.class, () -> decode(bytes("82 7f 00 00 00 00 00 00 ff ff")),
                "65535 in 64 bits");
        assertThrows(MalformedResponseException.class, () -> decode(bytes("82 7f 80 00 00 00 00 00 00 00")));
    }

    @Test
    void aPayloadUpToTheLimitIsReadAndOneByteMoreRefused() throws Exception {
        byte[] atLimit = WsFrame.encode(true, WsFrame.BINARY, payload(70000), null);
        assertEquals(70000, WsFrame.decode(atLimit, 0, atLimit.length, 70000).frame().payload().length);
        byte[] over = WsFrame.encode(true, WsFrame.BINARY, payload(70001), null);
        assertThrows(MalformedResponseException.class, () -> WsFrame.decode(over, 0, 20, 70000),
                "refused from its head, before the payload is read");
    }
}
