package io.loompush.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import io.loompush.server.http.Headers;
import io.loompush.server.http.HttpError;
import io.loompush.server.http.Request;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokensTest {
    private static final long NOW_SECONDS = 1_800_000_000L;
    private static final long EXP = NOW_SECONDS + 60;

    private long nowMillis = NOW_SECONDS * 1000;
    private final InstantSource clock = () -> Instant.ofEpochMilli(nowMillis);
    private final Tokens tokens = new Tokens(TokenKey.secret(Mint.SECRET), ChannelPatterns.parse(List.of("public.*")),
            100, clock);

    private static Request bearer(String token) {
        return request("/poll/x", "Authorization: Bearer " + token);
    }

    private static Request request(String target, String... headers) {
        var fields = new ArrayList<Headers.Field>();
        for (String header : headers) {
            int colon = header.indexOf(':');
            fields.add(new Headers.Field(header.substring(0, colon), header.substring(colon + 1).strip()));
        }
        return new Request("GET", target, "HTTP/1.1", new Headers(fields), new byte[0]);
    }

    private HttpError refusal(Request request, String... channels) {
        return assertThrows(HttpError.class, () -> tokens.check(request, channels));
    }

    private static void assertRefused(int status, String reason, HttpError e) {
        assertEquals(status + " " + reason, e.status() + " " + e.reason());
    }

    @Test
    void aTokenForTheChannelsGrantsThemUntilItsExpiry() throws HttpError {
        String token = Mint.hs256(Mint.SECRET, Mint.claims(EXP, "news", "user.alice.*"));
        Grant grant = tokens.check(bearer(token), new String[] {"news", "user.alice.inbox"});
        assertEquals("alice", grant.subject());
        assertEquals(Duration.ofSeconds(60), grant.lifetime());
    }

    @Test
    void theTokenMayComeAsAQueryParameter() throws HttpError {
        String token = Mint.hs256(Mint.SECRET, Mint.claims(EXP, "news"));
        Grant grant = tokens.check(request("/poll/news?timeout=5&token=" + token), new String[] {"news"});
        assertEquals(Duration.ofSeconds(60), grant.lifetime());
    }

    @Test
    void withoutATokenIs401TokenRequired() {
        assertRefused(401, "token required", refusal(request("/poll/news"), "news"));
        assertRefused(401, "token required", refusal(request("/poll/news", "Authorization: Bearer "), "news"));
        assertRefused(401, "token required", refusal(request("/poll/news", "Authorization: Basic abc"), "news"));
        assertRefused(401, "token required", refusal(request("/poll/news?token="), "news"));
    }

    @Test
    void openChannelsNeedNoToken() throws HttpError {
        assertSame(Grant.OPEN, tokens.check(request("/poll/public.news"), new String[] {"public.news"}));
        assertSame(Grant.OPEN, tokens.check(bearer("junk"), new String[] {"public.a", "public.b"}));
    }

    @Test
    void anOpenChannelBesideAClosedOneStillNeedsTheToken() throws HttpError {
        assertRefused(401, "token required", refusal(request("/poll/news"), "news", "public.a"));
        String token = Mint.hs256(Mint.SECRET, Mint.claims(EXP, "news"));
        assertEquals("alice", tokens.check(bearer(token), new String[] {"news", "public.a"}).subject());
    }

    @Test
    void aChannelTheTokenDoesNotNameIs403() {
        String token = Mint.hs256(Mint.SECRET, Mint.claims(EXP, "news", "user.alice.*"));
        assertRefused(403, "channel not allowed: user.bob.inbox",
                refusal(bearer(token), "news", "user.bob.inbox"));
        assertRefused(403, "channel not allowed: user.alice", refusal(bearer(token), "user.alice"));
    }

    @Test
    void aStarInTheTokenAllowsEveryChannel() throws HttpError {
        String token = Mint.hs256(Mint.SECRET, Mint.claims(EXP, "*"));
        tokens.check(bearer(token), new String[] {"a", "b", "c"});
    }

    @Test
    void atItsExpiryATokenIs401TokenExpired() throws HttpError {
        String token = Mint.hs256(Mint.SECRET, Mint.claims(EXP, "news"));
        nowMillis = EXP * 1000 - 1;
        assertEquals(Duration.ofMillis(1), tokens.check(bearer(token), new String[] {"news"}).lifetime());
        nowMillis = EXP * 1000;
        assertRefused(401, "token expired", refusal(bearer(token), "news"));
    }

    @Test
    void aCachedTokenExpiresToo() throws HttpError {
        String token = Mint.hs256(Mint.SECRET, Mint.claims(EXP, "news"));
        tokens.check(bearer(token), new String[] {"news"});
        nowMillis = EXP * 1000 + 5;
        assertRefused(401, "token expired", refusal(bearer(token), "news"));
    }

    @Test
    void beforeItsNotBeforeATokenIs401TokenExpired() throws HttpError {
        var claims = new JWTClaimsSet.Builder(Mint.claims(EXP, "news")).notBeforeTime(new Date(nowMillis + 1000))
                .build();
        String token = Mint.hs256(Mint.SECRET, claims);
        assertRefused(401, "token expired", refusal(bearer(token), "news"));
        nowMillis += 1000;
        assertEquals("alice", tokens.check(bearer(token), new String[] {"news"}).subject());
    }

    @Test
    void aTokenSignedWithAnotherSecretIsInvalid() {
        String token = Mint.hs256("another-secret-of-32-bytes-or-more!", Mint.claims(EXP, "news"));
        assertRefused(401, "invalid token", refusal(bearer(token), "news"));
    }

    @Test
    void algNoneIsInvalid() {
        String claims = Mint.claims(EXP, "news").toString();
        String none = b64("{\"alg\":\"none\"}") + "." + b64(claims) + ".";
        assertRefused(401, "invalid token", refusal(bearer(none), "news"));
    }

    @Test
    void anotherAlgorithmThanTheKeysIsInvalid() throws Exception {
        String token = Mint.sign(JWSAlgorithm.HS512, new MACSigner(Mint.SECRET.repeat(2)), Mint.claims(EXP, "news"));
        var hs512 = new Tokens(TokenKey.secret(Mint.SECRET.repeat(2)), ChannelPatterns.NONE, 10, clock);
        var e = assertThrows(HttpError.class, () -> hs512.check(bearer(token), new String[] {"news"}));
        assertRefused(401, "invalid token", e);
    }

    @Test
    void hs256SignedWithThePublicKeyIsInvalidAgainstThatKey() {
        var pair = Mint.rsa(2048);
        var rs256 = new Tokens(TokenKey.publicKey(Mint.pem(pair)), ChannelPatterns.NONE, 10, clock);
        String forged = Mint.hs256(Mint.pem(pair), Mint.claims(EXP, "news"));
        var e = assertThrows(HttpError.class, () -> rs256.check(bearer(forged), new String[] {"news"}));
        assertRefused(401, "invalid token", e);
    }

    @Test
    void rs256AndEs256TokensAreCheckedWithTheirPublicKeys() throws HttpError {
        var rsa = Mint.rsa(2048);
        var rs256 = new Tokens(TokenKey.publicKey(Mint.pem(rsa)), ChannelPatterns.NONE, 10, clock);
        assertEquals("alice", rs256.check(bearer(Mint.rs256(rsa, Mint.claims(EXP, "news"))),
                new String[] {"news"}).subject());
        assertRefused(401, "invalid token", assertThrows(HttpError.class,
                () -> rs256.check(bearer(Mint.rs256(Mint.rsa(2048), Mint.claims(EXP, "news"))), new String[] {"news"})));

        var ec = Mint.ec("secp256r1");
        var es256 = new Tokens(TokenKey.publicKey(Mint.pem(ec)), ChannelPatterns.NONE, 10, clock);
        assertEquals("alice", es256.check(bearer(Mint.es256(ec, Mint.claims(EXP, "news"))),
                new String[] {"news"}).subject());
    }

    @Test
    void claimsOfTheWrongShapeAreInvalid() {
        var base = Mint.claims(EXP, "news");
        List<JWTClaimsSet> bad = List.of(
                new JWTClaimsSet.Builder(base).expirationTime(null).build(),
                new JWTClaimsSet.Builder(base).claim("channels", null).build(),
                new JWTClaimsSet.Builder(base).claim("channels", "news").build(),
                new JWTClaimsSet.Builder(base).claim("channels", List.of("news", 7)).build(),
                new JWTClaimsSet.Builder(base).claim("channels", List.of("bad name")).build(),
                new JWTClaimsSet.Builder(base).claim("exp", "soon").build(),
                new JWTClaimsSet.Builder(base).claim("nbf", "later").build());
        for (var claims : bad) {
            assertRefused(401, "invalid token", refusal(bearer(Mint.hs256(Mint.SECRET, claims)), "news"));
        }
    }

    /** A signature of 32 bytes is 43 characters, whose last one has 2 bits the decoder drops. */
    @Test
    void aSignatureSpeltAnotherWayIsInvalid() throws HttpError {
        String good = Mint.hs256(Mint.SECRET, Mint.claims(EXP, "news"));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = good.charAt(good.length() - 1);
        String respelt = good.substring(0, good.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertRefused(401, "invalid token", refusal(bearer(respelt), "news"));
        assertRefused(401, "invalid token", refusal(bearer(good + "="), "news"));
        tokens.check(bearer(good), new String[] {"news"});
    }

    /** Random bytes and every kind of one-character damage to a good token: always 401, never anything else. */
    @Test
    void junkTokensAreInvalid() {
        String good = Mint.hs256(Mint.SECRET, Mint.claims(EXP, "news"));
        var random = new Random(14);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";
        for (int i = 0; i < 3000; i++) {
            var token = new StringBuilder(good);
            switch (i % 4) {
                case 0 -> token.setCharAt(random.nextInt(token.length()), alphabet.charAt(random.nextInt(alphabet.length())));
                case 1 -> token.deleteCharAt(random.nextInt(token.length()));
                case 2 -> token.insert(random.nextInt(token.length()), alphabet.charAt(random.nextInt(alphabet.length())));
                default -> {
                    token.setLength(0);
                    for (int n = random.nextInt(300); n > 0; n--) {
                        token.append(alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                }
            }
            String junk = token.toString().strip();
            if (junk.equals(good) || junk.isEmpty()) {
                continue;
            }
            var e = assertThrows(HttpError.class, () -> tokens.check(bearer(junk), new String[] {"news"}), junk);
            assertTrue(e.status() == 401 && e.reason().equals("invalid token"), junk + ": " + e.reason());
        }
    }

    @Test
    void aGrantCutsAHoldToItsLifetime() {
        var grant = new Grant("alice", Duration.ofMillis(1500));
        assertEquals(Duration.ofMillis(1500), grant.cap(Duration.ofSeconds(30)));
        assertEquals(Duration.ofSeconds(1), grant.cap(Duration.ofSeconds(1)));
        assertEquals(Duration.ZERO, grant.cap(Duration.ZERO));
        assertEquals(Duration.ofSeconds(30), Grant.OPEN.cap(Duration.ofSeconds(30)));
        assertNull(Grant.OPEN.lifetime());
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
