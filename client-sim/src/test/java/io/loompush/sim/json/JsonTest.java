package io.loompush.sim.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void readsWhatItWrites() {
        var map = new LinkedHashMap<String, Object>();
        map.put("text", "a \"quoted\" line\nand \\ more");
        map.put("count", 42L);
        map.put("ratio", 0.5);
        map.put("ok", true);
        map.put("none", null);
        map.put("list", List.of(1L, "two", Map.of("three", 3L)));
        assertEquals(map, Json.parse(Json.write(map)));
        assertEquals(1, Json.write(map).lines().count(), "compact JSON is one line");
        assertEquals(map, Json.parse(Json.pretty(map)));
    }

    @Test
    void readsAServerAnswer() {
        var answer = Json.object("{\"cursor\":\"a-b\",\"messages\":[{\"channel\":\"c1\",\"id\":\"x\",\"data\":\"\\u0041\"}],"
                + "\"gap\":false}");
        assertEquals("a-b", answer.get("cursor"));
        assertEquals(List.of(Map.of("channel", "c1", "id", "x", "data", "A")), answer.get("messages"));
        assertEquals(false, answer.get("gap"));
    }

    @Test
    void refusesWhatIsNotJson() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"unterminated"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(100) + "]".repeat(100)));
    }
}
