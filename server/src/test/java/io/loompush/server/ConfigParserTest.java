package io.loompush.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.server.auth.ChannelPatterns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {
    private static final long OPEN_FILES = 20_000;

    private static Config parse(Map<String, String> env, String... args) throws ConfigException {
        return ConfigParser.parse(args, env, OPEN_FILES);
    }

    private static String refusal(String... args) {
        return assertThrows(ConfigException.class, () -> parse(Map.of(), args)).getMessage();
    }

    @Test
    void defaultsFollowTheProtocol() throws ConfigException {
        Config c = parse(Map.of());
        assertEquals(8080, c.port());
        assertEquals(Duration.ofSeconds(30), c.pollTimeout());
        assertEquals(65536, c.maxMessageBytes());
        assertEquals(64, c.history());
        assertEquals(Duration.ofMinutes(5), c.historyTtl());
        assertEquals(Duration.ofSeconds(10), c.headerTimeout());
        assertEquals(Duration.ofSeconds(10), c.drainTimeout());
        assertEquals(Duration.ofSeconds(30), c.writeTimeout());
        assertEquals(OPEN_FILES - ConfigParser.RESERVED_DESCRIPTORS, c.maxConnections());
        assertNull(c.publishToken());
        assertEquals(List.of(), c.allowOrigins());
    }

    @Test
    void flagsWinOverTheirEnvironmentTwins() throws ConfigException {
        var env = Map.of("LOOMPUSH_PORT", "9000", "LOOMPUSH_POLL_TIMEOUT", "45s", "LOOMPUSH_PUBLISH_TOKEN", "t0k");
        Config c = parse(env, "--port", "9001");
        assertEquals(9001, c.port());
        assertEquals(Duration.ofSeconds(45), c.pollTimeout());
        assertEquals("t0k", c.publishToken());
        assertEquals(9002, parse(env, "--port=9002").port());
    }

    @Test
    void durationsTakeUnits() throws ConfigException {
        assertEquals(Duration.ofMillis(500), parse(Map.of(), "--header-timeout", "500ms").headerTimeout());
        assertEquals(Duration.ofMinutes(2), parse(Map.of(), "--poll-timeout", "2m").pollTimeout());
        assertEquals(Duration.ofSeconds(7), parse(Map.of(), "--drain-timeout", "7").drainTimeout());
    }

    @Test
    void pollTimeoutIsBoundedAt120Seconds() throws ConfigException {
        assertEquals(Duration.ofSeconds(120), parse(Map.of(), "--poll-timeout", "120s").pollTimeout());
        assertTrue(refusal("--poll-timeout", "121s").startsWith("--poll-timeout:"));
    }

    @Test
    void badValuesAreRefusedInOneLineNamingTheFlag() {
        assertEquals("--port: expected a whole number, got 'http'", refusal("--port", "http"));
        assertEquals("--port: 70000 is out of range 0 to 65535", refusal("--port", "70000"));
        assertTrue(refusal("--history", "0").startsWith("--history:"));
        assertTrue(refusal("--history-ttl", "soon").startsWith("--history-ttl: expected a duration"));
        assertTrue(refusal("--allow-origin", "example.com").startsWith("--allow-origin:"));
        assertEquals("--port: missing value", refusal("--port"));
        assertEquals("unknown option '--prot' (see --help)", refusal("--prot", "1"));
        assertEquals("unknown option 'extra' (see --help)", refusal("extra"));
        for (String message : List.of(refusal("--port", "x"), refusal("--max-connections", "-1"))) {
            assertTrue(!message.contains("\n"), message);
        }
    }

    @Test
    void helpNamesEveryOptionWithItsDefaultAndEnvironmentTwin() {
        String help = ConfigParser.help(OPEN_FILES);
        for (ConfigParser.Option option : ConfigParser.OPTIONS) {
            assertTrue(help.contains(option.flag() + " " + option.value()), option.flag());
            assertTrue(help.contains(option.env()), option.env());
        }
        assertTrue(help.contains("here " + (OPEN_FILES - ConfigParser.RESERVED_DESCRIPTORS)));
    }

    @Test
    void redisIsOffByDefaultAndAMalformedUrlIsRefused() throws ConfigException {
        assertNull(parse(Map.of()).redis());
        assertEquals("push:", parse(Map.of()).redisPrefix());
        assertEquals(Duration.ofSeconds(30), parse(Map.of()).subscriptionLinger());
        assertEquals(6380, parse(Map.of("LOOMPUSH_REDIS", "redis://h:6380")).redis().port());
        assertTrue(refusal("--redis", "http://h").startsWith("--redis: "));
        assertTrue(refusal("--redis-prefix", "a b").startsWith("--redis-prefix: "));
    }

    @Test
    void originsAreAListOrAStar() throws ConfigException {
        assertEquals(List.of("https://a.example", "http://b.example:8080"),
                parse(Map.of(), "--allow-origin", "https://a.example, http://b.example:8080").allowOrigins());
        assertEquals(List.of("*"), parse(Map.of(), "--allow-origin", "*").allowOrigins());
    }

    @Test
    void tokensAreOffByDefault() throws ConfigException {
        Config c = parse(Map.of());
        assertNull(c.authKey());
        assertEquals(ChannelPatterns.NONE, c.authOpen());
        assertEquals(100_000, c.authCacheTokens());
        assertEquals(128L << 20, c.maxHistoryBytes());
    }

    @Test
    void aSecretOf32BytesTurnsTokensOnWithHs256() throws ConfigException {
        String secret = "s".repeat(32);
        assertEquals("HS256", parse(Map.of(), "--auth-jwt-secret", secret).authKey().algorithm().getName());
        assertEquals("HS256", parse(Map.of("LOOMPUSH_AUTH_JWT_SECRET", secret)).authKey().algorithm().getName());
        assertEquals("--auth-jwt-secret: the secret must be at least 32 bytes (HS256)",
                refusal("--auth-jwt-secret", "s".repeat(31)));
    }

    @Test
    void aPublicKeyFileTurnsTokensOnWithItsAlgorithm(@TempDir Path dir) throws Exception {
        Path rsa = pem(dir.resolve("rsa.pem"), "RSA", null);
        Path ec = pem(dir.resolve("ec.pem"), "EC", "secp256r1");
        assertEquals("RS256", parse(Map.of(), "--auth-jwt-key", rsa.toString()).authKey().algorithm().getName());
        assertEquals("ES256", parse(Map.of("LOOMPUSH_AUTH_JWT_KEY", ec.toString())).authKey().algorithm().getName());
    }

    @Test
    void aKeyThatIsNotRs256NorEs256IsRefused(@TempDir Path dir) throws Exception {
        Path p384 = pem(dir.resolve("p384.pem"), "EC", "secp384r1");
        assertEquals("--auth-jwt-key: " + p384 + ": an EC key must be on the curve P-256 (ES256)",
                refusal("--auth-jwt-key", p384.toString()));
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a key");
        assertTrue(refusal("--auth-jwt-key", junk.toString()).startsWith("--auth-jwt-key: " + junk + ": expected a PEM"));
        assertTrue(refusal("--auth-jwt-key", dir.resolve("absent.pem").toString())
                .startsWith("--auth-jwt-key: cannot read "));
        assertEquals("--auth-jwt-secret and --auth-jwt-key: set one, not both",
                refusal("--auth-jwt-secret", "s".repeat(32), "--auth-jwt-key", junk.toString()));
    }

    @Test
    void openChannelsAreNamesOrPrefixesAndNeedTokensOn() throws ConfigException {
        var open = parse(Map.of(), "--auth-jwt-secret", "s".repeat(32), "--auth-open", "news, public.*").authOpen();
        assertTrue(open.allows("news") && open.allows("public.x") && !open.allows("private"));
        assertEquals("--auth-open: 'a b' is not a channel name, name* or *",
                refusal("--auth-jwt-secret", "s".repeat(32), "--auth-open", "a b"));
        assertEquals("--auth-open: means nothing without --auth-jwt-secret or --auth-jwt-key",
                refusal("--auth-open", "news"));
    }

    @Test
    void theCacheAndTheHistoryCapAreBounded() throws ConfigException {
        assertEquals(0, parse(Map.of(), "--auth-cache", "0").authCacheTokens());
        assertEquals(10_000_000, parse(Map.of(), "--auth-cache", "10000000").authCacheTokens());
        assertEquals("--auth-cache: 10000001 is out of range 0 to 10000000", refusal("--auth-cache", "10000001"));
        assertEquals(1, parse(Map.of(), "--max-history-bytes", "1").maxHistoryBytes());
        assertEquals("--max-history-bytes: 0 is out of range 1 to 1099511627776", refusal("--max-history-bytes", "0"));
    }

    private static Path pem(Path file, String algorithm, String curve) throws GeneralSecurityException, IOException {
        var generator = KeyPairGenerator.getInstance(algorithm);
        if (curve == null) {
            generator.initialize(2048);
        } else {
            generator.initialize(new ECGenParameterSpec(curve));
        }
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(generator.generateKeyPair().getPublic().getEncoded());
        return Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
    }
}
