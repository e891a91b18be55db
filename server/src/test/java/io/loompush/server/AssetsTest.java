package io.loompush.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loompush.server.http.Headers;
import io.loompush.server.http.Request;
import io.loompush.server.http.Response;
import io.loompush.server.http.ResponseWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssetsTest {
    private static final Assets ASSETS = Assets.load();

    private static Request get(String path, String... headers) {
        var fields = new ArrayList<Headers.Field>();
        fields.add(new Headers.Field("Host", "localhost"));
        for (int i = 0; i < headers.length; i += 2) {
            fields.add(new Headers.Field(headers[i], headers[i + 1]));
        }
        return new Request("GET", path, "HTTP/1.1", new Headers(fields), new byte[0]);
    }

    private static String head(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void theClientIsAModuleAnyOriginMayImportAndCache() {
        var asset = ASSETS.at("/loompush.js");
        var response = Assets.answer(asset, get("/loompush.js"));
        String head = head(ResponseWriter.bytes(response));

        assertEquals(200, response.status());
        assertTrue(head.contains("\r\nContent-Type: text/javascript; charset=utf-8\r\n"), head);
        assertTrue(head.contains("\r\nCache-Control: no-cache\r\n"), head);
        assertFalse(head.contains("no-store"), head);
        assertTrue(head.contains("\r\nETag: " + asset.etag() + "\r\n"), head);
        assertTrue(head.contains("\r\nAccess-Control-Allow-Origin: *\r\n"), head);
        assertTrue(new String(asset.body(), StandardCharsets.UTF_8).contains("export function subscribe("));
    }

    @Test
    void aKnownTagIsAnswered304WithTheLengthOfTheFileAndNoBody() {
        var asset = ASSETS.at("/loompush.js");
        for (String tag : List.of(asset.etag(), "W/" + asset.etag(), "\"other\", " + asset.etag(), "*")) {
            var response = Assets.answer(asset, get("/loompush.js", "If-None-Match", tag));
            byte[] bytes = ResponseWriter.bytes(response);

            assertEquals(304, response.status(), tag);
            assertTrue(head(bytes).startsWith("HTTP/1.1 304 Not Modified\r\n"), tag);
            assertTrue(head(bytes).contains("\r\nContent-Length: " + asset.body().length + "\r\n"), tag);
            assertEquals(head(bytes).length(), bytes.length, "no body: " + tag);
        }
        assertEquals(200, Assets.answer(asset, get("/loompush.js", "If-None-Match", "\"other\"")).status());
    }

    @Test
    void theDashboardIsAPageThatRunsOnlyItsOwnScript() {
        var page = ASSETS.at("/dashboard");
        String head = head(ResponseWriter.bytes(Assets.answer(page, get("/dashboard"))));

        assertTrue(head.contains("\r\nContent-Type: text/html; charset=utf-8\r\n"), head);
        assertTrue(head.contains("script-src 'self'; connect-src 'self';"), head);
        assertTrue(head.contains("frame-ancestors 'none'"), head);
        assertNotNull(ASSETS.at("/dashboard.js"));
        assertTrue(new String(page.body(), StandardCharsets.UTF_8).contains("<script src=\"/dashboard.js\""));
    }

    @Test
    void otherPathsAreNoAssets() {
        assertNull(ASSETS.at("/dashboard.html"));
        assertNull(ASSETS.at("/web/loompush.js"));
        assertNull(ASSETS.at("/loompush.js/"));
    }

    @Test
    void everyAnswerOfTheServerButTheAssetsStaysUncached() {
        var response = Response.json(200, "{}");
        assertTrue(head(ResponseWriter.bytes(response)).contains("\r\nCache-Control: no-store\r\n"));
    }
}
