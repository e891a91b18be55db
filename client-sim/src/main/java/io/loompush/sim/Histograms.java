package io.loompush.sim;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** Latency histograms in microseconds, and their compact text form for the trip from a worker to its parent. */
final class Histograms {
    /** Three significant digits: 1 µs resolution up to 1 ms, 1 ms up to 1 s, and so on. */
    static final int DIGITS = 3;

    private Histograms() {}

    static Histogram empty() {
        return new Histogram(DIGITS);
    }

    static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    static Histogram decode(String text) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalArgumentException("bad histogram from a worker: " + e.getMessage(), e);
        }
    }

    /** Milliseconds with enough decimals for loopback latencies. */
    static double millis(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
