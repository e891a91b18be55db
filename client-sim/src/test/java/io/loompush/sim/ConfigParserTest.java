package io.loompush.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.sim.protocol.Transport;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigParserTest {
    static final Kernel KERNEL = new Kernel(20_000, 32768, 60999, 4096);

    static SimConfig parse(String... args) throws UsageException {
        return ConfigParser.parse(args, KERNEL);
    }

    private static String refusal(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void everyFlagHasADefault() throws Exception {
        var config = parse();
        assertEquals(Mode.IDLE, config.mode());
        assertEquals("loompush", config.protocol().name());
        assertEquals("127.0.0.1:8080", config.target().host());
        assertEquals(1000, config.clients());
        assertEquals(Duration.ofSeconds(30), config.pollTimeout());
        assertEquals(List.of(), config.sharedChannels());
        assertEquals(SimConfig.PublishVia.HTTP, config.publishVia());
        assertEquals("/stats", config.statsPath());
        assertEquals(Duration.ofMillis(500).plus(ConfigParser.CONNECT_SLACK), config.connectTimeout(),
                "1000 clients at 2000 per second, plus the slack");
        assertEquals(20_000 - ConfigParser.RESERVED_DESCRIPTORS, config.perProcess());
        assertTrue(config.run().matches("[a-z0-9]{6}"));
        assertNull(config.worker());
        assertNull(config.serverPid());
        assertFalse(config.forceGc());
    }

    @Test
    void takesAValueAfterTheFlagOrAfterAnEqualsSign() throws Exception {
        var config = parse("--clients", "19000", "--mode=fanout", "--duration=2m", "--force-gc", "--server-pid", "42");
        assertEquals(19000, config.clients());
        assertEquals(Mode.FANOUT, config.mode());
        assertEquals(Duration.ofMinutes(2), config.duration());
        assertTrue(config.forceGc());
        assertEquals(42L, config.serverPid());
    }

    @Test
    void aSubscriptionTokenIsForLoompushOnly() throws Exception {
        assertNull(parse().token());
        assertEquals("aaa.bbb.ccc", parse("--token", "aaa.bbb.ccc").token());
        assertEquals("--token: nchan takes no subscription token", refusal("--protocol", "nchan", "--token", "a.b.c"));
        assertEquals("--token: a JWT is base64url parts joined by dots", refusal("--token", "a b"));
    }

    @Test
    void refusesUnknownFlagsAndMissingOrRepeatedValues() {
        assertEquals("unknown option '--conections' (see --help)", refusal("--conections", "5"));
        assertEquals("--clients: missing value", refusal("--clients"));
        assertEquals("--clients: given twice", refusal("--clients", "1", "--clients", "2"));
    }

    @Test
    void refusesImpossibleCounts() {
        assertEquals("--clients: 0 is out of range 1 to 1000000", refusal("--clients", "0"));
        assertEquals("--clients: -5 is out of range 1 to 1000000", refusal("--clients", "-5"));
        assertEquals("--clients: 1000001 is out of range 1 to 1000000", refusal("--clients", "1000001"));
        assertEquals("--clients: expected a whole number, got 'many'", refusal("--clients", "many"));
        assertEquals("--ramp: 0 is out of range 1 to 1000000", refusal("--ramp", "0"));
        assertEquals("--poll-timeout: 121s is out of range 1s to 120s", refusal("--poll-timeout", "121s"));
        assertEquals("--duration: expected a duration such as 30s, 500ms or 5m, got 'soon'", refusal("--duration", "soon"));
    }

    @Test
    void refusesEveryTargetOffLoopback() {
        assertTrue(refusal("--target", "192.168.1.10:8080").contains("not a loopback address"));
        assertTrue(refusal("--target", "10.0.0.1:80").contains("127.0.0.0/8 and ::1 only"));
        assertTrue(refusal("--redis", "redis://10.0.0.2:6379").startsWith("--redis: 10.0.0.2 is not a loopback"));
        assertTrue(refusal("--source-addrs", "10.0.0.2").startsWith("--source-addrs: 10.0.0.2 is not a loopback"));
        assertEquals("--target: port must be 1 to 65535 in '127.0.0.1:0'", refusal("--target", "127.0.0.1:0"));
    }

    @Test
    void takesAnyLoopbackTarget() throws Exception {
        assertEquals(8081, parse("--target", "http://127.0.0.9:8081/").target().address().getPort());
        var v6 = parse("--target", "[::1]:8080");
        assertEquals(InetAddress.getByName("::1"), v6.target().address().getAddress());
        assertEquals(List.of(InetAddress.getByName("::1")), v6.sources().addresses(), "auto picks ::1 for IPv6");
    }

    @Test
    void spreadsOverASourceRange() throws Exception {
        var sources = parse("--source-addrs", "127.0.0.2-127.0.0.40").sources();
        assertEquals(39, sources.addresses().size());
        assertEquals(InetAddress.getByName("127.0.0.2"), sources.forClient(0));
        assertEquals(InetAddress.getByName("127.0.0.3"), sources.forClient(40));
        assertEquals(500, sources.perAddress(19_500));
        assertTrue(refusal("--source-addrs", "127.0.0.9-127.0.0.2").contains("ends before it starts"));
        assertTrue(refusal("--source-addrs", "localhost").contains("is not an IP address"));
        assertTrue(refusal("--source-addrs", "::1").contains("another address family"));
    }

    @Test
    void autoSourcesKeepEachAddressUnderAQuarterOfThePortRange() throws Exception {
        var sources = parse("--clients", "19000").sources();
        assertEquals(3, sources.addresses().size(), "28232 ports / 4 = 7058 per address");
        assertEquals(InetAddress.getByName("127.0.0.4"), sources.addresses().getLast());
        assertEquals(1, parse("--clients", "7000").sources().addresses().size());
    }

    @Test
    void modeAndProtocolChooseTheDefaultsThatDependOnThem() throws Exception {
        assertEquals(List.of("broadcast"), parse("--mode", "fanout").sharedChannels());
        assertEquals(List.of("news", "sports"), parse("--mode", "fanout", "--shared-channels", "news,sports").sharedChannels());
        assertEquals(0, parse("--mode", "active").rate());
        assertEquals(1000, parse("--mode", "unicast").rate());
        var seed = parse("--protocol", "seed-node");
        assertEquals(SimConfig.PublishVia.REDIS, seed.publishVia());
        assertNull(seed.statsPath());
        assertNull(parse("--protocol", "nchan").statsPath());
    }

    @Test
    void refusesCombinationsTheServerCannotServe() {
        assertTrue(refusal("--protocol", "seed-node", "--publish", "http").contains("through Redis only"));
        assertTrue(refusal("--protocol", "nchan", "--publish", "redis").contains("use --publish http"));
        assertTrue(refusal("--protocol", "seed-node", "--shared-channels", "news").contains("'broadcast'"));
        assertTrue(refusal("--protocol", "nchan", "--shared-channels", "a,b,c,d").contains("at most 4"));
        assertTrue(refusal("--mode", "fanout", "--shared-channels", "none").contains("needs a shared channel"));
        assertTrue(refusal("--shared-channels", "c12").contains("a client's own channel"));
        assertTrue(refusal("--shared-channels", "bad name").contains("not a channel name"));
        assertEquals("--force-gc needs --server-pid: jcmd asks that process for a GC", refusal("--force-gc"));
        assertEquals("--mode: expected idle, active, fanout, unicast, connect or reconnect, got 'burst'",
                refusal("--mode", "burst"));
    }

    @Test
    void aReconnectRunCutsInsideItsLoadPhase() throws Exception {
        var config = parse("--mode", "reconnect", "--duration", "20s");
        assertEquals(Duration.ofSeconds(5), config.cutAt());
        assertEquals(1000, config.rate(), "publishing goes on through the cut");
        assertEquals(Duration.ofMillis(500), parse("--mode", "reconnect", "--duration", "2s", "--cut-at", "500ms").cutAt());
        assertEquals("--cut-at: 10s leaves no time to reconnect in a --duration of 10s",
                refusal("--mode", "reconnect", "--duration", "10s", "--cut-at", "10s"));
        assertEquals(Duration.ofSeconds(5), parse("--duration", "1s").cutAt(), "other modes ignore it");
    }

    @Test
    void aWorkerTakesItsSliceAndItsParentsRun() throws Exception {
        var worker = parse("--clients", "40000", "--worker", "13334-26667", "--run-id", "abc123");
        assertEquals(new Slice(13334, 26667), worker.worker());
        assertEquals("abc123", worker.run());
        assertTrue(refusal("--clients", "10", "--worker", "5-20").contains("is not a part of 0-10"));
    }

    @Test
    void theTransportIsPollUnlessAStreamIsAskedForWhereTheServerHasOne() throws Exception {
        assertEquals(Transport.POLL, parse().transport());
        assertEquals(Transport.WS, parse("--transport", "ws", "--protocol", "nchan").transport());
        assertEquals("--transport: expected poll, sse or ws, got 'grpc'", refusal("--transport", "grpc"));
        assertEquals("--transport sse: seed-node has no sse: the seed's design long-polls only",
                refusal("--transport", "sse", "--protocol", "seed-node"));
        assertTrue(refusal("--transport", "ws", "--mode", "reconnect").startsWith("--transport ws: --mode reconnect is long-poll only"));
    }
}
