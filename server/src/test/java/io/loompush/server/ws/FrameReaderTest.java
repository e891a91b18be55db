package io.loompush.server.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameReaderTest {
    private final FrameReader reader = new FrameReader();
    private final List<byte[]> pongs = new ArrayList<>();

    private FrameReader.Ending feed(byte[] bytes) throws IOException {
        return reader.feed(bytes, 0, bytes.length, pongs::add);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'p');
        return b;
    }

    @Test
    void aPingOf125BytesIsAnsweredWithAPongCarryingItsPayload() throws IOException {
        assertNull(feed(ClientFrames.frame(Frames.OP_PING, bytes(125))));

        assertEquals(1, pongs.size());
        byte[] pong = pongs.getFirst();
        assertEquals(0x80 | Frames.OP_PONG, pong[0] & 0xFF);
        assertEquals(125, pong[1]);
        assertArrayEquals(bytes(125), Arrays.copyOfRange(pong, 2, pong.length));
        assertEquals(0, reader.held());
    }

    @Test
    void aPingOf126BytesIsAProtocolError() throws IOException {
        assertEquals(CloseCodes.PROTOCOL_ERROR, feed(ClientFrames.frame(Frames.OP_PING, bytes(126))).code());
        assertTrue(pongs.isEmpty());
    }

    @Test
    void aPongIsTakenSilently() throws IOException {
        assertNull(feed(ClientFrames.frame(Frames.OP_PONG, bytes(3))));
        assertTrue(pongs.isEmpty());
    }

    @Test
    void aFrameCutAnywhereIsReadWhenItsLastByteComes() throws IOException {
        byte[] ping = ClientFrames.frame(Frames.OP_PING, "hello".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < ping.length - 1; i++) {
            assertNull(reader.feed(ping, i, 1, pongs::add));
            assertTrue(pongs.isEmpty(), "nothing before byte " + (i + 1));
        }
        assertNull(reader.feed(ping, ping.length - 1, 1, pongs::add));
        assertEquals(1, pongs.size());
        assertEquals(0, reader.held());
    }

    @Test
    void framesThatArriveTogetherAreAllTaken() throws IOException {
        byte[] one = ClientFrames.frame(Frames.OP_PING, bytes(1));
        byte[] two = ClientFrames.frame(Frames.OP_PING, bytes(2));
        byte[] both = Arrays.copyOf(one, one.length + two.length);
        System.arraycopy(two, 0, both, one.length, two.length);

        assertNull(feed(both));
        assertEquals(2, pongs.size());
    }

    @Test
    void anUnmaskedFrameIsAProtocolError() throws IOException {
        var ending = feed(ClientFrames.frame(true, 0, Frames.OP_PING, false, bytes(1), 1));
        assertEquals(CloseCodes.PROTOCOL_ERROR, ending.code());
        assertFalse(ending.byClient());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 7})
    void reservedBitsAreAProtocolError(int rsv) throws IOException {
        assertEquals(CloseCodes.PROTOCOL_ERROR, feed(ClientFrames.frame(true, rsv, Frames.OP_PING, true, bytes(1), 1)).code());
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedOpcodesAreAProtocolError(int opcode) throws IOException {
        assertEquals(CloseCodes.PROTOCOL_ERROR, feed(ClientFrames.frame(opcode, bytes(1))).code());
    }

    @Test
    void aFragmentedControlFrameIsAProtocolError() throws IOException {
        assertEquals(CloseCodes.PROTOCOL_ERROR,
                feed(ClientFrames.frame(false, 0, Frames.OP_PING, true, bytes(1), 1)).code());
    }

    @ParameterizedTest
    @ValueSource(ints = {Frames.OP_TEXT, Frames.OP_BINARY, Frames.OP_CONTINUATION})
    void aDataFrameIsRefusedAsSoonAsItsHeadIsRead(int opcode) throws IOException {
        byte[] frame = ClientFrames.frame(opcode, bytes(1000));
        var ending = reader.feed(frame, 0, 8, pongs::add);
        assertEquals(CloseCodes.UNSUPPORTED_DATA, ending.code());
    }

    @Test
    void aFrameOf65536BytesIsRefusedAsDataAndOneOf65537AsTooBig() throws IOException {
        byte[] head = Arrays.copyOf(ClientFrames.frame(true, 0, Frames.OP_TEXT, true, new byte[0], 65_536), 14);
        assertEquals(CloseCodes.UNSUPPORTED_DATA, feed(head).code());

        byte[] over = Arrays.copyOf(ClientFrames.frame(true, 0, Frames.OP_TEXT, true, new byte[0], 65_537), 14);
        assertEquals(CloseCodes.TOO_BIG, new FrameReader().feed(over, 0, over.length, pongs::add).code());
    }

    @Test
    void aLengthNotInItsShortestFormIsAProtocolError() throws IOException {
        byte[] shortIn16 = {(byte) 0x81, (byte) (0x80 | 126), 0, 125, 1, 2, 3, 4};
        assertEquals(CloseCodes.PROTOCOL_ERROR, feed(shortIn16).code());

        byte[] shortIn64 = {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4};
        assertEquals(CloseCodes.PROTOCOL_ERROR, new FrameReader().feed(shortIn64, 0, 14, pongs::add).code());

        byte[] negative = {(byte) 0x81, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
        assertEquals(CloseCodes.PROTOCOL_ERROR, new FrameReader().feed(negative, 0, 14, pongs::add).code());
    }

    @Test
    void anEmptyCloseIsAnsweredWithNormalClosure() throws IOException {
        var ending = feed(ClientFrames.frame(Frames.OP_CLOSE, new byte[0]));
        assertEquals(new FrameReader.Ending(CloseCodes.NORMAL, "", true), ending);
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1003, 1007, 1011, 1014, 3000, 4999})
    void aCloseWithAValidCodeIsEchoed(int code) throws IOException {
        var ending = feed(ClientFrames.close(code, "bye".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new FrameReader.Ending(code, "", true), ending);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    void aCloseWithACodeNoClientMaySendIsAProtocolError(int code) throws IOException {
        assertEquals(CloseCodes.PROTOCOL_ERROR, feed(ClientFrames.close(code, new byte[0])).code());
    }

    @Test
    void aCloseOfOneByteIsAProtocolError() throws IOException {
        assertEquals(CloseCodes.PROTOCOL_ERROR, feed(ClientFrames.frame(Frames.OP_CLOSE, new byte[] {3})).code());
    }

    @Test
    void aCloseReasonThatIsNotUtf8IsInvalidData() throws IOException {
        var ending = feed(ClientFrames.close(1000, new byte[] {'o', 'k', (byte) 0xC3, (byte) 0x28}));
        assertEquals(CloseCodes.INVALID_DATA, ending.code());
    }

    @Test
    void aCloseReasonOf123BytesIsTakenAndOf124BytesIsTooLongForAControlFrame() throws IOException {
        assertTrue(feed(ClientFrames.close(1000, bytes(123))).byClient());
        assertEquals(CloseCodes.PROTOCOL_ERROR, new FrameReader().feed(
                ClientFrames.close(1000, bytes(124)), 0, ClientFrames.close(1000, bytes(124)).length, pongs::add).code());
    }
}
