package io.loompush.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium driven by Selenium WebDriver, for what only a real browser
 * shows: its {@code fetch}, {@code EventSource} and {@code WebSocket}, their
 * CORS and their reconnects. The browser and its driver are the system's
 * (Debian's {@code chromium} and {@code chromium-driver}, which ops/test
 * installs); Selenium is given both paths, so its Selenium Manager never runs
 * and nothing is downloaded. Without them the test fails and names the line
 * that installs them: it never skips.
 *
 * <p>A page tells the test what it saw through a global it keeps; {@link #json}
 * reads one as JSON and {@link #awaitJson} waits for a condition on it. Closing
 * quits Chromium and stops chromedriver, whatever the test did.
 */
final class Browser implements AutoCloseable {
    static final String INSTALL = "apt-get install -y chromium chromium-driver";
    private static final List<String> BINARY_DIRECTORIES = List.of("/usr/bin", "/usr/local/bin");
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    /**
     * As the driver starts, Selenium looks for its DevTools binding of this Chromium's version and
     * warns when it has none. The tests drive pages through WebDriver alone and need none; the
     * logger is held here so its level stays set.
     */
    private static final Logger CDP_VERSION_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /**
     * Starts Chromium, headless, with a window of the given size (what a screenshot shows).
     *
     * @param driverLog where chromedriver writes its log, quoted when the browser does not start
     */
    static Browser start(Path driverLog, int width, int height) throws IOException {
        Path chromium = find("chromium", "chromium-browser")
                .orElseGet(() -> fail("no Chromium for the browser tests: no chromium or chromium-browser in "
                        + BINARY_DIRECTORIES + " or on PATH. Install it: " + INSTALL + " (ops/test does)"));
        Path chromedriver = find("chromedriver")
                .orElseGet(() -> fail("no chromedriver for the browser tests: none in " + BINARY_DIRECTORIES
                        + " or on PATH. Install it: " + INSTALL + " (ops/test does)"));
        Files.createDirectories(driverLog.getParent());
        CDP_VERSION_FINDER.setLevel(Level.SEVERE);
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogFile(driverLog.toFile())
                .build();
        var options = new ChromeOptions()
                .setBinary(chromium.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=" + width + "," + height, "--no-first-run", "--no-default-browser-check",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-extensions");
        try {
            return new Browser(new ChromeDriver(service, options));
        } catch (WebDriverException e) {
            service.close();
            return fail(chromium + " through " + chromedriver + " did not start: " + e.getMessage()
                    + "\nchromedriver's log:\n" + tail(driverLog));
        }
    }

    void open(URI page) {
        driver.get(page.toString());
    }

    /** A JSON value the page holds, e.g. {@code window.record}, read through {@code JSON.stringify}. */
    Map<String, Object> json(String expression) {
        if (!(driver.executeScript("return JSON.stringify(" + expression + ")") instanceof String text)) {
            return fail(expression + " is undefined in " + driver.getCurrentUrl());
        }
        return Json.object(text);
    }

    /** Reads {@link #json} until the condition holds; fails with the last reading at the deadline. */
    Map<String, Object> awaitJson(String what, String expression, Predicate<Map<String, Object>> condition,
                                  Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var value = json(expression);
            if (condition.test(value)) {
                return value;
            }
            if (System.nanoTime() >= deadline) {
                return fail("not within " + timeout + ": " + what + "; last " + expression + ": " + value);
            }
            Thread.sleep(POLL_INTERVAL);
        }
    }

    /** A PNG of the window as it is now. */
    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Quits Chromium and stops chromedriver. */
    @Override
    public void close() {
        driver.quit();
    }

    private static Optional<Path> find(String... names) {
        var directories = Stream.concat(
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                BINARY_DIRECTORIES.stream());
        return directories.filter(d -> !d.isEmpty())
                .flatMap(d -> Stream.of(names).map(name -> Path.of(d, name)))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static String tail(Path log) {
        try {
            var lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
