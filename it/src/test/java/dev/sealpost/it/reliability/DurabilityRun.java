package dev.sealpost.it.reliability;

import dev.sealpost.it.reliability.Report.Status;
import dev.sealpost.it.reliability.ServerProcess.Port;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.OutboundQueue;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durability under SIGKILL: mixed load (SMTP in to local recipients over several connections,
 * submission to a remote recipient through the fake MX, IMAP sessions in IDLE, POP3 retrievals)
 * while the server process is killed every few seconds and restarted on the same data. Every
 * message that got "250" must then be in each local recipient's INBOX exactly once, whole, and
 * reach the remote sink at least once.
 */
final class DurabilityRun {
    private static final Pattern TOKEN = Pattern.compile("(?m)^X-Token: (\\S+)");
    /**
     * A server that is up but does not answer for this long is an error. Generous: on a loaded
     * 2-core machine a restarted server took up to 30 s to its first "250" (JVM start, class
     * loading); 15 s produced bursts of false errors right after restarts.
     */
    private static final int READ_TIMEOUT = 60_000;

    record Expect(List<String> local, List<String> remote) {}

    /** A reply that is not the expected one: end this connection and start another. */
    private static final class Unexpected extends IOException {
        Unexpected(String m) {
            super(m);
        }
    }

    private final Report report;
    private final ServerProcess srv;
    private final Sink sink;
    private final String run = Long.toString(System.currentTimeMillis() % 100000, 36);
    private final Map<String, Expect> acked = new ConcurrentHashMap<>();
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private volatile boolean stop;
    private final AtomicLong expectedBreaks = new AtomicLong(), tempReplies = new AtomicLong(), idleWakeups = new AtomicLong(),
            imapCycles = new AtomicLong(), pop3Retrievals = new AtomicLong(), pop3InUse = new AtomicLong(), reconnects = new AtomicLong();

    DurabilityRun(Report report, Path dir) throws IOException {
        this.report = report;
        this.sink = new Sink();
        this.srv = new ServerProcess(dir, dir.resolve("data"), "", null,
                "[queue]\ntransports = [\"remote.test = 127.0.0.1:" + sink.port() + "\"]\n");
    }

    /** The mixed load's clients: SMTP in x3, submission x1, IMAP IDLE x2, POP3 x1. */
    private List<Thread> startClients() {
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            clients.add(Thread.ofVirtual().name("mx-" + i).start(() -> smtpClient(id, false)));
        }
        clients.add(Thread.ofVirtual().name("sub-0").start(() -> smtpClient(0, true)));
        clients.add(Thread.ofVirtual().name("imap-alice").start(() -> imapClient(ServerProcess.ALICE)));
        clients.add(Thread.ofVirtual().name("imap-bob").start(() -> imapClient(ServerProcess.BOB)));
        clients.add(Thread.ofVirtual().name("pop3-bob").start(() -> pop3Client(ServerProcess.BOB)));
        return clients;
    }

    /** Latencies (ns) from the end of DATA to "250" since the last {@link #drainLatencies}. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Long> ackLatencies = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Pause of each SMTP client between two messages (0: back to back, as under SIGKILL). */
    private volatile long pauseMillis;

    List<Long> drainLatencies() {
        List<Long> out = new ArrayList<>();
        Long v;
        while ((v = ackLatencies.poll()) != null) out.add(v);
        return out;
    }

    ServerProcess server() {
        return srv;
    }

    /** Messages acknowledged so far. */
    int acknowledged() {
        return acked.size();
    }

    /** Errors so far (unexpected replies while the server was up). */
    int errors() {
        return report.errors.size();
    }

    /**
     * The soak: the same mixed load, no kills, for {@code load}; {@code sample} is called every
     * {@code every} with the seconds elapsed; then the same count of every acknowledged message.
     */
    void soak(Duration load, long pauseMillis, Duration every, java.util.function.LongConsumer sample, int drainSeconds) throws Exception {
        this.pauseMillis = pauseMillis;
        srv.start();
        long t0 = System.nanoTime(), end = t0 + load.toNanos();
        List<Thread> clients = startClients();
        try {
            sample.accept(0);
            while (System.nanoTime() < end) {
                long next = Math.min(end, System.nanoTime() + every.toNanos());
                while (System.nanoTime() < next) Thread.sleep(Math.max(1, Math.min(1000, (next - System.nanoTime()) / 1_000_000)));
                sample.accept((System.nanoTime() - t0) / 1_000_000_000L);
            }
        } finally {
            stop = true;
            for (Thread t : clients) t.join(30_000);
        }
        report.row("soak", "mixed load for " + load.toSeconds() + " s, no faults", "SMTP in x3, submission x1, IMAP IDLE x2, POP3 x1",
                sent.size() + " sent, " + acked.size() + " acked, " + tempReplies.get() + " 4xx replies, " + reconnects.get()
                        + " connections, " + imapCycles.get() + " IMAP IDLE cycles (" + idleWakeups.get() + " woken by EXISTS), "
                        + pop3Retrievals.get() + " POP3 RETR, " + pop3InUse.get() + " POP3 IN-USE",
                acked.isEmpty() ? Status.FAIL : Status.PASS);
        verify(drainSeconds);
    }

    void run(Duration load, int minUpSeconds, int maxUpSeconds, int drainSeconds) throws Exception {
        srv.start();
        List<Thread> clients = startClients();
        long end = System.nanoTime() + load.toNanos();
        int kills = 0;
        long downMillis = 0, worstDown = 0, firstAck = 0, worstFirstAck = 0;
        try {
            while (true) {
                long up = ThreadLocalRandom.current().nextLong(minUpSeconds * 1000L, maxUpSeconds * 1000L + 1);
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= up) {
                    Thread.sleep(Math.max(0, left));
                    break;
                }
                Thread.sleep(up);
                long t0 = System.nanoTime();
                srv.kill();
                kills++;
                report.faults.incrementAndGet();
                srv.start();
                long d = (System.nanoTime() - t0) / 1_000_000;
                downMillis += d;
                worstDown = Math.max(worstDown, d);
                // the next kill comes a few seconds after the restarted server acknowledged again
                long acks = report.acknowledged.get(), t1 = System.nanoTime();
                while (report.acknowledged.get() == acks && System.nanoTime() - t1 < 30_000_000_000L && System.nanoTime() < end) Thread.sleep(20);
                long f = (System.nanoTime() - t1) / 1_000_000;
                firstAck += f;
                worstFirstAck = Math.max(worstFirstAck, f);
            }
        } finally {
            stop = true;
            for (Thread t : clients) t.join(30_000);
        }
        report.row("durability", "SIGKILL " + minUpSeconds + "-" + maxUpSeconds + " s after the first 250, for " + load.toSeconds() + " s",
                "restart on the same data each time", kills + " kills; kill to listening avg "
                        + (kills == 0 ? 0 : downMillis / kills) + " ms (worst " + worstDown + "), then to the first 250 avg "
                        + (kills == 0 ? 0 : firstAck / kills) + " ms (worst " + worstFirstAck + ")",
                kills > 0 ? Status.PASS : Status.FAIL);
        report.row("durability", "mixed load while killed", "SMTP in x3, submission x1, IMAP IDLE x2, POP3 x1",
                sent.size() + " sent, " + acked.size() + " acked, " + tempReplies.get() + " 4xx replies, " + reconnects.get()
                        + " connections, " + expectedBreaks.get() + " broken by kills, " + imapCycles.get() + " IMAP IDLE cycles ("
                        + idleWakeups.get() + " woken by EXISTS), " + pop3Retrievals.get() + " POP3 RETR, " + pop3InUse.get() + " POP3 IN-USE",
                acked.isEmpty() ? Status.FAIL : Status.PASS);
        verify(drainSeconds);
    }

    private void smtpClient(int id, boolean submission) {
        int seq = 0;
        while (!stop) {
            if (!srv.up()) {
                pause(20);
                continue;
            }
            int e0 = srv.epoch();
            String who = (submission ? "submission-" : "mx-") + id;
            try (Wire w = new Wire(srv.port(submission ? Port.SUBMISSION : Port.MX), null, READ_TIMEOUT)) {
                reconnects.incrementAndGet();
                expect(w.smtpReply(), "220", who);
                expect(w.smtp("EHLO load" + id + ".test"), "250", who);
                if (submission) expect(w.smtp("AUTH PLAIN " + Wire.plain(ServerProcess.ALICE, ServerProcess.PASSWORD)), "235", who);
                while (!stop) {
                    String token = (submission ? "s" : "m") + id + "-" + run + "-" + (seq++);
                    Expect x = submission
                            ? new Expect(List.of(ServerProcess.BOB), List.of("r" + id + "@remote.test"))
                            : new Expect(List.of(ServerProcess.ALICE, ServerProcess.BOB), List.of());
                    String from = submission ? ServerProcess.ALICE : "load@elsewhere.test";
                    expect(w.smtp("MAIL FROM:<" + from + ">"), "250", who);
                    for (String r : x.local) expect(w.smtp("RCPT TO:<" + r + ">"), "250", who);
                    for (String r : x.remote) expect(w.smtp("RCPT TO:<" + r + ">"), "250", who);
                    expect(w.smtp("DATA"), "354", who);
                    w.raw(message(token, from, x).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    long sentAt = System.nanoTime();
                    sent.add(token);
                    report.sent.incrementAndGet();
                    String r = w.smtpReply();
                    if (r.startsWith("250")) {
                        ackLatencies.add(System.nanoTime() - sentAt);
                        acked.put(token, x);
                        report.acknowledged.incrementAndGet();
                        if (pauseMillis > 0) pause(pauseMillis);
                    } else {
                        expect(r, "250", who);
                    }
                }
                w.smtp("QUIT");
            } catch (IOException | RuntimeException e) {
                failure(who, e0, e);
            }
        }
    }

    static String message(String token, String from, Expect x) {
        StringBuilder b = new StringBuilder();
        b.append("From: <").append(from).append(">\r\nTo: ").append(String.join(", ", x.local)).append("\r\n")
                .append("Subject: reliability ").append(token).append("\r\nMessage-ID: <").append(token).append("@reliab.test>\r\n")
                .append("Date: Mon, 7 Dec 2026 12:00:00 +0000\r\nX-Token: ").append(token).append("\r\n\r\n");
        int lines = ThreadLocalRandom.current().nextInt(10, 80);
        for (int i = 0; i < lines; i++) b.append("line ").append(i).append(' ').append("abcdefghij".repeat(7)).append("\r\n");
        b.append("END-").append(token).append("\r\n.\r\n");
        return b.toString();
    }

    private void imapClient(String user) {
        int t = 0;
        while (!stop) {
            if (!srv.up()) {
                pause(20);
                continue;
            }
            int e0 = srv.epoch();
            String step = "connect";
            try (Wire w = new Wire(srv.port(Port.IMAP), null, READ_TIMEOUT)) {
                reconnects.incrementAndGet();
                expect(w.line(), "* OK", user);
                expect(tagged(w.imap("a" + t++, "LOGIN " + user + " \"" + ServerProcess.PASSWORD + "\"")), "OK", "imap " + user);
                expect(tagged(w.imap("a" + t++, "SELECT INBOX")), "OK", "imap " + user);
                while (!stop) {
                    String tag = "a" + t++;
                    step = "IDLE";
                    w.send(tag + " IDLE");
                    expect(w.line(), "+", "imap " + user);
                    w.timeout(3_000);
                    try {
                        String l;
                        while ((l = w.line()) != null) {
                            if (l.endsWith(" EXISTS")) {
                                idleWakeups.incrementAndGet();
                                break;
                            }
                        }
                    } catch (SocketTimeoutException e) {
                        // nothing arrived in the IDLE window
                    }
                    w.timeout(READ_TIMEOUT);
                    step = "DONE";
                    w.send("DONE");
                    expect(tagged(w.imapUntil(tag)), "OK", "imap " + user);
                    step = "FETCH";
                    expect(tagged(w.imap("a" + t++, "FETCH 1:* (UID FLAGS)")), "OK", "imap " + user);
                    imapCycles.incrementAndGet();
                }
                w.imap("z", "LOGOUT");
            } catch (IOException | RuntimeException e) {
                failure("imap " + user + " at " + step, e0, e);
            }
        }
    }

    private void pop3Client(String user) {
        while (!stop) {
            if (!srv.up()) {
                pause(20);
                continue;
            }
            int e0 = srv.epoch();
            try (Wire w = new Wire(srv.port(Port.POP3), null, READ_TIMEOUT)) {
                reconnects.incrementAndGet();
                expect(w.line(), "+OK", "pop3");
                expect(send(w, "USER " + user), "+OK", "pop3");
                String pass = send(w, "PASS " + ServerProcess.PASSWORD);
                if (pass.contains("[IN-USE]")) {
                    pop3InUse.incrementAndGet();
                    continue;
                }
                expect(pass, "+OK", "pop3");
                String stat = send(w, "STAT");
                expect(stat, "+OK", "pop3");
                int n = Integer.parseInt(stat.split(" ")[1]);
                if (n > 0) {
                    expect(send(w, "RETR " + n), "+OK", "pop3");
                    w.pop3Body();
                    pop3Retrievals.incrementAndGet();
                }
                expect(send(w, "QUIT"), "+OK", "pop3");
            } catch (IOException | RuntimeException e) {
                failure("pop3", e0, e);
            }
            pause(300);
        }
    }

    private static String send(Wire w, String cmd) throws IOException {
        w.send(cmd);
        String l = w.line();
        if (l == null) throw new IOException("connection closed after " + cmd.split(" ")[0]);
        return l;
    }

    private static String tagged(String lines) {
        String[] ls = lines.strip().split("\n");
        String last = ls[ls.length - 1];
        int sp = last.indexOf(' ');
        return sp < 0 ? last : last.substring(sp + 1);
    }

    private void expect(String reply, String prefix, String who) throws IOException {
        if (reply == null) throw new IOException("connection closed");
        if (reply.startsWith(prefix)) return;
        if (reply.startsWith("4") || reply.startsWith("* BYE") || reply.startsWith("-ERR [SYS/TEMP]")) {
            tempReplies.incrementAndGet();
            throw new Unexpected("temporary: " + Wire.first(reply));
        }
        throw new Unexpected(who + " expected " + prefix + ", got " + Wire.first(reply));
    }

    private void failure(String who, int e0, Exception e) {
        if (srv.epoch() != e0 || !srv.up() || stop) {
            expectedBreaks.incrementAndGet();
        } else if (e instanceof Unexpected u && u.getMessage().startsWith("temporary")) {
            pause(100);
        } else {
            report.error("durability " + who + " while the server was up: " + e);
            pause(200);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the queue to drain, stops the server, then counts every acknowledged token at each recipient. */
    private void verify(int drainSeconds) throws Exception {
        Map<String, String> tokenOfBlob = new HashMap<>();
        long end = System.nanoTime() + drainSeconds * 1_000_000_000L;
        Map<String, Map<String, Integer>> copies = Map.of();
        try (Store s = Store.open(StoreConfig.sqlite(srv.data))) {
            while (true) {
                copies = scan(s, tokenOfBlob);
                if (missing(copies) == 0 || System.nanoTime() > end) break;
                Thread.sleep(1000);
            }
        }
        srv.stop();
        List<String> pendingRemote = new ArrayList<>();
        try (Store s = Store.open(StoreConfig.sqlite(srv.data))) {
            copies = scan(s, tokenOfBlob);
            for (OutboundQueue.Entry e : s.outbound().list(100_000)) {
                if (e.deliveries().stream().anyMatch(d -> d.doneAt() == null)) pendingRemote.add(token(s, e.message().blob().id()));
            }
            for (Spool.QueuedMessage q : s.spool().pendingLocal(100_000)) pendingRemote.add(token(s, q.blob().id()));
        }
        long delivered = 0, lost = 0, localDup = 0, remoteDup = 0, pending = 0, unackedDelivered = 0, torn = 0;
        List<String> lostSamples = new ArrayList<>();
        for (var e : acked.entrySet()) {
            String token = e.getKey();
            boolean whole = true, isPending = false;
            for (String r : e.getValue().local) {
                int n = copies.getOrDefault(token, Map.of()).getOrDefault(r, 0);
                if (n == 0) whole = false;
                if (n > 1) localDup += n - 1;
            }
            for (String r : e.getValue().remote) {
                int n = sink.received.getOrDefault(token + " " + r, 0);
                if (n == 0) {
                    if (pendingRemote.contains(token)) isPending = true;
                    else whole = false;
                }
                if (n > 1) remoteDup += n - 1;
            }
            if (!whole) {
                lost++;
                if (lostSamples.size() < 10) lostSamples.add(token);
            } else if (isPending) {
                pending++;
            } else {
                delivered++;
            }
        }
        for (String token : copies.keySet()) {
            if (token.startsWith("TORN ")) torn++;
            else if (!acked.containsKey(token)) unackedDelivered++;
        }
        report.delivered.addAndGet(delivered);
        report.lost.addAndGet(lost);
        report.duplicated.addAndGet(localDup + remoteDup);
        report.row("durability", "every 250 delivered to each local recipient", "exactly once, whole",
                acked.size() + " acked: " + delivered + " delivered, " + lost + " lost" + (lostSamples.isEmpty() ? "" : " e.g. " + lostSamples)
                        + ", " + localDup + " local duplicates, " + torn + " torn",
                lost == 0 && localDup == 0 && torn == 0 ? Status.PASS : Status.FAIL);
        report.row("durability", "every 250 handed to the remote MX", "at least once (duplicates counted)",
                remoteDup + " remote duplicates, " + pending + " still queued after " + drainSeconds + " s drain",
                pending == 0 ? Status.PASS : Status.INFO);
        report.row("durability", "unacknowledged messages", "delivered or not (no promise)",
                (sent.size() - acked.size()) + " sent without 250, " + unackedDelivered + " of them delivered anyway", Status.INFO);
        if (localDup > 0) report.error("durability: " + localDup + " local duplicate deliveries (exactly-once broken)");
        if (torn > 0) report.error("durability: " + torn + " stored messages without their END line (half-written)");
        report.logNotes("durability", srv.errorLines());
    }

    private long missing(Map<String, Map<String, Integer>> copies) {
        long m = 0;
        for (var e : acked.entrySet()) {
            for (String r : e.getValue().local) if (copies.getOrDefault(e.getKey(), Map.of()).getOrDefault(r, 0) == 0) m++;
            for (String r : e.getValue().remote) if (sink.received.getOrDefault(e.getKey() + " " + r, 0) == 0) m++;
        }
        return m;
    }

    /** token to (recipient to copies); a message without its END line is counted under "TORN <blob>". */
    private static Map<String, Map<String, Integer>> scan(Store s, Map<String, String> tokenOfBlob) throws IOException {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        for (String user : List.of(ServerProcess.ALICE, ServerProcess.BOB)) {
            long id = s.directory().account(user).orElseThrow().id();
            for (Mailboxes.MessageInfo m : s.mailboxes().messages(id, "INBOX")) {
                String token = tokenOfBlob.get(m.blobId());
                if (token == null) {
                    token = token(s, m.blobId());
                    tokenOfBlob.put(m.blobId(), token);
                }
                out.computeIfAbsent(token, k -> new HashMap<>()).merge(user, 1, Integer::sum);
            }
        }
        return out;
    }

    private static String token(Store s, String blobId) throws IOException {
        try (InputStream in = s.blobs().open(blobId)) {
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            Matcher t = TOKEN.matcher(text);
            if (!t.find()) return "NOTOKEN " + blobId;
            return text.contains("END-" + t.group(1)) ? t.group(1) : "TORN " + blobId;
        }
    }

    void close() throws Exception {
        srv.stop();
        sink.close();
    }
}
