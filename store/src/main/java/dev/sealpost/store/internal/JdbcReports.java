package dev.sealpost.store.internal;

import dev.sealpost.store.Reports;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Reports} over {@code dmarc_observations}, {@code received_reports} and
 * {@code report_runs} (migration V5). Writes go through the group-commit writer.
 */
final class JdbcReports implements Reports {
    private static final String OBS_COLS = "day, policy_domain, source_ip, header_from, envelope_from, spf_domain, spf_scope, "
            + "spf_result, dkim_domain, dkim_selector, dkim_result, disposition, override_reason, dmarc_spf_aligned, "
            + "dmarc_dkim_aligned, adkim, aspf, p, sp, np, pct, fo";
    private static final String REPORT_COLS = "id, kind, org_name, report_id, domain, begin_at, end_at, received_at, "
            + "message_count, failure_count, content";
    /** Stands for an empty entry in the space-separated DKIM lists. */
    private static final String EMPTY = "-";

    private final Database db;
    private final GroupCommitWriter writer;
    private final Clock clock;

    JdbcReports(Database db, GroupCommitWriter writer, Clock clock) {
        this.db = db;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public void recordObservation(Observation o) {
        String dkimDomains = null, dkimSelectors = null, dkimResults = null;
        if (!o.dkim().isEmpty()) {
            List<String> d = new ArrayList<>(), s = new ArrayList<>(), r = new ArrayList<>();
            for (DkimAuth a : o.dkim()) {
                d.add(token(a.domain()));
                s.add(token(a.selector()));
                r.add(token(a.result()));
            }
            dkimDomains = String.join(" ", d);
            dkimSelectors = String.join(" ", s);
            dkimResults = String.join(" ", r);
        }
        PublishedPolicy p = o.policy();
        Object[] values = {o.day().toString(), clip(o.policyDomain()), clip(o.sourceIp()), clip(o.headerFrom()), clip(o.envelopeFrom()),
                clip(o.spfDomain()), clip(o.spfScope()), clip(o.spfResult()), dkimDomains, dkimSelectors, dkimResults,
                clip(o.disposition()), clip(o.overrideReason()), o.dmarcSpfAligned(), o.dmarcDkimAligned(),
                clip(p.adkim()), clip(p.aspf()), clip(p.p()), clip(p.sp()), clip(p.np()), p.pct(), clip(p.fo())};
        // pct is the 21st value: typed explicitly, PostgreSQL refuses a NULL bound as text for an INTEGER column
        String key = key(values);
        Object[] args = new Object[values.length + 1];
        System.arraycopy(values, 0, args, 0, values.length);
        args[values.length] = key;
        writer.write(c -> Sql.update(c, "INSERT INTO dmarc_observations (" + OBS_COLS + ", obs_key, message_count) VALUES ("
                + "?, ".repeat(20) + "CAST(? AS INTEGER), ?, ?, 1) ON CONFLICT (day, obs_key) DO UPDATE SET message_count = "
                + "dmarc_observations.message_count + 1", args));
    }

    /** SHA-256 over every identifying value: the aggregation key. */
    private static String key(Object[] values) {
        StringBuilder b = new StringBuilder();
        for (Object v : values) b.append(v == null ? "\u0001" : v.toString()).append('\u0000');
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, List<ObservationCount>> observations(LocalDate day) {
        List<ObservationCount> rows = db.read(c -> Sql.query(c, "SELECT " + OBS_COLS + ", message_count FROM dmarc_observations "
                + "WHERE day = ? ORDER BY policy_domain, id", JdbcReports::observation, day.toString()));
        Map<String, List<ObservationCount>> out = new LinkedHashMap<>();
        for (ObservationCount r : rows) out.computeIfAbsent(r.observation().policyDomain(), k -> new ArrayList<>()).add(r);
        return out;
    }

    private static ObservationCount observation(ResultSet rs) throws SQLException {
        List<DkimAuth> dkim = new ArrayList<>();
        String ds = rs.getString(9), ss = rs.getString(10), rsl = rs.getString(11);
        if (ds != null) {
            String[] d = ds.split(" "), s = ss == null ? new String[0] : ss.split(" "), r = rsl == null ? new String[0] : rsl.split(" ");
            for (int i = 0; i < d.length; i++) {
                dkim.add(new DkimAuth(untoken(d[i]), i < s.length ? untoken(s[i]) : "", i < r.length ? untoken(r[i]) : ""));
            }
        }
        int pct = rs.getInt(21);
        Integer pctValue = rs.wasNull() ? null : pct;
        Observation o = new Observation(LocalDate.parse(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), dkim, rs.getString(12), rs.getString(13),
                rs.getInt(14) != 0, rs.getInt(15) != 0,
                new PublishedPolicy(rs.getString(16), rs.getString(17), rs.getString(18), rs.getString(19), rs.getString(20),
                        pctValue, rs.getString(22)));
        return new ObservationCount(o, rs.getLong(23));
    }

    @Override
    public List<LocalDate> unsentDays(String kind, LocalDate before) {
        return db.read(c -> Sql.query(c, "SELECT DISTINCT o.day FROM dmarc_observations o WHERE o.day < ? AND NOT EXISTS "
                + "(SELECT 1 FROM report_runs r WHERE r.kind = ? AND r.day = o.day) ORDER BY o.day",
                rs -> LocalDate.parse(rs.getString(1)), before.toString(), kind));
    }

    @Override
    public boolean markSent(String kind, LocalDate day) {
        long now = clock.millis();
        return writer.write(c -> Sql.update(c, "INSERT INTO report_runs (kind, day, sent_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (kind, day) DO NOTHING", kind, day.toString(), now)) == 1;
    }

    @Override
    public boolean isSent(String kind, LocalDate day) {
        return db.read(c -> Sql.one(c, "SELECT 1 FROM report_runs WHERE kind = ? AND day = ?", rs -> true, kind, day.toString()))
                .isPresent();
    }

    @Override
    public int pruneObservations(LocalDate before) {
        return writer.write(c -> Sql.update(c, "DELETE FROM dmarc_observations WHERE day < ?", before.toString()));
    }

    @Override
    public Optional<Long> saveReceived(ReceivedReport r) {
        String content = r.content().length() > MAX_CONTENT ? r.content().substring(0, MAX_CONTENT) : r.content();
        // PostgreSQL text cannot hold NUL; neither XML nor JSON text has a raw one
        String safe = content.replace('\u0000', '\uFFFD');
        return writer.write(c -> {
            List<Long> ids = Sql.query(c, "INSERT INTO received_reports (kind, org_name, report_id, domain, begin_at, end_at, "
                            + "received_at, message_count, failure_count, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            + "ON CONFLICT (kind, org_name, report_id) DO NOTHING RETURNING id", rs -> rs.getLong(1),
                    r.kind().keyword(), clip(r.orgName()), clip(r.reportId()), clip(r.domain()), r.begin().toEpochMilli(),
                    r.end().toEpochMilli(), r.receivedAt().toEpochMilli(), r.messageCount(), r.failureCount(), safe);
            return ids.isEmpty() ? Optional.<Long>empty() : Optional.of(ids.getFirst());
        });
    }

    @Override
    public List<ReceivedReport> received(ReportKind kind, int limit) {
        int n = Math.max(0, Math.min(limit, 10_000));
        if (kind == null) {
            return db.read(c -> Sql.query(c, "SELECT " + REPORT_COLS + " FROM received_reports ORDER BY received_at DESC, id DESC LIMIT ?",
                    JdbcReports::report, n));
        }
        return db.read(c -> Sql.query(c, "SELECT " + REPORT_COLS + " FROM received_reports WHERE kind = ? "
                + "ORDER BY received_at DESC, id DESC LIMIT ?", JdbcReports::report, kind.keyword(), n));
    }

    @Override
    public Optional<ReceivedReport> receivedReport(long id) {
        return db.read(c -> Sql.one(c, "SELECT " + REPORT_COLS + " FROM received_reports WHERE id = ?", JdbcReports::report, id));
    }

    private static ReceivedReport report(ResultSet rs) throws SQLException {
        return new ReceivedReport(rs.getLong(1), ReportKind.of(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getString(5),
                Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)),
                rs.getLong(9), rs.getLong(10), rs.getString(11));
    }

    /** Clipped to {@link #MAX_TEXT}, control characters replaced: these values come from the network. */
    static String clip(String s) {
        if (s == null) return null;
        String t = s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
        StringBuilder b = null;
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            boolean bad = ch < 0x20 || ch == 0x7F;
            if (bad && b == null) b = new StringBuilder(t.substring(0, i));
            if (b != null) b.append(bad ? '?' : ch);
        }
        return b == null ? t : b.toString();
    }

    /** One entry of a space-separated list: no spaces inside, "-" for empty. */
    private static String token(String s) {
        String c = clip(s);
        if (c == null || c.isEmpty()) return EMPTY;
        return c.replace(' ', '?');
    }

    private static String untoken(String s) {
        return EMPTY.equals(s) ? "" : s;
    }
}
