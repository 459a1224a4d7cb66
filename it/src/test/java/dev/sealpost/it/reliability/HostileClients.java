package dev.sealpost.it.reliability;

import dev.sealpost.it.reliability.Report.Status;
import dev.sealpost.it.reliability.ServerProcess.Port;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hostile clients against one server: each attack runs while a normal client (SMTP transaction,
 * IMAP login+select, POP3 login+stat from 127.0.0.1) is timed; a check passes when the server
 * gives the protocol reply it should and the normal client stays within normal latency.
 */
final class HostileClients implements AutoCloseable {
    /** What an attack saw: its status (before the latency verdict) and what to print. */
    record Outcome(Status status, String observed) {}

    private final Report report;
    private final ServerProcess srv;
    private final boolean full;
    private long limitMillis;

    HostileClients(Report report, Path dir, boolean full) throws IOException {
        this.report = report;
        this.full = full;
        this.srv = new ServerProcess(dir, dir.resolve("data"), "idle_timeout_seconds = 10", null, "");
    }

    /** Starts the server and measures the normal client's baseline latency. */
    void start() throws Exception {
        srv.start();
        long base = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) base = Math.min(base, normalClient());
        limitMillis = Math.max(2000, 5 * base);
        report.note("hostile: normal client (SMTP 1 message + IMAP login/select + POP3 login/stat) baseline " + base
                + " ms; limit during attacks " + limitMillis + " ms");
    }

    void run() throws Exception {
        start();

        // long-running slowloris (idle past the timeout) on every listener, from 127.0.0.50, collected at the end
        CompletableFuture<Outcome> idleSmtp = async(() -> idle(Port.MX, "220", "421", 10 + 15, 20));
        CompletableFuture<Outcome> idleImap = async(() -> idle(Port.IMAP, "* OK", "* BYE", 60 + 20, 20));
        CompletableFuture<Outcome> idlePop3 = full ? async(() -> idle(Port.POP3, "+OK", "", 600 + 60, 5)) : null;

        check("slowloris", "one byte every 2 s (SMTP/IMAP/POP3 x10)", full ? "others served; dripper cut within 5.5 min" : "others served (quick: 20 s, no deadline expected)", this::drip);
        check("limits", "SMTP line that never ends (1 MiB, no LF)", "500 5.5.2 or 421, server keeps running",
                () -> endlessLine(Port.MX, "220", "EHLO ", "5", "421"));
        check("limits", "IMAP line that never ends (1 MiB, no LF)", "BAD or * BYE",
                () -> endlessLine(Port.IMAP, "* OK", "a1 NOOP ", "a1 BAD", "* BYE"));
        check("limits", "POP3 line that never ends (1 MiB, no LF)", "-ERR",
                () -> endlessLine(Port.POP3, "+OK", "USER ", "-ERR", "-ERR"));
        check("limits", "SMTP MAIL SIZE=10^12", "552 5.3.4", this::smtpSize);
        check("limits", "IMAP APPEND literal {999999999}", "NO/BAD [TOOBIG], no continuation", this::imapLiteral);
        check("limits", "IMAP LOGIN literal {2000000} (> 1 MiB)", "BAD/NO, no continuation", this::imapCommandLiteral);
        check("limits", "MIME bomb (depth 300, 5000 parts)", "250 or 5xx; FETCH BODYSTRUCTURE answers", this::mimeBomb);
        check("limits", "10 MB header field", "552/554 (header limit) before 250", this::bigHeader);
        check("flood", "120 connections from one IP per listener", "421 4.7.0 / * BYE / -ERR past the per-IP cap", this::flood);
        check("flood", "100 IPs x 3 connections (127.0.1.x)", "every one greeted normally", this::manyIps);
        check("auth", "same reply: unknown user vs wrong password", "identical replies on SMTP, IMAP, POP3", this::sameReply);
        check("auth", "brute force (" + (full ? "100 wrong passwords, 60 s" : "40 wrong passwords, 12 s") + " per protocol)", "throttled or refused; others unaffected", this::bruteForce);

        finish("slowloris", "SMTP idle past 10 s idle timeout (x20)", "421 then close", idleSmtp);
        finish("slowloris", "IMAP idle before login past 60 s (x20)", "* BYE then close", idleImap);
        if (idlePop3 != null) {
            finish("slowloris", "POP3 idle past 10 min (x5)", "connection closed", idlePop3);
        } else {
            report.row("slowloris", "POP3 idle past 10 min", "connection closed", "pop3 idle timeout is 10 min (RFC 1939 minimum): full run only",
                    Status.SKIPPED);
        }
        if (!srv.alive()) report.error("hostile: the server process died");
        report.logNotes("hostile", srv.errorLines());
    }

    private static CompletableFuture<Outcome> async(Callable<Outcome> c) {
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.complete(new Outcome(Status.FAIL, "attack failed: " + e));
            }
        });
        return f;
    }

    private void finish(String area, String name, String expected, CompletableFuture<Outcome> f) throws Exception {
        Outcome o = f.get();
        long probe = probeOnce();
        verdict(area, name, expected, o, probe);
    }

    /** Runs the attack while timing the normal client every 300 ms. */
    private void check(String area, String name, String expected, Callable<Outcome> attack) throws Exception {
        CompletableFuture<Outcome> f = async(attack);
        long worst = 0;
        while (!f.isDone()) {
            long t = probeOnce();
            if (t < 0) {
                worst = -1;
            } else if (worst >= 0) {
                worst = Math.max(worst, t);
            }
            Thread.sleep(300);
        }
        verdict(area, name, expected, f.get(), worst);
    }

    private void verdict(String area, String name, String expected, Outcome o, long worst) {
        Status s = o.status();
        String obs = o.observed() + "; normal client " + (worst < 0 ? "FAILED" : "worst " + worst + " ms");
        if (worst < 0 || worst > limitMillis) s = Status.FAIL;
        report.row(area, name, expected, obs, s);
    }

    private long probeOnce() {
        try {
            return normalClient();
        } catch (Exception e) {
            report.note("hostile: normal client failed: " + e);
            return -1;
        }
    }

    private final AtomicLong probeSeq = new AtomicLong();

    /** A normal client's round: one SMTP message, IMAP login+select+logout, POP3 login+stat+quit; returns ms. */
    long normalClient() throws IOException {
        long t0 = System.nanoTime();
        try (Wire w = new Wire(srv.port(Port.MX), "127.0.0.1", 10_000)) {
            need(w.smtpReply(), "220");
            need(w.smtp("EHLO normal.test"), "250");
            need(w.smtp("MAIL FROM:<normal@elsewhere.test>"), "250");
            need(w.smtp("RCPT TO:<" + ServerProcess.BOB + ">"), "250");
            need(w.smtp("DATA"), "354");
            need(w.smtp("Subject: probe " + probeSeq.incrementAndGet() + "\r\n\r\nhello\r\n."), "250");
            w.smtp("QUIT");
        }
        try (Wire w = new Wire(srv.port(Port.IMAP), "127.0.0.1", 10_000)) {
            need(w.line(), "* OK");
            need(last(w.imap("a", "LOGIN " + ServerProcess.BOB + " \"" + ServerProcess.PASSWORD + "\"")), "a OK");
            need(last(w.imap("b", "SELECT INBOX")), "b OK");
            w.imap("c", "LOGOUT");
        }
        try (Wire w = new Wire(srv.port(Port.POP3), "127.0.0.1", 10_000)) {
            need(w.line(), "+OK");
            w.send("USER " + ServerProcess.ALICE);
            need(w.line(), "+OK");
            w.send("PASS " + ServerProcess.PASSWORD);
            need(w.line(), "+OK");
            w.send("STAT");
            need(w.line(), "+OK");
            w.send("QUIT");
            w.line();
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String last(String lines) {
        String[] ls = lines.strip().split("\n");
        return ls[ls.length - 1];
    }

    private static void need(String reply, String prefix) throws IOException {
        if (reply == null || !reply.startsWith(prefix)) throw new IOException("expected " + prefix + ", got " + Wire.first(reply));
    }

    // ---- slowloris

    Outcome idle(Port port, String greeting, String expect, int waitSeconds, int count) throws Exception {
        List<Wire> ws = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) ws.add(new Wire(srv.port(port), "127.0.0.50", waitSeconds * 1000));
            for (Wire w : ws) need(w.line(), greeting);
            long t0 = System.nanoTime();
            int closed = 0, replied = 0;
            String sample = "";
            for (Wire w : ws) {
                StringBuilder seen = new StringBuilder();
                boolean c = w.closedWithin(seen);
                if (c) closed++;
                if (!expect.isEmpty() && seen.toString().startsWith(expect)) replied++;
                if (sample.isEmpty()) sample = Wire.first(seen.toString());
            }
            long s = (System.nanoTime() - t0) / 1_000_000_000L;
            boolean ok = closed == count && (expect.isEmpty() || replied == count);
            return new Outcome(ok ? Status.PASS : Status.FAIL, closed + "/" + count + " closed within " + s + " s, reply '" + sample + "'");
        } finally {
            ws.forEach(Wire::close);
        }
    }

    Outcome drip() throws Exception {
        record D(Wire w, byte[] text) {}
        List<D> ds = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                ds.add(new D(new Wire(srv.port(Port.MX), "127.0.0.51", 2_000), "EHLO dripping.client.example\r\nNOOP\r\nNOOP\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII)));
                ds.add(new D(new Wire(srv.port(Port.IMAP), "127.0.0.51", 2_000), "a1 CAPABILITY\r\na2 NOOP\r\na3 NOOP\r\n".getBytes(StandardCharsets.US_ASCII)));
                ds.add(new D(new Wire(srv.port(Port.POP3), "127.0.0.51", 2_000), "CAPA\r\nNOOP\r\nNOOP\r\nNOOP\r\n".getBytes(StandardCharsets.US_ASCII)));
            }
            int seconds = full ? 330 : 20;
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            int[] open = new int[3];
            for (int i = 0; System.nanoTime() < end; i++) {
                for (D d : ds) {
                    try {
                        d.w.raw(new byte[] {d.text[i % d.text.length]});
                    } catch (IOException e) {
                        // cut by the server
                    }
                }
                Thread.sleep(2_000);
            }
            for (int k = 0; k < ds.size(); k++) {
                try {
                    ds.get(k).w.raw(new byte[] {' '});
                    ds.get(k).w.timeout(200);
                    StringBuilder seen = new StringBuilder();
                    if (!ds.get(k).w.closedWithin(seen)) open[k % 3]++;
                } catch (IOException e) {
                    // closed
                }
            }
            boolean cut = open[0] + open[1] + open[2] == 0;
            // RFC 5321 §4.5.3.2 allows 5 minutes per command: only the full run drips longer than that
            return new Outcome(cut || !full ? Status.PASS : Status.MISSING, "after " + seconds + " s still open: SMTP " + open[0] + "/10, IMAP "
                    + open[1] + "/10, POP3 " + open[2] + "/10" + (cut ? "" : " (no per-command/session deadline)"));
        } finally {
            ds.forEach(d -> d.w.close());
        }
    }

    // ---- oversized input

    Outcome endlessLine(Port port, String greeting, String prefix, String good, String alsoGood) throws Exception {
        try (Wire w = new Wire(srv.port(port), "127.0.0.52", 10_000)) {
            need(w.line(), greeting);
            byte[] chunk = "A".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            w.raw(prefix.getBytes(StandardCharsets.US_ASCII));
            long sent = 0;
            try {
                for (int i = 0; i < 16; i++) {
                    w.raw(chunk);
                    sent += chunk.length;
                }
                w.raw("\r\n".getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // the server may close before the end
            }
            String reply;
            try {
                reply = w.line();
            } catch (IOException e) {
                reply = "[" + e.getMessage() + "]";
            }
            if (reply != null && reply.startsWith("*") && port == Port.IMAP && !reply.startsWith("* BYE")) reply = w.line();
            boolean ok = reply != null && (reply.startsWith(good) || reply.startsWith(alsoGood));
            String after = "";
            if (ok && !reply.startsWith("421") && !reply.startsWith("* BYE")) {
                // still in sync? one more command on the same connection
                try {
                    w.send(port == Port.MX ? "NOOP" : port == Port.IMAP ? "a2 NOOP" : "NOOP");
                    String n = w.line();
                    after = ", then NOOP -> " + Wire.first(n);
                } catch (IOException e) {
                    after = ", then closed";
                }
            }
            return new Outcome(ok ? Status.PASS : Status.FAIL, "sent " + (sent / 1024) + " KiB; reply '" + Wire.first(reply) + "'" + after);
        }
    }

    Outcome smtpSize() throws Exception {
        try (Wire w = new Wire(srv.port(Port.MX), "127.0.0.52", 10_000)) {
            need(w.smtpReply(), "220");
            w.smtp("EHLO big.test");
            String r = w.smtp("MAIL FROM:<big@elsewhere.test> SIZE=1000000000000");
            return new Outcome(r.startsWith("552") ? Status.PASS : Status.FAIL, "'" + Wire.first(r) + "'");
        }
    }

    Outcome imapLiteral() throws Exception {
        try (Wire w = new Wire(srv.port(Port.IMAP), "127.0.0.52", 10_000)) {
            need(w.line(), "* OK");
            need(last(w.imap("a", "LOGIN " + ServerProcess.ALICE + " \"" + ServerProcess.PASSWORD + "\"")), "a OK");
            w.send("b APPEND INBOX {999999999}");
            String r = w.line();
            boolean ok = r != null && (r.startsWith("b NO") || r.startsWith("b BAD")) && r.contains("TOOBIG");
            Status s = ok ? Status.PASS : r != null && (r.startsWith("b NO") || r.startsWith("b BAD")) ? Status.PASS : Status.FAIL;
            return new Outcome(s, "'" + Wire.first(r) + "'");
        }
    }

    Outcome imapCommandLiteral() throws Exception {
        try (Wire w = new Wire(srv.port(Port.IMAP), "127.0.0.52", 10_000)) {
            need(w.line(), "* OK");
            w.send("a LOGIN {2000000}");
            String r = w.line();
            boolean ok = r != null && (r.startsWith("a NO") || r.startsWith("a BAD") || r.startsWith("* BYE"));
            return new Outcome(ok ? Status.PASS : Status.FAIL, "'" + Wire.first(r) + "'");
        }
    }

    Outcome mimeBomb() throws Exception {
        StringBuilder m = new StringBuilder("From: <bomb@elsewhere.test>\r\nSubject: mime bomb\r\nX-Token: bomb\r\nMIME-Version: 1.0\r\n");
        int depth = 300;
        for (int i = 0; i < depth; i++) {
            m.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
        }
        m.append("Content-Type: multipart/mixed; boundary=\"flat\"\r\n\r\n");
        for (int i = 0; i < 5000; i++) m.append("--flat\r\nContent-Type: text/plain\r\n\r\npart ").append(i).append("\r\n");
        m.append("--flat--\r\n");
        for (int i = depth - 1; i >= 0; i--) m.append("--b").append(i).append("--\r\n");
        String r = send(m.toString(), "127.0.0.53");
        if (!r.startsWith("250")) {
            return new Outcome(r.startsWith("5") ? Status.PASS : Status.FAIL, "refused: '" + Wire.first(r) + "'");
        }
        // the store parsed it: ask IMAP for its structure
        try (Wire w = new Wire(srv.port(Port.IMAP), "127.0.0.53", 30_000)) {
            need(w.line(), "* OK");
            need(last(w.imap("a", "LOGIN " + ServerProcess.ALICE + " \"" + ServerProcess.PASSWORD + "\"")), "a OK");
            need(last(w.imap("b", "SELECT INBOX")), "b OK");
            long t0 = System.nanoTime();
            String f = w.imap("c", "FETCH * (BODYSTRUCTURE)");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String l = last(f);
            return new Outcome(l.startsWith("c OK") ? Status.PASS : Status.FAIL, "accepted '" + Wire.first(r) + "'; FETCH BODYSTRUCTURE '"
                    + Wire.first(l) + "' in " + ms + " ms, " + f.length() + " chars");
        } catch (SocketTimeoutException e) {
            return new Outcome(Status.FAIL, "accepted; FETCH BODYSTRUCTURE did not answer in 30 s");
        }
    }

    Outcome bigHeader() throws Exception {
        StringBuilder m = new StringBuilder("From: <big@elsewhere.test>\r\nSubject: big header\r\nX-Big: start");
        String fold = "\r\n " + "h".repeat(76);
        while (m.length() < 10 * 1024 * 1024) m.append(fold);
        m.append("\r\n\r\nbody\r\n");
        String r = send(m.toString(), "127.0.0.54");
        if (r.startsWith("552") || r.startsWith("554") || r.startsWith("550")) return new Outcome(Status.PASS, "'" + Wire.first(r) + "'");
        if (r.startsWith("250")) return new Outcome(Status.MISSING, "accepted: '" + Wire.first(r) + "' (no header size limit)");
        return new Outcome(Status.FAIL, "'" + Wire.first(r) + "'");
    }

    private String send(String content, String from) throws IOException {
        try (Wire w = new Wire(srv.port(Port.MX), from, 60_000)) {
            need(w.smtpReply(), "220");
            w.smtp("EHLO hostile.test");
            need(w.smtp("MAIL FROM:<hostile@elsewhere.test>"), "250");
            need(w.smtp("RCPT TO:<" + ServerProcess.ALICE + ">"), "250");
            need(w.smtp("DATA"), "354");
            w.raw((content + "\r\n.\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return w.smtpReply();
        }
    }

    // ---- floods

    Outcome flood() throws Exception {
        StringBuilder obs = new StringBuilder();
        boolean all = true;
        Status worst = Status.PASS;
        for (Port p : List.of(Port.MX, Port.IMAP, Port.POP3)) {
            List<Wire> ws = new ArrayList<>();
            int normal = 0, refused = 0, other = 0, failed = 0;
            String refusal = "";
            try {
                for (int i = 0; i < 120; i++) {
                    try {
                        ws.add(new Wire(srv.port(p), "127.0.0.60", 5_000));
                    } catch (IOException e) {
                        failed++;
                    }
                }
                for (Wire w : ws) {
                    String g;
                    try {
                        g = p == Port.MX ? w.smtpReply() : w.line();
                    } catch (IOException e) {
                        g = null;
                    }
                    if (g == null) failed++;
                    else if (g.startsWith("220") || g.startsWith("* OK") || g.startsWith("+OK")) normal++;
                    else if (g.startsWith("421") || g.startsWith("* BYE") || g.startsWith("-ERR")) {
                        refused++;
                        if (refusal.isEmpty()) refusal = Wire.first(g);
                    } else other++;
                }
            } finally {
                ws.forEach(Wire::close);
            }
            obs.append(p).append(": ").append(normal).append(" greeted, ").append(refused).append(" refused")
                    .append(refusal.isEmpty() ? "" : " '" + refusal + "'").append(failed > 0 ? ", " + failed + " failed" : "")
                    .append(other > 0 ? ", " + other + " other" : "").append("; ");
            boolean want = p == Port.MX ? refusal.startsWith("421 4.7.0") : refused > 0;
            if (!want) {
                all = false;
                report.note("finding: no per-IP connection cap on " + p + " (" + normal + " of 120 connections from one IP greeted)");
            }
            if (other > 0) worst = Status.FAIL;
        }
        return new Outcome(worst == Status.FAIL ? Status.FAIL : all ? Status.PASS : Status.MISSING, obs.toString());
    }

    Outcome manyIps() throws Exception {
        List<Wire> ws = new ArrayList<>();
        int normal = 0, bad = 0;
        String sample = "";
        try {
            for (int ip = 1; ip <= 100; ip++) {
                for (Port p : List.of(Port.MX, Port.IMAP, Port.POP3)) {
                    try {
                        ws.add(new Wire(srv.port(p), "127.0.1." + ip, 10_000));
                    } catch (IOException e) {
                        bad++;
                    }
                }
            }
            for (Wire w : ws) {
                String g;
                try {
                    g = w.line();
                } catch (IOException e) {
                    g = null;
                }
                if (g != null && (g.startsWith("220") || g.startsWith("* OK") || g.startsWith("+OK"))) normal++;
                else {
                    bad++;
                    if (sample.isEmpty()) sample = Wire.first(g);
                }
            }
        } finally {
            ws.forEach(Wire::close);
        }
        return new Outcome(bad == 0 ? Status.PASS : Status.FAIL, normal + "/300 greeted normally" + (sample.isEmpty() ? "" : ", e.g. '" + sample + "'"));
    }

    // ---- authentication

    Outcome sameReply() throws Exception {
        String smtpUnknown = smtpAuth("nobody@example.test", "wrong password 1", "127.0.0.70");
        String smtpWrong = smtpAuth(ServerProcess.ALICE, "wrong password 1", "127.0.0.71");
        String imapUnknown = imapLogin("nobody@example.test", "wrong password 1", "127.0.0.72");
        String imapWrong = imapLogin(ServerProcess.ALICE, "wrong password 1", "127.0.0.73");
        String popUnknown = pop3Login("nobody@example.test", "wrong password 1", "127.0.0.74");
        String popWrong = pop3Login(ServerProcess.ALICE, "wrong password 1", "127.0.0.75");
        boolean ok = smtpUnknown.equals(smtpWrong) && imapUnknown.equals(imapWrong) && popUnknown.equals(popWrong)
                && !smtpWrong.startsWith("235") && !imapWrong.contains("OK") && !popWrong.startsWith("+OK");
        return new Outcome(ok ? Status.PASS : Status.FAIL, "SMTP '" + smtpUnknown + "' vs '" + smtpWrong + "'; IMAP '" + imapUnknown + "' vs '"
                + imapWrong + "'; POP3 '" + popUnknown + "' vs '" + popWrong + "'");
    }

    private String smtpAuth(String user, String password, String from) throws IOException {
        try (Wire w = new Wire(srv.port(Port.SUBMISSION), from, 20_000)) {
            need(w.smtpReply(), "220");
            w.smtp("EHLO brute.test");
            return Wire.first(w.smtp("AUTH PLAIN " + Wire.plain(user, password)));
        }
    }

    private String imapLogin(String user, String password, String from) throws IOException {
        try (Wire w = new Wire(srv.port(Port.IMAP), from, 20_000)) {
            need(w.line(), "* OK");
            String l = last(w.imap("a", "LOGIN " + user + " \"" + password + "\""));
            return Wire.first(l.substring(2));
        }
    }

    private String pop3Login(String user, String password, String from) throws IOException {
        try (Wire w = new Wire(srv.port(Port.POP3), from, 20_000)) {
            need(w.line(), "+OK");
            w.send("USER " + user);
            String u = w.line();
            if (u == null || !u.startsWith("+OK")) return "USER " + Wire.first(u);
            w.send("PASS " + password);
            return Wire.first(w.line());
        }
    }

    Outcome bruteForce() throws Exception {
        StringBuilder obs = new StringBuilder();
        List<CompletableFuture<Outcome>> runs = new ArrayList<>();
        for (String proto : List.of("SMTP", "IMAP", "POP3")) {
            runs.add(async(() -> {
                long t0 = System.nanoTime(), end = t0 + (full ? 60_000_000_000L : 12_000_000_000L);
                int tries = 0;
                String lastReply = "";
                while (tries < (full ? 100 : 40) && System.nanoTime() < end) {
                    String from = "127.0.0.80";
                    try {
                        lastReply = switch (proto) {
                            case "SMTP" -> smtpAuth(ServerProcess.ALICE, "guess " + tries, from);
                            case "IMAP" -> imapLogin(ServerProcess.ALICE, "guess " + tries, from);
                            default -> pop3Login(ServerProcess.ALICE, "guess " + tries, from);
                        };
                    } catch (IOException e) {
                        lastReply = "[" + e.getMessage() + "]";
                    }
                    tries++;
                }
                long s = (System.nanoTime() - t0) / 1_000_000;
                return new Outcome(Status.INFO, proto + ": " + tries + " tries in " + s + " ms, last '" + lastReply + "'; ");
            }));
        }
        for (var r : runs) obs.append(r.get().observed());
        // the account's owner, from another address, still gets in
        String owner = imapLogin(ServerProcess.ALICE, ServerProcess.PASSWORD, "127.0.0.1");
        obs.append("owner from 127.0.0.1 afterwards: '").append(owner).append("'");
        return new Outcome(owner.startsWith("OK") ? Status.PASS : Status.FAIL, obs.toString());
    }

    @Override
    public void close() throws Exception {
        srv.stop();
    }
}
