package dev.sealpost.it.reliability;

import dev.sealpost.it.reliability.Report.Status;
import dev.sealpost.it.reliability.ServerProcess.Port;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Faults under the server: the data directory's file system full (ENOSPC), then read-only
 * (both on a small tmpfs, which needs root), and a DNS resolver that drops every packet.
 */
final class Faults implements AutoCloseable {
    private final Report report;
    private final Path dir;
    private final boolean full;
    private final List<ServerProcess> servers = new ArrayList<>();
    private Path mount;
    private int seq;

    Faults(Report report, Path dir, boolean full) throws IOException {
        this.report = report;
        this.dir = dir;
        this.full = full;
        Files.createDirectories(dir);
    }

    void run() throws Exception {
        disk();
        dns();
    }

    // ---- disk full and read-only

    private void disk() throws Exception {
        mount = dir.resolve("tmpfs");
        Files.createDirectories(mount);
        String m = sh("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount.toString());
        if (m != null) {
            mount = null;
            report.row("faults", "ENOSPC on the data directory", "452 4.3.1 before 250", "SKIPPED: mount refused: " + m, Status.SKIPPED);
            report.row("faults", "read-only data directory", "4xx, no 250", "SKIPPED: mount refused: " + m, Status.SKIPPED);
            return;
        }
        ServerProcess srv = new ServerProcess(dir.resolve("disk"), mount.resolve("data"), "", null, "");
        servers.add(srv);
        srv.start();
        List<String> acked = new ArrayList<>();
        String first = send(srv, acked);
        if (!first.startsWith("250")) report.error("faults: first message on the tmpfs refused: " + first);

        // ENOSPC
        report.faults.incrementAndGet();
        Path filler = mount.resolve("filler");
        long filled = 0;
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int size : new int[] {1 << 20, 1 << 16, 1 << 12, 512, 1}) {
                byte[] b = new byte[size];
                try {
                    while (true) {
                        out.write(b);
                        out.flush();
                        filled += size;
                    }
                } catch (IOException e) {
                    // ENOSPC at this chunk size: try a smaller one, down to the last byte
                }
            }
        } catch (IOException e) {
            // closing a full file
        }
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < 5; i++) replies.add(send(srv, acked));
        String imap = imapLogin(srv);
        // a 250 is fine while space remains (it must then be delivered: checked below); every refusal must be 452 4.3.1
        boolean ok = replies.stream().allMatch(r -> r.startsWith("452 4.3.1") || r.startsWith("250"))
                && replies.stream().anyMatch(r -> r.startsWith("452"));
        report.row("faults", "ENOSPC on the data directory", "452 4.3.1 (250 only if stored); IMAP login still works",
                "filled " + (filled >> 20) + " MiB; replies " + replies + "; IMAP login '" + imap + "'",
                ok ? Status.PASS : Status.FAIL);
        Files.deleteIfExists(filler);
        String after = waitFor250(srv, acked);
        report.row("faults", "service back when space returns", "250 within 10 s", "'" + after + "'", after.startsWith("250") ? Status.PASS : Status.FAIL);

        // read-only: a busy file system cannot be remounted read-only, so stop, remount, start
        report.faults.incrementAndGet();
        srv.stop();
        String ro = sh("mount", "-o", "remount,ro", mount.toString());
        if (ro != null) {
            report.row("faults", "read-only data directory", "4xx, no 250", "SKIPPED: remount refused: " + ro, Status.SKIPPED);
        } else {
            String started;
            boolean up;
            try {
                srv.start();
                started = "started";
                up = true;
            } catch (IOException e) {
                java.util.regex.Matcher em = java.util.regex.Pattern.compile("(?m)^\\S*Exception: (.*)$").matcher(e.getMessage());
                started = "refused to start: " + (em.find() ? Wire.first(em.group(1)) : Wire.first(e.getMessage()));
                up = false;
            }
            if (up) {
                List<String> rr = new ArrayList<>();
                for (int i = 0; i < 2; i++) rr.add(send(srv, acked));
                String imapRo = imapLogin(srv);
                boolean roOk = rr.stream().allMatch(r -> r.startsWith("4"));
                report.row("faults", "read-only data directory (server started on it)", "4xx (451/452 4.3.x), no 250; IMAP login works",
                        "replies " + rr + "; IMAP login '" + imapRo + "'", roOk ? Status.PASS : Status.FAIL);
                srv.stop();
            } else {
                report.row("faults", "read-only data directory (server started on it)", "start refused with a clear error, or 4xx",
                        started, Status.PASS);
            }
            String rw = sh("mount", "-o", "remount,rw", mount.toString());
            if (rw != null) report.error("faults: remount rw failed: " + rw);
        }
        srv.start();
        String back = waitFor250(srv, acked);
        report.row("faults", "after a restart on a writable disk", "250", "'" + back + "'", back.startsWith("250") ? Status.PASS : Status.FAIL);
        if (!srv.alive()) report.error("faults: server died under disk faults");
        // every acknowledged message delivered, whole; nothing left half-written in tmp
        Thread.sleep(2000);
        srv.stop();
        int delivered = 0, lost = 0;
        try (var s = dev.sealpost.store.Store.open(dev.sealpost.store.StoreConfig.sqlite(srv.data))) {
            long id = s.directory().account(ServerProcess.ALICE).orElseThrow().id();
            List<String> found = new ArrayList<>();
            int torn = 0;
            for (var mi : s.mailboxes().messages(id, "INBOX")) {
                try (var in = s.blobs().open(mi.blobId())) {
                    String t = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                    var mt = java.util.regex.Pattern.compile("(?m)^X-Token: (\\S+)").matcher(t);
                    if (mt.find()) {
                        if (t.contains("END-" + mt.group(1))) found.add(mt.group(1));
                        else torn++;
                    }
                }
            }
            for (String a : acked) {
                if (found.contains(a)) delivered++;
                else lost++;
            }
            long tmpFiles = 0;
            Path tmp = srv.data.resolve("tmp");
            if (Files.isDirectory(tmp)) try (Stream<Path> st = Files.list(tmp)) {
                tmpFiles = st.count();
            }
            report.row("faults", "after the disk faults", "every 250 delivered whole; no torn message",
                    acked.size() + " acked, " + delivered + " delivered, " + lost + " lost, " + torn + " torn, " + tmpFiles
                            + " files left in data/tmp", lost == 0 && torn == 0 ? Status.PASS : Status.FAIL);
        }
        report.sent.addAndGet(seq);
        report.acknowledged.addAndGet(acked.size());
        report.delivered.addAndGet(delivered);
        report.lost.addAndGet(lost);
        report.logNotes("faults", srv.errorLines());
    }

    private String waitFor250(ServerProcess srv, List<String> acked) throws Exception {
        String r = "";
        for (int i = 0; i < 20; i++) {
            r = send(srv, acked);
            if (r.startsWith("250")) return r;
            Thread.sleep(500);
        }
        return r;
    }

    /** Sends one message to alice; returns the reply to the end of data (or the first refusal). */
    private String send(ServerProcess srv, List<String> acked) {
        String token = "f" + (seq++);
        try (Wire w = new Wire(srv.port(Port.MX), "127.0.0.1", 20_000)) {
            w.smtpReply();
            w.smtp("EHLO faults.test");
            String r = w.smtp("MAIL FROM:<faults@elsewhere.test>");
            if (!r.startsWith("250")) return Wire.first(r) + " (MAIL)";
            r = w.smtp("RCPT TO:<" + ServerProcess.ALICE + ">");
            if (!r.startsWith("250")) return Wire.first(r) + " (RCPT)";
            r = w.smtp("DATA");
            if (!r.startsWith("354")) return Wire.first(r) + " (DATA)";
            w.raw(DurabilityRun.message(token, "faults@elsewhere.test", new DurabilityRun.Expect(List.of(ServerProcess.ALICE), List.of()))
                    .getBytes(StandardCharsets.US_ASCII));
            r = w.smtpReply();
            if (r.startsWith("250")) acked.add(token);
            return Wire.first(r);
        } catch (IOException e) {
            return "[" + e.getMessage() + "]";
        }
    }

    private static String imapLogin(ServerProcess srv) {
        try (Wire w = new Wire(srv.port(Port.IMAP), "127.0.0.1", 10_000)) {
            w.line();
            String r = w.imap("a", "LOGIN " + ServerProcess.ALICE + " \"" + ServerProcess.PASSWORD + "\"");
            String[] ls = r.strip().split("\n");
            return Wire.first(ls[ls.length - 1]);
        } catch (IOException e) {
            return "[" + e.getMessage() + "]";
        }
    }

    /** Runs a command; null on success, else its output. */
    private static String sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? null : (out.isEmpty() ? "exit " + p.exitValue() : out);
        } catch (Exception e) {
            return e.toString();
        }
    }

    // ---- DNS that times out

    private void dns() throws Exception {
        report.faults.incrementAndGet();
        try (DatagramSocket blackhole = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            Thread.ofVirtual().start(() -> {
                byte[] b = new byte[2048];
                while (!blackhole.isClosed()) {
                    try {
                        blackhole.receive(new DatagramPacket(b, b.length)); // and drop it
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            ServerProcess srv = new ServerProcess(dir.resolve("dns"), dir.resolve("dns/data"), "",
                    "[dns]\nservers = [\"127.0.0.1:" + blackhole.getLocalPort() + "\"]\ntimeout_ms = 1000\ndnssec = false", "");
            servers.add(srv);
            srv.start();
            List<String> acked = new ArrayList<>();
            long t0 = System.nanoTime();
            String r = send(srv, acked);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            report.row("faults", "DNS drops every packet: MX receives", "250 (auth results temperror) within 15 s, no stall",
                    "'" + r + "' in " + ms + " ms", r.startsWith("250") && ms < 15_000 ? Status.PASS : Status.FAIL);
            // outbound to a domain whose MX cannot be looked up: deferred, never bounced
            String sub;
            long t1 = System.nanoTime();
            try (Wire w = new Wire(srv.port(Port.SUBMISSION), "127.0.0.1", 30_000)) {
                w.smtpReply();
                w.smtp("EHLO dns.test");
                w.smtp("AUTH PLAIN " + Wire.plain(ServerProcess.ALICE, ServerProcess.PASSWORD));
                w.smtp("MAIL FROM:<" + ServerProcess.ALICE + ">");
                w.smtp("RCPT TO:<someone@unreachable-dns.test>");
                w.smtp("DATA");
                sub = Wire.first(w.smtp("Subject: dns\r\n\r\nx\r\n."));
            }
            long ms1 = (System.nanoTime() - t1) / 1_000_000;
            Thread.sleep(full ? 15_000 : 6_000);
            String state = "";
            srv.stop();
            try (var s = dev.sealpost.store.Store.open(dev.sealpost.store.StoreConfig.sqlite(srv.data))) {
                for (var e : s.outbound().list(100)) {
                    for (var d : e.deliveries()) state += d.address() + " " + d.state() + " attempts " + d.attempts() + " '" + Wire.first(String.valueOf(d.lastReply())) + "' ";
                }
            }
            boolean deferred = !state.contains("FAILED") && !state.contains("BOUNCED");
            report.row("faults", "DNS drops every packet: submission to a remote domain", "250, then deferred (not bounced)",
                    "'" + sub + "' in " + ms1 + " ms; queue: " + (state.isEmpty() ? "(empty)" : state.strip()),
                    sub.startsWith("250") && deferred ? Status.PASS : Status.FAIL);
        }
    }

    @Override
    public void close() throws Exception {
        for (ServerProcess s : servers) s.stop();
        if (mount != null) {
            String u = sh("umount", mount.toString());
            if (u != null) sh("umount", "-l", mount.toString());
        }
    }
}
