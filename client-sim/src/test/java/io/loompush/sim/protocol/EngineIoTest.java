package io.loompush.sim.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.loompush.sim.http.MalformedResponseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineIoTest {
    @Test
    void anOpenPacketGivesTheSessionAndItsHeartbeat() throws Exception {
        assertEquals(new EngineIo.Packet.Open("nbdSHVa0T0rawQZQAAAA", 25000, 20000), EngineIo.packet("""
                0{"sid":"nbdSHVa0T0rawQZQAAAA","upgrades":["websocket"],"pingInterval":25000,\
                "pingTimeout":20000,"maxPayload":1000000}"""));
    }

    @Test
    void anOpenPacketWithoutItsFieldsIsMalformed() {
        assertThrows(MalformedResponseException.class, () -> EngineIo.packet("0{\"sid\":\"x\"}"));
        assertThrows(MalformedResponseException.class, () -> EngineIo.packet("0not json"));
    }

    @Test
    void eachTypeDigitIsItsPacket() throws Exception {
        assertEquals(new EngineIo.Packet.Close(), EngineIo.packet("1"));
        assertEquals(new EngineIo.Packet.Ping(""), EngineIo.packet("2"));
        assertEquals(new EngineIo.Packet.Ping("probe"), EngineIo.packet("2probe"));
        assertEquals(new EngineIo.Packet.Pong(""), EngineIo.packet("3"));
        assertEquals(new EngineIo.Packet.Message("2[\"m\",\"x\"]"), EngineIo.packet("42[\"m\",\"x\"]"));
        assertEquals(new EngineIo.Packet.Upgrade(), EngineIo.packet("5"));
        assertEquals(new EngineIo.Packet.Noop(), EngineIo.packet("6"));
    }

    @Test
    void emptyBinaryAndUnknownPacketsAreMalformed() {
        assertThrows(MalformedResponseException.class, () -> EngineIo.packet(""));
        assertThrows(MalformedResponseException.class, () -> EngineIo.packet("bAQID"));
        assertThrows(MalformedResponseException.class, () -> EngineIo.packet("7"));
    }

    @Test
    void aPollingPayloadIsPacketsSeparatedByTheRecordSeparator() throws Exception {
        assertEquals(List.of(new EngineIo.Packet.Message("0{\"sid\":\"s\"}"),
                        new EngineIo.Packet.Message("2[\"m\",\"a\"]"),
                        new EngineIo.Packet.Ping(""),
                        new EngineIo.Packet.Message("2[\"m\",\"b\\u001e\"]")),
                EngineIo.payload("40{\"sid\":\"s\"}\u001e42[\"m\",\"a\"]\u001e2\u001e42[\"m\",\"b\\u001e\"]", 10));
        assertEquals(List.of(new EngineIo.Packet.Ping("")), EngineIo.payload("2", 10));
    }

    @Test
    void aPayloadTakesAtMostItsLimitOfPackets() throws Exception {
        assertEquals(3, EngineIo.payload("6\u001e6\u001e6", 3).size());
        assertThrows(MalformedResponseException.class, () -> EngineIo.payload("6\u001e6\u001e6\u001e6", 3));
    }

    @Test
    void anEmptyPacketInAPayloadIsMalformed() {
        assertThrows(MalformedResponseException.class, () -> EngineIo.payload("", 10));
        assertThrows(MalformedResponseException.class, () -> EngineIo.payload("2\u001e", 10));
        assertThrows(MalformedResponseException.class, () -> EngineIo.payload("\u001e2", 10));
    }

    @Test
    void aClientWritesPongsAndMessagesAsTheirDigitAndData() {
        assertEquals("3", EngineIo.encode(new EngineIo.Packet.Pong("")));
        assertEquals("3probe", EngineIo.encode(new EngineIo.Packet.Pong("probe")));
        assertEquals("40", EngineIo.encode(new EngineIo.Packet.Message("0")));
    }
}
