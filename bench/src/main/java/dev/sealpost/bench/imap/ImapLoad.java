package dev.sealpost.bench.imap;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IMAP load: C clients, each repeating a session (LOGIN, SELECT INBOX, FETCH of the newest
 * messages' flags, envelope and body, STORE, APPEND of a 4 KiB message, STORE \Deleted + UID
 * EXPUNGE of what it appended, LOGOUT) for a fixed time, over plain TCP, against any IMAP server
 * (Sealpost or Dovecot: the same client drives both). Reports commands/s per command and in total,
 * latency percentiles, logins/s, and protocol errors (NO, BAD, BYE, unparseable or missing replies).
 *
 * <pre>
 * ImapLoad --port P --user 'bench%d@load.test' --users K --password PW [--host 127.0.0.1]
 *          [--clients 10] [--seconds 30] [--label TEXT]
 * ImapLoad --idle N --port P --user ... --password PW      # hold N logged-in IDLE connections, print READY, wait for stdin EOF
 * ImapLoad --seed N --port P --user ... --users K --password PW   # append N messages to each user's INBOX
 * </pre>
 * With {@code %d} in --user, client i logs in as user {@code (i mod K) + 1}.
 *
 * <p>Printed at the end, one tab-separated line starting {@code RESULT}: label, clients, seconds,
 * sessions, commands, commands/s, logins/s, errors, p50 ms, p99 ms, then per command
 * {@code NAME=count/p50/p99}.
 */
public final class ImapLoad {
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");
    private static final Pattern EXISTS = Pattern.compile("^\\* (\\d+) EXISTS", Pattern.CASE_INSENSITIVE);
    private static final Pattern EXPUNGE = Pattern.compile("^\\* \\d+ EXPUNGE", Pattern.CASE_INSENSITIVE);
    private static final Pattern APPENDUID = Pattern.compile("APPENDUID \\d+ (\\d+)", Pattern.CASE_INSENSITIVE);
    private static final List<String> COMMANDS = List.of("LOGIN", "SELECT", "FETCH", "STORE", "APPEND", "EXPUNGE", "LOGOUT");

    private ImapLoad() {}

    record Options(String host, int port, String user, int users, String password, int clients, int seconds, String label, int idle,
                   int seed) {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        if (o.idle() > 0) {
            idle(o);
            return;
        }
        if (o.seed() > 0) {
            seed(o);
            return;
        }
        Stats st = new Stats();
        long end = System.nanoTime() + o.seconds() * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < o.clients(); i++) {
            int n = i;
            threads.add(Thread.ofPlatform().name("imap-client-" + i).start(() -> client(o, n, end, st)));
        }
        long t0 = System.nanoTime();
        for (Thread t : threads) t.join();
        double secs = (System.nanoTime() - t0) / 1e9;
        st.print(o, secs);
        System.exit(st.errors.sum() == 0 ? 0 : 1);
    }

    static Options parse(String[] a) {
        String host = "127.0.0.1", user = null, password = null, label = "imap";
        int port = -1, users = 1, clients = 10, seconds = 30, idle = 0, seed = 0;
        for (int i = 0; i < a.length; i++) {
            String v = i + 1 < a.length ? a[i + 1] : null;
            switch (a[i]) {
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--user" -> user = v;
                case "--users" -> users = Integer.parseInt(v);
                case "--password" -> password = v;
                case "--clients" -> clients = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--label" -> label = v;
                case "--idle" -> idle = Integer.parseInt(v);
                case "--seed" -> seed = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a[i]);
            }
            i++;
        }
        if (port < 0 || user == null || password == null) {
            System.err.println("usage: ImapLoad --port P --user U[%d] [--users K] --password PW [--clients C] [--seconds S] [--label L] [--idle N]");
            System.exit(2);
        }
        return new Options(host, port, user, users, password, clients, seconds, label, idle, seed);
    }

    static String userFor(Options o, int client) {
        return o.user().contains("%d") ? o.user().replace("%d", Integer.toString(client % o.users() + 1)) : o.user();
    }

    /** One client: sessions until the deadline. */
    static void client(Options o, int n, long end, Stats st) {
        byte[] body = message(n);
        while (System.nanoTime() < end) {
            try (Conn c = new Conn(o.host(), o.port())) {
                c.greeting();
                st.time("LOGIN", c, "LOGIN \"" + userFor(o, n) + "\" \"" + o.password() + "\"", null);
                List<String> sel = st.time("SELECT", c, "SELECT INBOX", null);
                int exists = 0;
                for (String l : sel) {
                    Matcher m = EXISTS.matcher(l);
                    if (m.find()) exists = Integer.parseInt(m.group(1));
                    // another client's expunge may be reported right after SELECT (RFC 9051 §7.5.1 allows it)
                    else if (EXPUNGE.matcher(l).find()) exists--;
                }
                if (exists > 0) {
                    int from = Math.max(1, exists - 9);
                    st.time("FETCH", c, "FETCH " + from + ":" + exists + " (FLAGS UID RFC822.SIZE ENVELOPE)", null);
                    int pick = ThreadLocalRandom.current().nextInt(from, exists + 1);
                    st.time("FETCH", c, "FETCH " + pick + " (BODY.PEEK[])", null);
                    st.time("STORE", c, "STORE " + pick + " +FLAGS (\\Seen)", null);
                }
                List<String> app = st.time("APPEND", c, "APPEND INBOX (\\Draft) {" + body.length + "}", body);
                String uid = null;
                for (String l : app) {
                    Matcher m = APPENDUID.matcher(l);
                    if (m.find()) uid = m.group(1);
                }
                if (uid != null) {
                    st.time("STORE", c, "UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)", null);
                    st.time("EXPUNGE", c, "UID EXPUNGE " + uid, null);
                } else {
                    st.errors.increment(); // no APPENDUID (UIDPLUS): the mailbox would grow
                }
                st.time("LOGOUT", c, "LOGOUT", null);
                st.sessions.increment();
            } catch (IOException | RuntimeException e) {
                st.errors.increment();
                st.lastError.set(e.toString());
            }
        }
    }

    static byte[] message(int n) {
        StringBuilder b = new StringBuilder();
        b.append("From: Load <load@load.test>\r\nTo: bench@load.test\r\nSubject: imap load ").append(n)
                .append("\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <").append(n).append(".").append(System.nanoTime())
                .append("@load.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        while (b.length() < 4096 - 80) b.append("The quick brown fox jumps over the lazy dog, again and again and again.\r\n");
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends {@code --seed} messages to every user's INBOX. */
    static void seed(Options o) throws Exception {
        for (int u = 0; u < o.users(); u++) {
            try (Conn c = new Conn(o.host(), o.port())) {
                c.greeting();
                c.command("LOGIN \"" + userFor(o, u) + "\" \"" + o.password() + "\"", null);
                for (int i = 0; i < o.seed(); i++) {
                    byte[] m = message(u * 100_000 + i);
                    c.command("APPEND INBOX {" + m.length + "}", m);
                }
                c.command("LOGOUT", null);
            }
        }
        System.out.println("seeded " + o.users() + " users with " + o.seed() + " messages each");
    }

    /** Holds N authenticated connections in IDLE until stdin closes. */
    static void idle(Options o) throws Exception {
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < o.idle(); i++) {
            Conn c = new Conn(o.host(), o.port());
            c.greeting();
            c.command("LOGIN \"" + userFor(o, i) + "\" \"" + o.password() + "\"", null);
            c.command("SELECT INBOX", null);
            c.send("i IDLE\r\n");
            String l = c.line();
            if (!l.startsWith("+")) throw new IOException("IDLE refused: " + l);
            conns.add(c);
        }
        System.out.println("READY " + conns.size());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for EOF
        }
        for (Conn c : conns) c.close();
    }

    static final class Stats {
        final LongAdder sessions = new LongAdder();
        final LongAdder errors = new LongAdder();
        final AtomicLong commands = new AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<String> lastError = new java.util.concurrent.atomic.AtomicReference<>();
        final ConcurrentHashMap<String, Latencies> lat = new ConcurrentHashMap<>();

        List<String> time(String name, Conn c, String cmd, byte[] literal) throws IOException {
            long t = System.nanoTime();
            List<String> r = c.command(cmd, literal);
            long us = (System.nanoTime() - t) / 1000;
            lat.computeIfAbsent(name, k -> new Latencies()).add(us);
            commands.incrementAndGet();
            return r;
        }

        void print(Options o, double secs) {
            Latencies all = new Latencies();
            StringBuilder per = new StringBuilder();
            for (String name : COMMANDS) {
                Latencies l = lat.get(name);
                if (l == null) continue;
                all.addAll(l);
                per.append('\t').append(name).append('=').append(l.count()).append('/')
                        .append(fmt(l.pct(50))).append('/').append(fmt(l.pct(99)));
            }
            long logins = lat.containsKey("LOGIN") ? lat.get("LOGIN").count() : 0;
            System.out.printf(Locale.ROOT, "%s: %d clients, %.1f s, %d sessions, %d commands = %.0f commands/s, %.0f logins/s, %d errors%s%n",
                    o.label(), o.clients(), secs, sessions.sum(), commands.get(), commands.get() / secs, logins / secs, errors.sum(),
                    lastError.get() == null ? "" : " (last: " + lastError.get() + ")");
            System.out.printf(Locale.ROOT, "RESULT\t%s\t%d\t%.1f\t%d\t%d\t%.0f\t%.0f\t%d\t%s\t%s%s%n", o.label(), o.clients(), secs,
                    sessions.sum(), commands.get(), commands.get() / secs, logins / secs, errors.sum(),
                    fmt(all.pct(50)), fmt(all.pct(99)), per);
        }

        static String fmt(long us) {
            return String.format(Locale.ROOT, "%.2f", us / 1000.0);
        }
    }

    static final class Latencies {
        private long[] v = new long[1024];
        private int n;

        synchronized void add(long us) {
            if (n == v.length) v = Arrays.copyOf(v, n * 2);
            v[n++] = us;
        }

        synchronized void addAll(Latencies o) {
            synchronized (o) {
                for (int i = 0; i < o.n; i++) add(o.v[i]);
            }
        }

        synchronized long count() {
            return n;
        }

        synchronized long pct(int p) {
            if (n == 0) return 0;
            long[] s = Arrays.copyOf(v, n);
            Arrays.sort(s);
            return s[Math.min(n - 1, (int) Math.ceil(p / 100.0 * n) - 1)];
        }
    }

    /** A minimal IMAP client connection: tagged commands, literals both ways, errors as exceptions. */
    static final class Conn implements AutoCloseable {
        private final Socket s;
        private final InputStream in;
        private final OutputStream out;
        private int tag;

        Conn(String host, int port) throws IOException {
            s = new Socket();
            s.connect(new InetSocketAddress(host, port), 10_000);
            s.setSoTimeout(60_000);
            s.setTcpNoDelay(true);
            in = new BufferedInputStream(s.getInputStream(), 65536);
            out = s.getOutputStream();
        }

        void greeting() throws IOException {
            String g = line();
            if (!g.startsWith("* OK")) throw new IOException("greeting: " + g);
        }

        void send(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Sends one command (with one trailing synchronizing literal) and returns its untagged lines; NO/BAD/BYE throw. */
        List<String> command(String cmd, byte[] literal) throws IOException {
            String t = "t" + (++tag);
            send(t + " " + cmd + "\r\n");
            if (literal != null) {
                String cont = line();
                if (!cont.startsWith("+")) throw new IOException(cmd.split(" ")[0] + " literal refused: " + cont);
                out.write(literal);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            List<String> untagged = new ArrayList<>();
            while (true) {
                String l = line();
                if (l.startsWith(t + " ")) {
                    String rest = l.substring(t.length() + 1);
                    if (!rest.regionMatches(true, 0, "OK", 0, 2)) throw new IOException(cmd.split(" ")[0] + ": " + l);
                    untagged.add(rest);
                    return untagged;
                }
                if (l.regionMatches(true, 0, "* BYE", 0, 5) && !cmd.equals("LOGOUT")) throw new IOException("BYE: " + l);
                untagged.add(l);
            }
        }

        /** One response line, with any literals it announces read and folded in (their bytes skipped). */
        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                String part = rawLine();
                sb.append(part);
                Matcher m = LITERAL.matcher(part);
                if (!m.find()) return sb.toString();
                long len = Long.parseLong(m.group(1));
                in.skipNBytes(len);
                sb.append("<").append(len).append(" octets>");
            }
        }

        private String rawLine() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(128);
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') break;
                if (c != '\r') b.write(c);
                if (b.size() > 1_000_000) throw new IOException("response line over 1 MB");
            }
            if (c < 0) throw new IOException("connection closed");
            return b.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            try {
                s.close();
            } catch (IOException ignored) {
                // done anyway
            }
        }
    }
}
