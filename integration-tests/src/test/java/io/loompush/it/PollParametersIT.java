package io.loompush.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bounds of a poll's names and parameters, at the bound and one past it.
 * A refused poll was framed correctly, so its connection carries the next one.
 */
class PollParametersIT {
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void channelNameOf200CharactersIsServedAnd201Is400() throws Exception {
        assertBound("/poll/" + "c".repeat(200) + "?timeout=0", "/poll/" + "c".repeat(201) + "?timeout=0");
    }

    @Test
    void channelNamesUseTheProtocolsAlphabetOnly() throws Exception {
        try (var client = server.connect()) {
            assertEquals(200, client.get("/poll/Az09_.:@-?timeout=0").status());
            for (String name : List.of("sp%20ace", "sl%2Fash", "%C3%A9", "a,,b", "a,", "star*")) {
                assertRefused(client, "/poll/" + name + "?timeout=0");
            }
        }
    }

    @Test
    void sixtyFourChannelsAreServedAndSixtyFiveAre400() throws Exception {
        assertBound("/poll/" + channels(64) + "?timeout=0", "/poll/" + channels(65) + "?timeout=0");
    }

    @Test
    void timeoutOf120IsAcceptedAnd121Is400() throws Exception {
        String[] ids = new String[2];
        ids[0] = server.publish("patience", "first").id();
        ids[1] = server.publish("patience", "second").id();
        assertBound("/poll/patience?timeout=120&since=" + ids[0], "/poll/patience?timeout=121&since=" + ids[0]);
    }

    @Test
    void timeoutBelowZeroOrNotANumberIs400() throws Exception {
        try (var client = server.connect()) {
            for (String timeout : List.of("-1", "x", "", "1.5", "99999999999999999999")) {
                assertRefused(client, "/poll/t?timeout=" + timeout);
            }
        }
    }

    @Test
    void maxOf1To1000IsAcceptedAnd0Or1001Is400() throws Exception {
        assertBound("/poll/m?timeout=0&max=1", "/poll/m?timeout=0&max=0");
        assertBound("/poll/m?timeout=0&max=1000", "/poll/m?timeout=0&max=1001");
    }

    private static void assertBound(String atBound, String pastBound) throws IOException {
        try (var client = server.connect()) {
            var served = client.get(atBound);
            assertEquals(200, served.status(), () -> atBound + " -> " + served);
            assertRefused(client, pastBound);
            assertRefused(client, pastBound);
            assertEquals(200, client.get(atBound).status(), "the connection still serves after a 400");
        }
    }

    private static void assertRefused(RawHttpClient client, String target) throws IOException {
        var response = client.get(target);
        assertEquals(400, response.status(), () -> target + " -> " + response);
        Errors.assertErrorBody(response);
    }

    private static String channels(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "ch" + i).collect(Collectors.joining(","));
    }
}
