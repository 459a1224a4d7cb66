package dev.sealpost.it;

import dev.sealpost.it.imaptest.DovecotServer;
import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential test: the same IMAP client script (CREATE, APPEND with flags and dates, STORE,
 * COPY, MOVE, EXPUNGE, RENAME, DELETE, SUBSCRIBE) runs against a private Dovecot and against
 * Sealpost, and the resulting mailbox state must be the same: mailbox names, subscriptions,
 * STATUS (MESSAGES UNSEEN UIDNEXT) and, per message, UID, FLAGS, RFC822.SIZE, INTERNALDATE and a
 * hash of BODY[].
 *
 * <p>Normalisation, and why: only INBOX and the script's {@code diff} tree are compared (the
 * folders an account starts with are configuration: Sealpost provisions special-use folders);
 * special-use and child attributes are left out of LIST (configuration, and Dovecot and Sealpost
 * may legitimately answer \HasNoChildren or nothing); {@code \Recent} is left out of FLAGS (it
 * depends on which session saw a message first, and the comparison session is a new one);
 * INTERNALDATE is compared as an instant (a server may present it in another zone, RFC 9051
 * §2.3.3 only fixes the moment); UIDVALIDITY and HIGHESTMODSEQ are not compared (their values
 * are the server's choice).
 *
 * <p>Skipped when Dovecot is not installed, unless {@code SEALPOST_REQUIRE_INTEROP=1}.
 */
class ImapDovecotDifferentialTest {
    @TempDir
    static Path dir;
    static DovecotServer dovecot;
    static TestServer sealpost;

    @BeforeAll
    static void start() throws Exception {
        Peers.require(DovecotServer.binary().isPresent(), "'dovecot' (Debian package dovecot-imapd)");
        dovecot = DovecotServer.start(Files.createDirectories(dir.resolve("dovecot")));
        sealpost = new TestServer(Files.createDirectories(dir.resolve("sealpost")), "", "$TTL 300\n",
                "[imap]\nallow_plaintext_auth = true\n");
    }

    @AfterAll
    static void stop() {
        if (sealpost != null) sealpost.close();
        if (dovecot != null) dovecot.close();
    }

    @Test
    void sameScriptGivesSameMailboxState() throws Exception {
        Map<String, Object> expected;
        try (Client c = new Client(dovecot.port(), dovecot.user(), dovecot.password())) {
            script(c);
        }
        try (Client c = new Client(dovecot.port(), dovecot.user(), dovecot.password())) {
            expected = state(c);
        }
        Map<String, Object> actual;
        int port = sealpost.server.imapPort(false);
        try (Client c = new Client(port, TestServer.USER, TestServer.PASSWORD)) {
            script(c);
        }
        try (Client c = new Client(port, TestServer.USER, TestServer.PASSWORD)) {
            actual = state(c);
        }
        // the script really did something: messages everywhere it put some
        assertThat(expected.toString()).contains("diff/a", "diff/c", "diff/renamed", "$Work", "\\Flagged", "$Forwarded");
        assertThat(expected.toString()).doesNotContain("diff/b", "diff/gone", "diff/c/d");
        assertThat(actual).as("Sealpost state vs Dovecot state").isEqualTo(expected);
    }

    static final String[] DATES = {"01-Jan-2024 10:00:00 +0100", "15-Feb-2023 23:59:59 -0500", "29-Feb-2024 00:00:01 +0000",
            " 3-Mar-2022 12:30:00 +0530"};

    static String message(int n) {
        return "From: Sender " + n + " <sender" + n + "@example.org>\r\n"
                + "To: rcpt@example.test\r\n"
                + "Subject: differential message " + n + "\r\n"
                + "Date: Mon, 1 Jan 2024 10:00:0" + (n % 10) + " +0000\r\n"
                + "Message-ID: <diff" + n + "@example.org>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + "Body of message " + n + ".\r\n".repeat(n) + "Last line\r\n";
    }

    /** The client script both servers get. Every command must succeed (tagged OK). */
    static void script(Client c) throws IOException {
        c.ok("CREATE diff");
        c.ok("CREATE diff/a");
        c.ok("CREATE diff/b");
        // superiors are created explicitly: with "CREATE diff/c/d" alone, Sealpost creates diff/c
        // as a mailbox (RFC 9051 §6.3.4 SHOULD) while Dovecot's Maildir++ layout only implies it
        c.ok("CREATE diff/c");
        c.ok("CREATE diff/c/d");
        c.ok("CREATE diff/gone");
        String[] flags = {"(\\Seen)", "(\\Flagged $Label1)", "()", "(\\Draft \\Answered)"};
        for (int i = 0; i < 4; i++) c.append("diff/a", flags[i], DATES[i], message(i + 1));
        c.append("INBOX", "(\\Seen $Work)", DATES[1], message(5));
        c.append("INBOX", "()", DATES[2], message(6));
        c.append("diff/gone", "()", DATES[3], message(7));

        c.ok("SELECT diff/a");
        c.ok("STORE 1 +FLAGS (\\Deleted)");
        c.ok("STORE 2 -FLAGS (\\Flagged)");
        c.ok("STORE 3 FLAGS (\\Seen $Work)");
        c.ok("UID STORE 4 +FLAGS.SILENT (\\Flagged)");
        c.ok("COPY 2:3 diff/b");
        c.ok("UID MOVE 4 diff/b");
        c.ok("EXPUNGE");
        c.ok("SELECT INBOX");
        c.ok("COPY 1 diff/a");
        c.ok("STORE 2 +FLAGS (\\Deleted)");
        c.ok("CLOSE");
        c.ok("SELECT diff/b");
        c.ok("STORE 1:* -FLAGS (\\Seen)");
        c.ok("UID STORE 1 +FLAGS ($Forwarded)");
        c.ok("UNSELECT");
        c.ok("RENAME diff/b diff/renamed");
        c.ok("DELETE diff/c/d");
        c.ok("DELETE diff/gone");
        // Sealpost provisions an account with INBOX subscribed, Dovecot without: subscribe it here
        c.ok("SUBSCRIBE INBOX");
        c.ok("SUBSCRIBE diff/a");
        c.ok("SUBSCRIBE diff/renamed");
        c.ok("SUBSCRIBE diff");
        c.ok("UNSUBSCRIBE diff");
        c.append("diff/renamed", "(\\Answered)", DATES[0], message(8));
    }

    static boolean compared(String name) {
        return name.equals("INBOX") || name.equals("diff") || name.startsWith("diff/");
    }

    /** The normalised state of INBOX and the diff tree. */
    static Map<String, Object> state(Client c) throws IOException {
        Map<String, Object> st = new LinkedHashMap<>();
        TreeMap<String, String> list = new TreeMap<>();
        for (String line : c.ok("LIST \"\" \"*\"")) {
            Matcher m = LIST.matcher(line);
            if (!m.matches()) continue;
            String name = unquote(m.group(3));
            if (!compared(name)) continue;
            // only what says whether the name can be selected (special-use and child attributes aside)
            String attrs = m.group(1).toLowerCase(Locale.ROOT);
            list.put(name, attrs.contains("\\noselect") || attrs.contains("\\nonexistent") ? "noselect" : "selectable");
        }
        st.put("list", list);
        TreeSet<String> subscribed = new TreeSet<>();
        for (String line : c.ok("LSUB \"\" \"*\"")) {
            Matcher m = LSUB.matcher(line);
            if (m.matches() && compared(unquote(m.group(3)))) subscribed.add(unquote(m.group(3)));
        }
        st.put("subscribed", subscribed);
        for (String name : list.keySet()) {
            if (!list.get(name).equals("selectable")) continue;
            String status = c.ok("STATUS " + quote(name) + " (MESSAGES UNSEEN UIDNEXT)").stream()
                    .filter(l -> l.startsWith("* STATUS ")).findFirst().orElseThrow();
            Matcher sm = STATUS.matcher(status);
            assertThat(sm.find()).as(status).isTrue();
            Map<String, String> items = new TreeMap<>();
            String[] kv = sm.group(1).trim().split(" ");
            for (int i = 0; i + 1 < kv.length; i += 2) items.put(kv[i].toUpperCase(Locale.ROOT), kv[i + 1]);
            st.put("status " + name, items);
            c.ok("EXAMINE " + quote(name));
            List<String> msgs = new ArrayList<>();
            for (String line : c.ok("UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE BODY.PEEK[])")) {
                if (!line.startsWith("* ") || !line.contains(" FETCH (")) continue;
                msgs.add(normalizeFetch(line));
            }
            st.put("messages " + name, msgs);
            c.ok("CLOSE");
        }
        return st;
    }

    static final Pattern LIST = Pattern.compile("\\* LIST \\(([^)]*)\\) (\"/\"|NIL) (.*)", Pattern.CASE_INSENSITIVE);
    static final Pattern LSUB = Pattern.compile("\\* LSUB \\(([^)]*)\\) (\"/\"|NIL) (.*)", Pattern.CASE_INSENSITIVE);
    static final Pattern STATUS = Pattern.compile("\\(([^)]*)\\)\\s*$");
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("d-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);

    /** UID, FLAGS (sorted, without \Recent), RFC822.SIZE, INTERNALDATE (as an instant), SHA-256 of BODY[]. */
    static String normalizeFetch(String line) {
        List<Object> items = new Tokenizer(line.substring(line.indexOf(" FETCH (") + 7)).list();
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i + 1 < items.size(); i += 2) {
            String key = items.get(i).toString().toUpperCase(Locale.ROOT);
            Object v = items.get(i + 1);
            switch (key) {
                case "UID", "RFC822.SIZE" -> out.put(key, v.toString());
                case "FLAGS" -> {
                    TreeSet<String> f = new TreeSet<>();
                    for (Object x : (List<?>) v) if (!x.toString().equalsIgnoreCase("\\Recent")) f.add(x.toString());
                    out.put(key, f.toString());
                }
                case "INTERNALDATE" -> out.put(key, ZonedDateTime.parse(v.toString().strip(), DATE_TIME).toInstant().toString());
                case "BODY[]" -> out.put(key, sha256(v.toString().getBytes(StandardCharsets.ISO_8859_1))
                        + " " + v.toString().length());
                default -> { }
            }
        }
        return out.toString();
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String unquote(String s) {
        s = s.strip();
        if (s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2) {
            return s.substring(1, s.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return s;
    }

    /** A tokenizer for one FETCH item list: atoms, quoted strings, literals ({n} CRLF data), lists. */
    static final class Tokenizer {
        private final String s;
        private int p;

        Tokenizer(String s) {
            this.s = s;
        }

        List<Object> list() {
            if (s.charAt(p) != '(') throw new IllegalArgumentException("expected ( at " + p + ": " + s);
            p++;
            List<Object> out = new ArrayList<>();
            while (true) {
                while (p < s.length() && s.charAt(p) == ' ') p++;
                if (p >= s.length()) throw new IllegalArgumentException("unterminated list: " + s);
                char ch = s.charAt(p);
                if (ch == ')') {
                    p++;
                    return out;
                }
                if (ch == '(') {
                    out.add(list());
                } else if (ch == '"') {
                    StringBuilder b = new StringBuilder();
                    p++;
                    while (s.charAt(p) != '"') {
                        if (s.charAt(p) == '\\') p++;
                        b.append(s.charAt(p++));
                    }
                    p++;
                    out.add(b.toString());
                } else if (ch == '{') {
                    int close = s.indexOf('}', p);
                    int n = Integer.parseInt(s.substring(p + 1, close));
                    int start = close + 3; // "}\r\n"
                    out.add(s.substring(start, start + n));
                    p = start + n;
                } else {
                    int start = p;
                    // an atom; BODY[...] keeps its brackets (which may contain spaces in general)
                    int depth = 0;
                    while (p < s.length()) {
                        char x = s.charAt(p);
                        if (x == '[') depth++;
                        if (x == ']') depth--;
                        if (depth == 0 && (x == ' ' || x == ')' || x == '(')) break;
                        p++;
                    }
                    out.add(s.substring(start, p));
                }
            }
        }
    }

    /** A minimal IMAP client: tagged commands, synchronizing literals for APPEND, literals in responses inlined. */
    static final class Client implements Closeable {
        private final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;
        private int tag;

        Client(int port, String user, String password) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(20_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            String greeting = response();
            assertThat(greeting).startsWith("* OK");
            ok("LOGIN " + quote(user) + " " + quote(password));
        }

        /** Sends a command, returns the untagged responses; fails unless the tagged reply is OK. */
        List<String> ok(String command) throws IOException {
            String t = "d" + (++tag);
            out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return until(t, command);
        }

        void append(String mailbox, String flags, String date, String message) throws IOException {
            byte[] body = message.getBytes(StandardCharsets.UTF_8);
            String t = "d" + (++tag);
            String command = "APPEND " + quote(mailbox) + " " + flags + " \"" + date + "\" {" + body.length + "}";
            out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String cont = response();
            if (!cont.startsWith("+")) fail("no continuation for " + command + ": " + cont);
            out.write(body);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            until(t, command);
        }

        private List<String> until(String t, String command) throws IOException {
            List<String> untagged = new ArrayList<>();
            while (true) {
                String r = response();
                if (r.startsWith(t + " ")) {
                    if (!r.startsWith(t + " OK")) fail(command + " -> " + r + "\n" + untagged);
                    return untagged;
                }
                untagged.add(r);
            }
        }

        /** One whole response line, literals inlined as {n}CRLF data. */
        private String response() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                String line = line();
                sb.append(line);
                Matcher m = LITERAL.matcher(line);
                if (!m.find()) return sb.toString();
                int n = Integer.parseInt(m.group(1));
                byte[] data = in.readNBytes(n);
                if (data.length < n) throw new EOFException("closed inside a literal");
                sb.append("\r\n").append(new String(data, StandardCharsets.ISO_8859_1));
            }
        }

        private static final Pattern LITERAL = Pattern.compile("\\{(\\d{1,9})\\}$");

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int ch;
            while ((ch = in.read()) != -1) {
                if (ch == '\n') break;
                b.write(ch);
                if (b.size() > 1 << 20) throw new IOException("line too long");
            }
            if (ch == -1 && b.size() == 0) throw new EOFException("server closed the connection");
            String s = b.toString(StandardCharsets.ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        @Override
        public void close() throws IOException {
            try {
                ok("LOGOUT");
            } catch (IOException | AssertionError e) {
                // closing anyway
            }
            socket.close();
        }
    }
}
