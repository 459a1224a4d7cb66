package dev.sealpost.core.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Searches a byte array for line-ending octets eight at a time ("SIMD within a register"): the
 * input readers spend most of their time looking for the next CR or LF, and a plain byte loop
 * with an early exit is not vectorised by the JIT. Pure functions; the results are exactly those
 * of the obvious byte loop.
 */
public final class ByteScan {
    private ByteScan() {}

    /** Little-endian on every platform, so the lowest set bit belongs to the lowest index. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    /** The index of the first CR or LF in {@code a[from, to)}, or {@code to} when there is none. */
    public static int indexOfCrOrLf(byte[] a, int from, int to) {
        int i = from;
        for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
            long x = (long) LONGS.get(a, i);
            long hits = zeroBytes(x ^ CRS) | zeroBytes(x ^ LFS);
            if (hits != 0) return i + (Long.numberOfTrailingZeros(hits) >>> 3);
        }
        for (; i < to; i++) {
            byte c = a[i];
            if (c == '\r' || c == '\n') return i;
        }
        return to;
    }

    /** The index of the first LF in {@code a[from, to)}, or {@code to} when there is none. */
    public static int indexOfLf(byte[] a, int from, int to) {
        int i = from;
        for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
            long hits = zeroBytes((long) LONGS.get(a, i) ^ LFS);
            if (hits != 0) return i + (Long.numberOfTrailingZeros(hits) >>> 3);
        }
        for (; i < to; i++) {
            if (a[i] == '\n') return i;
        }
        return to;
    }

    /**
     * The high bit of each byte of the result is set exactly when that byte of {@code x} is zero
     * (no carries between bytes, so no false positives).
     */
    private static long zeroBytes(long x) {
        long nonZeroLow7 = (x & LOW7) + LOW7; // high bit set when the low 7 bits are not all zero
        return ~(nonZeroLow7 | x | LOW7);
    }
}
