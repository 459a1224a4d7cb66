package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.store.Reports;
import dev.sealpost.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code sealpost reports list|show|observed}: DMARC and TLS-RPT reports others sent to our report
 * mailboxes ({@code auth.report_mailboxes}), and what the MX observed for our own DMARC reports.
 */
@Command(name = "reports", description = "Received DMARC and TLS-RPT reports, and the DMARC results we report on.",
        mixinStandardHelpOptions = true)
public final class ReportsCommand {
    @Mixin
    StoreOptions store;

    @Command(name = "list", description = "List received reports, newest first: id, kind, reporter, domain, period, messages and failures.")
    int list(@Option(names = "--kind", description = "dmarc or tlsrpt (default: both).") String kind,
             @Option(names = "--limit", defaultValue = "100", description = "Most reports shown (default: ${DEFAULT-VALUE}).") int limit) {
        Reports.ReportKind k = null;
        if (kind != null) {
            try {
                k = Reports.ReportKind.of(kind);
            } catch (IllegalArgumentException e) {
                throw new Main.UserError("--kind: expected dmarc or tlsrpt, got '" + kind + "'");
            }
        }
        try (Store s = store.open()) {
            List<Reports.ReceivedReport> all = s.reports().received(k, Math.max(1, limit));
            if (all.isEmpty()) {
                System.out.println("no reports received");
                return 0;
            }
            for (Reports.ReceivedReport r : all) {
                System.out.printf(Locale.ROOT, "%-6d %-6s %-24s %-24s %s .. %s  %d %s, %d failed  (id %s)%n", r.id(), r.kind().keyword(),
                        r.orgName().isEmpty() ? "-" : r.orgName(), r.domain() == null ? "-" : r.domain(), r.begin(), r.end(),
                        r.messageCount(), r.kind() == Reports.ReportKind.DMARC ? "messages" : "sessions", r.failureCount(), r.reportId());
            }
        }
        return 0;
    }

    @Command(name = "show", description = "Print one received report (its XML or JSON).")
    int show(@Parameters(paramLabel = "ID") long id) {
        try (Store s = store.open()) {
            Reports.ReceivedReport r = s.reports().receivedReport(id).orElseThrow(() -> new Main.UserError("no received report " + id));
            System.out.println(r.content());
        }
        return 0;
    }

    @Command(name = "observed", description = "What the MX recorded for our DMARC aggregate reports on one UTC day (default: today).")
    int observed(@Option(names = "--day", description = "yyyy-mm-dd (UTC).") String day) {
        LocalDate d;
        try {
            d = day == null ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(day);
        } catch (java.time.format.DateTimeParseException e) {
            throw new Main.UserError("--day: expected yyyy-mm-dd, got '" + day + "'");
        }
        try (Store s = store.open()) {
            Map<String, List<Reports.ObservationCount>> all = s.reports().observations(d);
            System.out.println(d + ": " + (s.reports().isSent(Reports.RUN_DMARC, d) ? "reported" : "not reported yet"));
            for (var e : all.entrySet()) {
                long n = e.getValue().stream().mapToLong(Reports.ObservationCount::count).sum();
                System.out.println(e.getKey() + ": " + n + " message(s)");
                for (Reports.ObservationCount oc : e.getValue()) {
                    Reports.Observation o = oc.observation();
                    System.out.printf(Locale.ROOT, "  %6d  %-39s from=%s dkim=%s spf=%s disposition=%s%s%n", oc.count(), o.sourceIp(),
                            o.headerFrom(), o.dmarcDkimAligned() ? "pass" : "fail", o.dmarcSpfAligned() ? "pass" : "fail", o.disposition(),
                            o.overrideReason() == null ? "" : " (" + o.overrideReason() + ")");
                }
            }
        }
        return 0;
    }
}
