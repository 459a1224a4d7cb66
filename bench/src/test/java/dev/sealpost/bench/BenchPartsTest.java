package dev.sealpost.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The measuring parts, not the speed: /proc parsing, message bodies, reply reading, options. */
class BenchPartsTest {

    @Test
    void machineBusyExcludesIdleAndIowaitAndGuest() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertThat(CpuMeter.machineBusyTicks("cpu  100 2 30 5000 40 6 7 8 9 10")).isEqualTo(100 + 2 + 30 + 6 + 7 + 8);
        assertThatThrownBy(() -> CpuMeter.machineBusyTicks("cpu0 1 2 3 4")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void procStatFieldsAreCountedAfterTheLastParenthesis() {
        String line = "4242 (java (a) b) S 17 4242 17 0 -1 4194560 1 2 3 4 120 30 5 6 20 0 40 0 1 2 3";
        CpuMeter.ProcStat s = CpuMeter.parseProcStat(line);
        assertThat(s.pid()).isEqualTo(4242);
        assertThat(s.ppid()).isEqualTo(17);
        assertThat(s.ticks()).isEqualTo(120 + 30 + 5 + 6);
    }

    @Test
    void ownProcessTreeHasCpuTime() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "Linux /proc only");
        assertThat(CpuMeter.treeTicks(ProcessHandle.current().pid())).isPositive();
        assertThat(CpuMeter.ticksPerSecond()).isPositive();
    }

    @Test
    void bodyHasExactSizeShortLinesAndNoDotAtLineStart() {
        for (int size : new int[] {2, 3, 77, 78, 79, 80, 4096, 102400}) {
            byte[] b = LoadGenerator.body(size);
            assertThat(b).hasSize(size);
            String s = new String(b, StandardCharsets.US_ASCII);
            assertThat(s).endsWith("\r\n");
            for (String line : s.substring(0, s.length() - 2).split("\r\n", -1)) {
                assertThat(line.length()).isLessThanOrEqualTo(78);
                assertThat(line).doesNotStartWith(".").doesNotContain("\r").doesNotContain("\n");
            }
        }
    }

    @Test
    void readsMultiLineRepliesAndRejectsMalformedOnes() throws IOException {
        var in = new ByteArrayInputStream("250-mx.test\r\n250-PIPELINING\r\n250 SIZE 100\r\n354 go\r\n".getBytes(StandardCharsets.US_ASCII));
        LoadGenerator.Reply r = LoadGenerator.read(in);
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.lines()).containsExactly("250-mx.test", "250-PIPELINING", "250 SIZE 100");
        assertThat(LoadGenerator.read(in).code()).isEqualTo(354);
        assertThatThrownBy(() -> LoadGenerator.read(in)).isInstanceOf(IOException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> LoadGenerator.read(new ByteArrayInputStream("ab\r\n".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void parsesOptionsAndAnExternalCommand() {
        SmtpLoad.Options o = SmtpLoad.parse(new String[] {"--port", "2525", "--to", "alice+x@example.test", "--data", "/tmp/d",
                "--connections", "20", "--messages", "500", "--size", "102400"});
        assertThat(o.account()).isEqualTo("alice@example.test");
        assertThat(o.connections()).isEqualTo(20);
        assertThat(o.command()).isEmpty();
        SmtpLoad.Options ext = SmtpLoad.parse(new String[] {"--maildir", "/tmp/m", "--messages", "10", "--", "smtp-source", "-m", "10"});
        assertThat(ext.command()).containsExactly("smtp-source", "-m", "10");
        assertThat(ext.label()).isEqualTo("smtp-source");
        assertThatThrownBy(() -> SmtpLoad.parse(new String[] {"--to", "a@b"})).hasMessageContaining("--port");
        assertThatThrownBy(() -> SmtpLoad.parse(new String[] {"--port", "x"})).hasMessageContaining("not a number");
    }

    @Test
    void reportTakesMediansAndComparesLikeWithLike() {
        String r1 = "RESULT\tsealpost/smtp-source\t4096\t20\t2000\t2000\t1.00\t2000.00\t2.00\t1000.00\t1.00\t2.00\t0.10\t-\t-";
        String r2 = "RESULT\tsealpost/smtp-source\t4096\t20\t2000\t2000\t1.00\t2000.00\t1.00\t2000.00\t1.00\t2.00\t0.10\t-\t-";
        String r3 = "RESULT\tsealpost/smtp-source\t4096\t20\t2000\t2000\t1.00\t2000.00\t4.00\t500.00\t1.00\t2.00\t0.10\t-\t-";
        String p1 = "RESULT\tpostfix/smtp-source\t4096\t20\t2000\t2000\t1.00\t2000.00\t4.00\t500.00\t1.00\t3.00\t0.10\t-\t-";
        var runs = java.util.stream.Stream.of(r1, r2, r3, p1).map(Report.Run::parse).toList();
        assertThat(Report.table(runs)).contains("| sealpost/smtp-source | 4 KiB | 20 | 2000 | 3 | 2000 | 1000 (500–2000) |");
        assertThat(Report.comparison(runs, "sealpost/smtp-source", "postfix/smtp-source")).contains("| 4 KiB | 20 | 1000 | 500 | 2.00× |");
        assertThat(Report.median(java.util.List.of(1.0, Double.NaN, 3.0))).isEqualTo(2.0);
    }
}
