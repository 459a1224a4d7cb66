package dev.sealpost.core.io;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The word-at-a-time searches give exactly what the obvious byte loops give. */
class ByteScanTest {

    private static int naiveCrOrLf(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) if (a[i] == '\r' || a[i] == '\n') return i;
        return to;
    }

    private static int naiveLf(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) if (a[i] == '\n') return i;
        return to;
    }

    @Test
    void matchesTheByteLoop() {
        Random rnd = new Random(7);
        // octets next to CR and LF in value (and with their high bit set) catch carries between bytes
        byte[] near = {'\r', '\n', 0x0c, 0x0e, 0x09, 0x0b, (byte) 0x8d, (byte) 0x8a, 0, (byte) 0xff, 0x7f, (byte) 0x80, 0x01, 'a'};
        for (int n = 0; n < 100_000; n++) {
            byte[] a = new byte[rnd.nextInt(40)];
            int density = 1 + rnd.nextInt(60);
            for (int i = 0; i < a.length; i++) {
                a[i] = rnd.nextInt(density) == 0 ? near[rnd.nextInt(2)] : rnd.nextBoolean() ? near[2 + rnd.nextInt(near.length - 2)] : (byte) rnd.nextInt(256);
            }
            int from = a.length == 0 ? 0 : rnd.nextInt(a.length + 1);
            int to = from + rnd.nextInt(a.length - from + 1);
            assertThat(ByteScan.indexOfCrOrLf(a, from, to)).isEqualTo(naiveCrOrLf(a, from, to));
            assertThat(ByteScan.indexOfLf(a, from, to)).isEqualTo(naiveLf(a, from, to));
        }
    }

    @Test
    void everyPositionOfEachTarget() {
        for (int len = 0; len <= 24; len++) {
            for (int at = 0; at < len; at++) {
                for (byte target : new byte[] {'\r', '\n'}) {
                    byte[] a = new byte[len];
                    Arrays.fill(a, (byte) 0x8d); // CR with the high bit set
                    a[at] = target;
                    for (int from = 0; from <= len; from++) {
                        int expectedAny = at >= from ? at : len;
                        assertThat(ByteScan.indexOfCrOrLf(a, from, len)).isEqualTo(expectedAny);
                        assertThat(ByteScan.indexOfLf(a, from, len)).isEqualTo(target == '\n' ? expectedAny : len);
                    }
                }
            }
        }
    }
}
