package dev.sealpost.it.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The battery's outcome: one row per fault or limit check, the message ledger totals, unexpected errors. */
final class Report {
    enum Status { PASS, FAIL, MISSING, SKIPPED, INFO }

    record Row(String area, String check, String expected, String observed, Status status) {}

    final List<Row> rows = Collections.synchronizedList(new ArrayList<>());
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong sent = new AtomicLong(), acknowledged = new AtomicLong(), delivered = new AtomicLong(),
            lost = new AtomicLong(), duplicated = new AtomicLong(), faults = new AtomicLong();

    Row row(String area, String check, String expected, String observed, Status status) {
        Row r = new Row(area, check, expected, observed, status);
        rows.add(r);
        System.out.println("reliability row: " + format(r));
        if (status == Status.FAIL) errors.add(area + "/" + check + ": expected " + expected + ", observed " + observed);
        return r;
    }

    void error(String what) {
        if (errors.size() < 500) errors.add(what);
        System.out.println("reliability error: " + what);
    }

    void note(String what) {
        notes.add(what);
        System.out.println("reliability note: " + what);
    }

    /** Distinct ERROR/exception lines of a server log (timestamps and session ids stripped), at most 8 per phase. */
    void logNotes(String phase, List<String> lines) {
        java.util.LinkedHashMap<String, Integer> distinct = new java.util.LinkedHashMap<>();
        for (String l : lines) {
            String k = l.replaceFirst("^server-\\d+\\.log: ", "").replaceFirst("^\\S+T\\S+ ", "").replaceAll("\\b[a-z0-9]{12}\\b", "<id>");
            if (k.length() > 160) k = k.substring(0, 160) + "...";
            distinct.merge(k, 1, Integer::sum);
        }
        int n = 0;
        for (var e : distinct.entrySet()) {
            if (n++ == 8) {
                note(phase + " server log: ... " + (distinct.size() - 8) + " more distinct lines");
                break;
            }
            note(phase + " server log (x" + e.getValue() + "): " + e.getKey());
        }
    }

    long errorCount() {
        return errors.size();
    }

    String summary() {
        return "reliability: sent %d, acknowledged %d, delivered %d, lost %d, duplicated %d, faults %d, errors %d".formatted(
                sent.get(), acknowledged.get(), delivered.get(), lost.get(), duplicated.get(), faults.get(), errorCount());
    }

    private static String format(Row r) {
        return "%-10s %-34s %-8s expected %s; observed %s".formatted(r.area, r.check, r.status, r.expected, r.observed);
    }

    String render(String mode, long seconds) {
        StringBuilder b = new StringBuilder();
        b.append("Sealpost reliability battery, mode ").append(mode).append(", ").append(seconds).append(" s\n\n");
        b.append("| area | check | status | expected | observed |\n|---|---|---|---|---|\n");
        synchronized (rows) {
            for (Row r : rows) {
                b.append("| ").append(r.area).append(" | ").append(r.check).append(" | ").append(r.status).append(" | ")
                        .append(r.expected.replace("|", "/")).append(" | ").append(r.observed.replace("|", "/")).append(" |\n");
            }
        }
        long count = rows.stream().filter(r -> r.status == Status.PASS).count();
        b.append("\nchecks: ").append(rows.size()).append(", pass ").append(count)
                .append(", fail ").append(rows.stream().filter(r -> r.status == Status.FAIL).count())
                .append(", missing ").append(rows.stream().filter(r -> r.status == Status.MISSING).count())
                .append(", skipped ").append(rows.stream().filter(r -> r.status == Status.SKIPPED).count()).append('\n');
        if (!notes.isEmpty()) {
            b.append("\nnotes:\n");
            synchronized (notes) {
                for (String n : notes) b.append("  ").append(n).append('\n');
            }
        }
        b.append("\nerror lines (").append(errors.size()).append("):\n");
        synchronized (errors) {
            for (String e : errors) b.append("  ").append(e).append('\n');
        }
        b.append('\n').append(summary()).append('\n');
        return b.toString();
    }

    void write(Path file, String mode, long seconds) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, render(mode, seconds));
    }
}
