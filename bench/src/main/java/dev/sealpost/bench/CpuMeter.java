package dev.sealpost.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time from Linux {@code /proc}, in clock ticks ({@code getconf CLK_TCK}, usually 100 per
 * second).
 *
 * <p>Two views: the whole machine (busy = all {@code cpu} columns of {@code /proc/stat} except
 * idle and iowait), and a process tree rooted at a server's pid. The tree total sums
 * utime+stime+cutime+cstime over the root and all its live descendants: a child's time moves into
 * its parent's cutime/cstime when it is reaped, so the sum is conserved and its difference over a
 * window is the CPU the tree used in that window, even when Postfix's master starts and ends
 * smtpd/cleanup/local processes during the run.
 */
public final class CpuMeter {
    private static final Path PROC = Path.of("/proc");

    private CpuMeter() {}

    /** Clock ticks per second; 100 when {@code getconf} is not available. */
    public static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() == 0) return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            // fall through to the usual value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }

    /** Busy ticks of the whole machine since boot, from the first line of {@code /proc/stat}. */
    public static long machineBusyTicks() throws IOException {
        return machineBusyTicks(Files.readAllLines(PROC.resolve("stat")).getFirst());
    }

    /** Parses the aggregate {@code cpu} line: user nice system idle iowait irq softirq steal [guest guest_nice]. */
    static long machineBusyTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu")) throw new IllegalArgumentException("not the aggregate cpu line: " + cpuLine);
        long busy = 0;
        // columns 1..8; guest and guest_nice (9, 10) are already counted in user and nice
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i == 4 || i == 5) continue; // idle, iowait
            busy += Long.parseLong(f[i]);
        }
        return busy;
    }

    /** One process's line of {@code /proc/PID/stat}, the fields we need. */
    record ProcStat(long pid, long ppid, long ticks) {}

    /**
     * Parses {@code /proc/PID/stat}. The command name (field 2) is in parentheses and may hold
     * spaces or parentheses, so fields are counted after the last ')'.
     */
    static ProcStat parseProcStat(String line) {
        int close = line.lastIndexOf(')');
        long pid = Long.parseLong(line.substring(0, line.indexOf(' ')).trim());
        String[] f = line.substring(close + 2).trim().split("\\s+");
        // after the name: f[0]=state(3) f[1]=ppid(4) ... f[11]=utime(14) f[12]=stime(15) f[13]=cutime(16) f[14]=cstime(17)
        long ppid = Long.parseLong(f[1]);
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return new ProcStat(pid, ppid, ticks);
    }

    /** CPU ticks of the process tree rooted at {@code rootPid} (see the class comment). */
    public static long treeTicks(long rootPid) throws IOException {
        Map<Long, List<ProcStat>> children = new HashMap<>();
        Map<Long, ProcStat> all = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : ds) {
                String line;
                try {
                    line = Files.readString(p.resolve("stat"));
                } catch (IOException e) {
                    continue; // ended while we looked
                }
                ProcStat s = parseProcStat(line);
                all.put(s.pid(), s);
                children.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s);
            }
        }
        ProcStat root = all.get(rootPid);
        if (root == null) throw new IOException("no process " + rootPid);
        long sum = 0;
        Deque<ProcStat> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            ProcStat s = todo.pop();
            sum += s.ticks();
            todo.addAll(children.getOrDefault(s.pid(), List.of()));
        }
        return sum;
    }
}
