package io.loompush.sim.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads small {@code /proc} files. They report a size of 0, and some kernels
 * (and sandboxes) answer only the first read of a sysctl file: a reader that
 * trusts the size reads one byte and stops. These read with one large buffer.
 */
public final class ProcFiles {
    private ProcFiles() {}

    /** The file's text, or null when it cannot be read. */
    public static String read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The file's lines, or none when it cannot be read. */
    public static List<String> lines(Path file) {
        String text = read(file);
        return text == null ? List.of() : text.lines().toList();
    }
}
