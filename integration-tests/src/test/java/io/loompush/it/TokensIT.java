package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/PROTOCOL.md, "Subscription tokens": every status of the table, on the wire. */
class TokensIT {
    private static final String SECRET = "it-secret-of-at-least-32-bytes-long";

    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start("--auth-jwt-secret", SECRET, "--auth-open", "public.*");
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    private static String token(String... channels) {
        return Jwt.hs256(SECRET, Jwt.claims(Jwt.nowSeconds() + 60, channels));
    }

    private static void assertRefused(int status, String reason, RawResponse response) {
        assertEquals(status, response.status(), response::toString);
        assertEquals("{\"error\":\"" + reason + "\"}", response.text());
        Errors.assertErrorBody(response);
        if (status == 401) {
            assertEquals("Bearer", response.header("WWW-Authenticate"), response::toString);
        }
        assertFalse(response.closing(), "a refused poll was framed correctly, so the connection stays open");
    }

    @Test
    void aPollWithoutATokenIs401TokenRequired() throws Exception {
        try (var client = server.connect()) {
            assertRefused(401, "token required", client.get("/poll/news?timeout=0"));
            assertRefused(401, "token required", client.get("/poll/news?timeout=0", "Authorization: Basic dTpw"));
        }
    }

    @Test
    void aTokenDeliversOnItsChannelsAsAHeaderOrAsAQueryParameter() throws Exception {
        String token = token("user.alice.*");
        try (var byHeader = server.connect(); var byQuery = server.connect()) {
            byHeader.sendGet("/poll/user.alice.inbox?timeout=10", "Authorization: Bearer " + token);
            byQuery.sendGet("/poll/user.alice.inbox?timeout=10&token=" + token);
            server.stats().awaitHeld(2, 2, Duration.ofSeconds(5));

            var published = server.publish("user.alice.inbox", "hello");

            assertEquals(List.of(published.id()), PollAnswer.of(byHeader.read()).ids());
            assertEquals(List.of(published.id()), PollAnswer.of(byQuery.read()).ids());
        }
    }

    @Test
    void aChannelTheTokenDoesNotNameIs403() throws Exception {
        try (var client = server.connect()) {
            var response = client.get("/poll/user.alice.inbox,user.bob.inbox?timeout=0",
                    "Authorization: Bearer " + token("user.alice.*"));
            assertRefused(403, "channel not allowed: user.bob.inbox", response);
        }
    }

    @Test
    void anExpiredTokenAndOneNotValidYetAre401TokenExpired() throws Exception {
        String expired = Jwt.hs256(SECRET, Jwt.claims(Jwt.nowSeconds() - 1, "news"));
        var early = new JWTClaimsSet.Builder(Jwt.claims(Jwt.nowSeconds() + 120, "news"))
                .notBeforeTime(new Date((Jwt.nowSeconds() + 60) * 1000)).build();
        try (var client = server.connect()) {
            assertRefused(401, "token expired", client.get("/poll/news?timeout=0", "Authorization: Bearer " + expired));
            assertRefused(401, "token expired",
                    client.get("/poll/news?timeout=0", "Authorization: Bearer " + Jwt.hs256(SECRET, early)));
        }
    }

    @Test
    void openChannelsNeedNoToken() throws Exception {
        try (var client = server.connect()) {
            var answer = client.get("/poll/public.news?timeout=0");
            assertEquals(200, answer.status(), answer::toString);
        }
    }

    @Test
    void aRefusedPollLeavesNoChannelAndNoMailboxBehind() throws Exception {
        long channels = server.stats().read("channels");
        try (var client = server.connect()) {
            client.sendGet("/poll/secret.one,secret.two?timeout=30");
            assertEquals(401, client.read().status());
            client.sendGet("/poll/secret.one?timeout=30", "Authorization: Bearer " + token("other"));
            assertEquals(403, client.read().status());
        }
        assertEquals(channels, server.stats().read("channels"));
        assertEquals(0, server.stats().read("mailboxes"));
    }

    /** The hold is cut to the token's lifetime (swept every quarter second); the next poll needs a new token. */
    @Test
    void aHeldPollIsAnsweredWhenItsTokenExpires() throws Exception {
        long exp = Jwt.nowSeconds() + 2;
        String token = Jwt.hs256(SECRET, Jwt.claims(exp, "ticking"));
        try (var client = server.connect()) {
            var answer = client.get("/poll/ticking?timeout=60", "Authorization: Bearer " + token);
            long answeredAt = System.currentTimeMillis();

            assertEquals(200, answer.status(), answer::toString);
            assertEquals(List.of(), PollAnswer.of(answer).messages());
            assertTrue(answeredAt >= exp * 1000 - 50 && answeredAt <= exp * 1000 + 1000,
                    "answered " + (answeredAt - exp * 1000) + " ms after exp");
            assertRefused(401, "token expired", client.get("/poll/ticking?timeout=60", "Authorization: Bearer " + token));
        }
    }

    @Test
    void streamsNeedATokenLikePollsAndAWebSocketHandshakeGetsTheSameStatuses() throws Exception {
        try (var client = server.connect()) {
            client.sendGet("/sse/news");
            assertRefused(401, "token required", client.readOpening());
            client.sendGet("/sse/news?token=" + token("other"));
            assertRefused(403, "channel not allowed: news", client.readOpening());
            client.sendGet("/ws/news", WsConnection.handshake("dGhlIHNhbXBsZSBub25jZQ=="));
            assertRefused(401, "token required", client.readOpening());
        }
        try (var ws = WsConnection.open(server.connect(), "/ws/news?token=" + token("news"))) {
            String id = server.publish("news", "for token holders").id();
            assertEquals(id, PollAnswer.of(ws.nextAnsweringPings().text()).cursor());
        }
    }

    @Test
    void anSseStreamEndsWhenItsTokenExpires() throws Exception {
        long exp = Jwt.nowSeconds() + 2;
        String token = Jwt.hs256(SECRET, Jwt.claims(exp, "ticking-sse"));
        try (var client = server.connect()) {
            client.sendGet("/sse/ticking-sse?token=" + token);
            assertEquals(200, client.readOpening().status());
            var events = new SseEvents(client.input());
            String id = server.publish("ticking-sse", "before").id();
            assertEquals(id, events.nextEvent().id());
            assertThrows(EOFException.class, events::nextEvent);
            long endedAt = System.currentTimeMillis();
            assertTrue(endedAt >= exp * 1000 - 50 && endedAt <= exp * 1000 + 1000,
                    "ended " + (endedAt - exp * 1000) + " ms after exp");
        }
    }

    @Test
    void aWebSocketIsClosedWith1008WhenItsTokenExpires() throws Exception {
        long exp = Jwt.nowSeconds() + 2;
        String token = Jwt.hs256(SECRET, Jwt.claims(exp, "ticking-ws"));
        try (var ws = WsConnection.open(server.connect(), "/ws/ticking-ws", "Authorization: Bearer " + token)) {
            var close = ws.nextAnsweringPings();
            long closedAt = System.currentTimeMillis();
            assertEquals(WsConnection.CLOSE, close.opcode());
            assertEquals(1008, close.closeCode());
            assertTrue(closedAt >= exp * 1000 - 50 && closedAt <= exp * 1000 + 1000,
                    "closed " + (closedAt - exp * 1000) + " ms after exp");
        }
    }

    /** Random text and one-character damage to a good token, by header and by query: 401, and the connection lives. */
    @Test
    void junkTokensAre401InvalidToken() throws Exception {
        String good = token("news");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        var random = new Random(14);
        try (var client = server.connect()) {
            for (int i = 0; i < 400; i++) {
                var junk = new StringBuilder(good);
                int at = random.nextInt(junk.length());
                switch (i % 4) {
                    case 0 -> junk.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> junk.deleteCharAt(at);
                    case 2 -> junk.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> {
                        junk.setLength(0);
                        for (int n = 1 + random.nextInt(400); n > 0; n--) {
                            junk.append((char) (0x21 + random.nextInt(0x5e)));
                        }
                    }
                }
                if (junk.toString().equals(good)) {
                    continue;
                }
                var response = i % 2 == 0 || i % 4 == 3
                        ? client.get("/poll/news?timeout=0", "Authorization: Bearer " + junk)
                        : client.get("/poll/news?timeout=0&token=" + junk);
                assertRefused(401, "invalid token", response);
            }
        }
    }

    @Test
    void anEs256KeyFileChecksEs256TokensAndRefusesHs256SignedWithItsPublicKey(@TempDir Path dir) throws Exception {
        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var pair = generator.generateKeyPair();
        Path key = Files.writeString(dir.resolve("tokens.pem"), Jwt.pem(pair));
        try (var es256 = TestServer.start("--auth-jwt-key", key.toString()); var client = es256.connect()) {
            var claims = Jwt.claims(Jwt.nowSeconds() + 60, "news");
            assertEquals(200, client.get("/poll/news?timeout=0", "Authorization: Bearer " + Jwt.es256(pair, claims))
                    .status());
            String forged = Jwt.hs256(Jwt.pem(pair), claims);
            assertRefused(401, "invalid token", client.get("/poll/news?timeout=0", "Authorization: Bearer " + forged));
        }
    }
}
