package io.loompush.sim.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.sim.http.MalformedResponseException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reader over a real loopback socket, the test playing the server. */
class WsReaderTest {
    private static byte[] server(int opcode, String payload, boolean fin) {
        return WsFrame.encode(fin, opcode, payload.getBytes(StandardCharsets.UTF_8), null);
    }

    private static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The client's next frame as the server reads it. */
    private static WsFrame.Frame clientFrame(InputStream in) throws IOException {
        byte[] buffer = new byte[256];
        int length = 0;
        while (true) {
            var parsed = WsFrame.decode(buffer, 0, length, 125);
            if (parsed != null) {
                return parsed.frame();
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                throw new EOFException();
            }
            length += n;
        }
    }

    @Test
    @Timeout(10)
    void aPingIsAnsweredWithAMaskedPongAndFragmentsAreJoined() throws Exception {
        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             var client = new Socket(listener.getInetAddress(), listener.getLocalPort());
             var server = listener.accept()) {
            var reader = new WsReader(new StreamConnection(client));
            server.getOutputStream().write(concat(server(WsFrame.PING, "are you there", true),
                    server(WsFrame.TEXT, "{\"cursor\":", false), server(WsFrame.PONG, "", true),
                    server(WsFrame.CONTINUATION, "\"k1\"}", true), server(WsFrame.TEXT, "second", true)));
            assertEquals("{\"cursor\":\"k1\"}", reader.next(), "a control frame between fragments is taken in stride");
            var pong = clientFrame(server.getInputStream());
            assertEquals(WsFrame.PONG, pong.opcode());
            assertTrue(pong.masked(), "every client frame is masked");
            assertArrayEquals("are you there".getBytes(StandardCharsets.UTF_8), pong.payload());
            assertEquals("second", reader.next());
        }
    }

    @Test
    @Timeout(10)
    void aCloseIsAnsweredWithACloseAndEndsTheStream() throws Exception {
        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             var client = new Socket(listener.getInetAddress(), listener.getLocalPort());
             var server = listener.accept()) {
            var reader = new WsReader(new StreamConnection(client));
            server.getOutputStream().write(WsFrame.encode(true, WsFrame.CLOSE,
                    concat(new byte[] {0x03, (byte) 0xE9}, "going away".getBytes(StandardCharsets.UTF_8)), null));
            var end = assertThrows(EOFException.class, reader::next);
            assertEquals("the server closed the WebSocket: code 1001 going away", end.getMessage());
            var close = clientFrame(server.getInputStream());
            assertEquals(WsFrame.CLOSE, close.opcode());
            assertTrue(close.masked());
            assertArrayEquals(new byte[] {0x03, (byte) 0xE9}, close.payload(), "the code echoed");
        }
    }

    @Test
    @Timeout(10)
    void aMaskedServerFrameOrATextThatIsNotUtf8IsRefused() throws Exception {
        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             var client = new Socket(listener.getInetAddress(), listener.getLocalPort());
             var server = listener.accept()) {
            var reader = new WsReader(new StreamConnection(client));
            server.getOutputStream().write(WsFrame.encode(true, WsFrame.TEXT, new byte[] {'a'}, new byte[] {1, 2, 3, 4}));
            assertThrows(MalformedResponseException.class, reader::next);
        }
        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             var client = new Socket(listener.getInetAddress(), listener.getLocalPort());
             var server = listener.accept()) {
            var reader = new WsReader(new StreamConnection(client));
            server.getOutputStream().write(WsFrame.encode(true, WsFrame.TEXT, new byte[] {(byte) 0xC3, 0x28}, null));
            assertThrows(MalformedResponseException.class, reader::next);
        }
    }

    @Test
    void theAcceptIsRfc6455sExample() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WsHandshake.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }
}
