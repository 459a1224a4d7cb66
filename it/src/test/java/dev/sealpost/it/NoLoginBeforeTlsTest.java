package dev.sealpost.it;

import dev.sealpost.smtp.server.ListenerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One rule for SMTP submission, IMAP and POP3 (core.login.LoginPolicy): before TLS, with the
 * default configuration, no login mechanism is listed and none is accepted, SCRAM included
 * (RFC 8314 §3). IMAP 143 used to list AUTH=SCRAM-SHA-256 and complete a SCRAM login in clear.
 */
class NoLoginBeforeTlsTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static final String SCRAM_FIRST = b64("n,,n=" + TestServer.USER + ",r=fyko+d2lbbFgONRv9qkxdawL");
    private static final String PLAIN = b64("\0" + TestServer.USER + "\0" + TestServer.PASSWORD);

    enum Protocol { SMTP_SUBMISSION, IMAP, POP3 }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void noMechanismListedOrAcceptedBeforeTls(Protocol p) throws Exception {
        switch (p) {
            case SMTP_SUBMISSION -> {
                try (Conn c = new Conn(server.port(ListenerKind.SUBMISSION))) {
                    assertThat(c.smtpReply()).startsWith("220");
                    c.send("EHLO client.test");
                    String ehlo = c.smtpReply();
                    assertThat(ehlo).contains("STARTTLS").doesNotContain("AUTH");
                    // RFC 4954 §6: 538 5.7.11 for every mechanism, SCRAM included
                    c.send("AUTH SCRAM-SHA-256 " + SCRAM_FIRST);
                    assertThat(c.smtpReply()).startsWith("538 5.7.11");
                    c.send("AUTH PLAIN " + PLAIN);
                    assertThat(c.smtpReply()).startsWith("538 5.7.11");
                    c.send("AUTH LOGIN");
                    assertThat(c.smtpReply()).startsWith("538 5.7.11");
                }
            }
            case IMAP -> {
                try (Conn c = new Conn(server.server.imapPort(false))) {
                    assertThat(c.line()).startsWith("* OK").contains("LOGINDISABLED").doesNotContain("AUTH=");
                    c.send("a1 CAPABILITY");
                    assertThat(c.line()).startsWith("* CAPABILITY").contains("STARTTLS", "LOGINDISABLED").doesNotContain("AUTH=");
                    assertThat(c.line()).startsWith("a1 OK");
                    // RFC 9051 §6.2.3: every mechanism alike; SASL-IR so no continuation is asked for
                    c.send("a2 AUTHENTICATE SCRAM-SHA-256 " + SCRAM_FIRST);
                    assertThat(c.line()).startsWith("a2 NO [PRIVACYREQUIRED]");
                    c.send("a3 AUTHENTICATE SCRAM-SHA-256");
                    assertThat(c.line()).startsWith("a3 NO [PRIVACYREQUIRED]");
                    c.send("a4 AUTHENTICATE PLAIN " + PLAIN);
                    assertThat(c.line()).startsWith("a4 NO [PRIVACYREQUIRED]");
                    c.send("a5 LOGIN " + TestServer.USER + " \"" + TestServer.PASSWORD + "\"");
                    assertThat(c.line()).startsWith("a5 NO [PRIVACYREQUIRED]");
                }
            }
            case POP3 -> {
                try (Conn c = new Conn(server.server.pop3Port(false))) {
                    assertThat(c.line()).startsWith("+OK");
                    c.send("CAPA");
                    List<String> capa = c.pop3Multiline();
                    assertThat(capa).contains("STLS").noneMatch(l -> l.startsWith("SASL") || l.equals("USER"));
                    c.send("AUTH SCRAM-SHA-256 " + SCRAM_FIRST);
                    assertThat(c.line()).startsWith("-ERR");
                    c.send("AUTH PLAIN " + PLAIN);
                    assertThat(c.line()).startsWith("-ERR");
                    c.send("USER " + TestServer.USER);
                    assertThat(c.line()).startsWith("-ERR");
                }
            }
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static final class Conn implements AutoCloseable {
        final Socket s;
        final BufferedReader in;
        final OutputStream out;

        Conn(int port) throws Exception {
            s = new Socket("127.0.0.1", port);
            s.setSoTimeout(15_000);
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out = s.getOutputStream();
        }

        void send(String line) throws Exception {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        String line() throws Exception {
            String l = in.readLine();
            if (l == null) throw new java.io.EOFException("closed");
            return l;
        }

        String smtpReply() throws Exception {
            StringBuilder b = new StringBuilder();
            String l;
            do {
                l = line();
                b.append(l).append('\n');
            } while (l.length() > 3 && l.charAt(3) == '-');
            return b.toString();
        }

        List<String> pop3Multiline() throws Exception {
            assertThat(line()).startsWith("+OK");
            List<String> r = new ArrayList<>();
            for (String l = line(); !l.equals("."); l = line()) r.add(l);
            return r;
        }

        @Override
        public void close() throws Exception {
            s.close();
        }
    }
}
