package io.loompush.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelPatternsTest {
    @Test
    void aNameAllowsThatChannelOnly() {
        var patterns = ChannelPatterns.parse(List.of("news"));
        assertTrue(patterns.allows("news"));
        assertFalse(patterns.allows("news2"));
        assertFalse(patterns.allows("new"));
    }

    @Test
    void aPrefixAllowsEveryChannelThatStartsWithIt() {
        var patterns = ChannelPatterns.parse(List.of("user.alice.*"));
        assertTrue(patterns.allows("user.alice.inbox"));
        assertTrue(patterns.allows("user.alice."));
        assertFalse(patterns.allows("user.alice"), "the prefix is the text before *, dot included");
        assertFalse(patterns.allows("user.alicia.inbox"));
    }

    @Test
    void aStarAloneAllowsEveryChannel() {
        var patterns = ChannelPatterns.parse(List.of("*"));
        assertTrue(patterns.allows("anything"));
        assertTrue(patterns.all());
    }

    @Test
    void nothingAllowsNothing() {
        assertFalse(ChannelPatterns.NONE.allows("news"));
        assertFalse(ChannelPatterns.parse(List.of()).allows("news"));
    }

    @Test
    void aPatternIsANameANamePrefixOrAStar() {
        for (String bad : List.of("", "a b", "a*b", "**", "*a", "news/1", "a".repeat(201), "a".repeat(201) + "*")) {
            var e = assertThrows(IllegalArgumentException.class, () -> ChannelPatterns.parse(List.of(bad)), bad);
            assertEquals("'" + bad + "' is not a channel name, name* or *", e.getMessage());
        }
        assertTrue(ChannelPatterns.parse(List.of("a".repeat(200) + "*")).allows("a".repeat(200)));
    }
}
