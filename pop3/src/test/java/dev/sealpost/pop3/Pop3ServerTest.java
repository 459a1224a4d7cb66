package dev.sealpost.pop3;

import dev.sealpost.core.auth.LoginThrottle;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.testkit.ScramClient;
import org.junit.jupiter.api.Test;

import javax.net.ssl.ExtendedSSLSession;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Dialogue tests (C:/S:) over real sockets against a Pop3Server on a real store. */
class Pop3ServerTest extends Pop3TestBase {

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- greeting, CAPA, STLS

    @Test
    void greetingAndCapaBeforeTlsOfferNoLogin() throws Exception {
        Pop3Server server = startStls();
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            assertThat(c.line()).isEqualTo("+OK " + HOST + " POP3 Sealpost ready");
            assertThat(c.cmd("CAPA")).startsWith("+OK");
            assertThat(c.body()).containsExactly("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "STLS",
                    "IMPLEMENTATION Sealpost");
        }
    }

    @Test
    void stlsThenCapaOffersUserAndSaslWithPlusOnTls13() throws Exception {
        Pop3Server server = startStls();
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            assertThat(c.cmd("STLS")).isEqualTo("+OK Begin TLS negotiation");
            c.handshake("TLSv1.3");
            assertThat(c.cmd("CAPA")).startsWith("+OK");
            assertThat(c.body()).containsExactly("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "USER",
                    "SASL SCRAM-SHA-256-PLUS SCRAM-SHA-256 PLAIN", "IMPLEMENTATION Sealpost");
            // RFC 2595 §4: STLS is not valid once TLS is active
            assertThat(c.cmd("STLS")).startsWith("-ERR");
        }
    }

    @Test
    void tls12HasNoChannelBindingSoNoPlus() throws Exception {
        Pop3Server server = startStls();
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            c.cmd("STLS");
            c.handshake("TLSv1.2");
            c.cmd("CAPA");
            assertThat(c.body()).contains("SASL SCRAM-SHA-256 PLAIN").doesNotContain("STLS");
        }
    }

    @Test
    void stlsDiscardsCommandsPipelinedInTheClear() throws Exception {
        Pop3Server server = startStls();
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            // C: STLS + an injected USER in the same segment (CVE-2011-0411 class)
            c.sendRaw(("STLS\r\nUSER " + ALICE + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(c.line()).startsWith("+OK");
            c.handshake("TLSv1.3");
            // the USER sent in the clear was dropped: PASS has no USER to go with
            assertThat(c.cmd("PASS " + PW)).isEqualTo("-ERR Send USER first");
        }
    }

    @Test
    void stlsUnavailableWithoutTlsContextAndInTransactionState() throws Exception {
        Pop3Server noTls = start(new Pop3ServerConfig(new InetSocketAddress("127.0.0.1", 0), false, null, true, HOST,
                Duration.ofMinutes(10), 1024, 10));
        try (Pop3Client c = Pop3Client.connect(noTls.port())) {
            c.line();
            c.cmd("CAPA");
            assertThat(c.body()).doesNotContain("STLS").contains("USER", "SASL SCRAM-SHA-256 PLAIN");
            assertThat(c.cmd("STLS")).isEqualTo("-ERR STLS not available");
            assertThat(c.cmd("USER " + ALICE)).startsWith("+OK");
            assertThat(c.cmd("PASS " + PW)).startsWith("+OK");
            // CAPA in TRANSACTION: no login capabilities any more
            c.cmd("CAPA");
            assertThat(c.body()).doesNotContain("USER", "STLS").contains("TOP", "UIDL");
            assertThat(c.cmd("STLS")).startsWith("-ERR");
        }
    }

    @Test
    void implicitTls() throws Exception {
        append(ALICE, message("hello", "body\r\n"));
        Pop3Server server = start(config(true, false));
        try (Pop3Client c = Pop3Client.connectTls(server.port(), "TLSv1.3")) {
            assertThat(c.line()).startsWith("+OK " + HOST);
            c.cmd("CAPA");
            assertThat(c.body()).contains("USER", "SASL SCRAM-SHA-256-PLUS SCRAM-SHA-256 PLAIN").doesNotContain("STLS");
            assertThat(c.cmd("USER " + ALICE)).startsWith("+OK");
            assertThat(c.cmd("PASS " + PW)).startsWith("+OK Maildrop locked and ready: 1 messages");
            assertThat(c.cmd("QUIT")).startsWith("+OK");
        }
    }

    // ---------------------------------------------------------------- USER / PASS

    @Test
    void userPassRefusedBeforeTls() throws Exception {
        Pop3Server server = startStls();
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            assertThat(c.cmd("USER " + ALICE)).isEqualTo("-ERR Use STLS first: login is only possible over TLS");
            assertThat(c.cmd("PASS " + PW)).startsWith("-ERR Use STLS first");
            assertThat(c.cmd("AUTH PLAIN " + b64("\0" + ALICE + "\0" + PW))).startsWith("-ERR Use STLS first");
            assertThat(c.cmd("STAT")).startsWith("-ERR");
        }
    }

    @Test
    void plaintextLoginWhenAllowed() throws Exception {
        Pop3Server server = start(config(false, true));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            c.cmd("CAPA");
            assertThat(c.body()).contains("USER", "SASL SCRAM-SHA-256 PLAIN", "STLS");
            assertThat(c.cmd("USER " + ALICE)).isEqualTo("+OK Send PASS");
            assertThat(c.cmd("PASS " + PW)).isEqualTo("+OK Maildrop locked and ready: 0 messages (0 octets)");
        }
    }

    @Test
    void unknownUserAndWrongPasswordLookTheSame() throws Exception {
        Pop3Server server = startStls();
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            c.cmd("STLS");
            c.handshake("TLSv1.3");
            // USER never tells whether the account exists
            assertThat(c.cmd("USER nobody@example.test")).isEqualTo("+OK Send PASS");
            String unknown = c.cmd("PASS " + PW);
            assertThat(c.cmd("USER " + ALICE)).isEqualTo("+OK Send PASS");
            String wrong = c.cmd("PASS wrong password");
            assertThat(unknown).isEqualTo(wrong).isEqualTo("-ERR [AUTH] Authentication failed");
            // after a failed PASS the client starts again with USER
            assertThat(c.cmd("PASS " + PW)).isEqualTo("-ERR Send USER first");
            // a password with spaces and the right one
            assertThat(c.cmd("USER " + ALICE)).startsWith("+OK");
            assertThat(c.cmd("PASS " + PW)).startsWith("+OK Maildrop locked");
            // no second login
            assertThat(c.cmd("USER " + ALICE)).isEqualTo("-ERR Already logged in");
        }
    }

    @Test
    void loginThrottleBlocksAnAddressAfterRepeatedFailures() throws Exception {
        LoginThrottle throttle = new LoginThrottle(Clock.systemUTC(),
                new LoginThrottle.Settings(10, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMinutes(10), 2, 100));
        Pop3Server server = start(config(false, true), throttle, null);
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            for (int i = 0; i < 2; i++) {
                c.cmd("USER " + ALICE);
                assertThat(c.cmd("PASS nope")).isEqualTo("-ERR [AUTH] Authentication failed");
            }
            c.cmd("USER " + ALICE);
            // blocked now, even with the right password (RFC 3206 SYS/TEMP: try later)
            assertThat(c.cmd("PASS " + PW)).isEqualTo("-ERR [SYS/TEMP] Too many failed logins; try again later");
            assertThat(c.cmd("AUTH PLAIN " + b64("\0" + ALICE + "\0" + PW))).startsWith("-ERR [SYS/TEMP]");
        }
    }

    // ---------------------------------------------------------------- AUTH

    @Test
    void authPlainWithInitialResponse() throws Exception {
        Pop3Server server = start(config(true, false));
        try (Pop3Client c = Pop3Client.connectTls(server.port(), "TLSv1.3")) {
            c.line();
            assertThat(c.cmd("AUTH PLAIN " + b64("\0" + ALICE + "\0" + PW))).startsWith("+OK Maildrop locked and ready");
        }
    }

    @Test
    void authPlainWithContinuationAndFailures() throws Exception {
        Pop3Server server = start(config(true, false));
        try (Pop3Client c = Pop3Client.connectTls(server.port(), "TLSv1.3")) {
            c.line();
            // RFC 5034 §4: no initial response: an empty challenge "+ "
            assertThat(c.cmd("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.cmd(b64("\0" + ALICE + "\0wrong"))).isEqualTo("-ERR [AUTH] Authentication failed");
            // "*" cancels
            assertThat(c.cmd("auth plain")).isEqualTo("+ ");
            assertThat(c.cmd("*")).isEqualTo("-ERR Authentication cancelled");
            // not base64
            assertThat(c.cmd("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.cmd("!!!")).isEqualTo("-ERR Malformed SASL response");
            assertThat(c.cmd("AUTH CRAM-MD5")).isEqualTo("-ERR Unsupported authentication mechanism");
            // bare AUTH lists the mechanisms
            assertThat(c.cmd("AUTH")).startsWith("+OK");
            assertThat(c.body()).containsExactly("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "PLAIN");
            assertThat(c.cmd("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.cmd(b64(ALICE + "\0" + ALICE + "\0" + PW))).startsWith("+OK Maildrop locked");
        }
    }

    @Test
    void authScramSha256OverTls12() throws Exception {
        Pop3Server server = start(config(true, false));
        try (Pop3Client c = Pop3Client.connectTls(server.port(), "TLSv1.2")) {
            c.line();
            Scram scram = new Scram(ALICE, PW, null);
            String serverFirst = c.cmd("AUTH SCRAM-SHA-256 " + scram.clientFirst());
            assertThat(serverFirst).startsWith("+ ");
            String serverFinal = c.cmd(scram.clientFinal(serverFirst.substring(2)));
            assertThat(serverFinal).startsWith("+ ");
            // the server proves it knows the password too
            assertThat(scram.verifyServerFinal(serverFinal.substring(2))).isTrue();
            assertThat(c.cmd("")).startsWith("+OK Maildrop locked and ready");
        }
    }

    @Test
    void authScramSha256PlusWithTlsExporterBinding() throws Exception {
        Pop3Server server = startStls();
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            c.cmd("STLS");
            c.handshake("TLSv1.3");
            byte[] cb = ((ExtendedSSLSession) c.sslSocket().getSession())
                    .exportKeyingMaterialData("EXPORTER-Channel-Binding", new byte[0], 32);
            Scram scram = new Scram(ALICE, PW, cb);
            // without an initial response: "+ " first
            assertThat(c.cmd("AUTH SCRAM-SHA-256-PLUS")).isEqualTo("+ ");
            String serverFirst = c.cmd(scram.clientFirst());
            String serverFinal = c.cmd(scram.clientFinal(serverFirst.substring(2)));
            assertThat(scram.verifyServerFinal(serverFinal.substring(2))).isTrue();
            assertThat(c.cmd("")).startsWith("+OK Maildrop locked and ready");
        }
    }

    @Test
    void authScramWrongBindingOrPasswordFails() throws Exception {
        Pop3Server server = start(config(true, false));
        try (Pop3Client c = Pop3Client.connectTls(server.port(), "TLSv1.3")) {
            c.line();
            Scram wrongBinding = new Scram(ALICE, PW, new byte[32]);
            String sf = c.cmd("AUTH SCRAM-SHA-256-PLUS " + wrongBinding.clientFirst());
            assertThat(c.cmd(wrongBinding.clientFinal(sf.substring(2)))).isEqualTo("-ERR [AUTH] Authentication failed");
            Scram wrongPw = new Scram(ALICE, "wrong", null);
            sf = c.cmd("AUTH SCRAM-SHA-256 " + wrongPw.clientFirst());
            // flag "n" on a connection where -PLUS is offered is fine; the proof fails
            assertThat(c.cmd(wrongPw.clientFinal(sf.substring(2)))).isEqualTo("-ERR [AUTH] Authentication failed");
            Scram unknown = new Scram("nobody@example.test", PW, null);
            sf = c.cmd("AUTH SCRAM-SHA-256 " + unknown.clientFirst());
            assertThat(sf).startsWith("+ "); // an unknown user gets a plausible salt: no enumeration
            assertThat(c.cmd(unknown.clientFinal(sf.substring(2)))).isEqualTo("-ERR [AUTH] Authentication failed");
        }
    }

    /** POP3's base64 lines over testkit's SCRAM-SHA-256 client (RFC 5802 §3, RFC 9266 tls-exporter for -PLUS). */
    private static final class Scram {
        private final ScramClient client;
        private final String password;
        private final byte[] cbind;

        /** @param cbind tls-exporter data for -PLUS ({@code p=tls-exporter}), or null ({@code n,,}) */
        Scram(String user, String password, byte[] cbind) {
            byte[] nonce = new byte[18];
            new java.security.SecureRandom().nextBytes(nonce);
            this.client = new ScramClient(cbind == null ? "n,," : "p=tls-exporter,,", user, Base64.getEncoder().encodeToString(nonce));
            this.password = password;
            this.cbind = cbind == null ? new byte[0] : cbind;
        }

        String clientFirst() {
            return Base64.getEncoder().encodeToString(client.clientFirst());
        }

        String clientFinal(String serverFirstB64) {
            return Base64.getEncoder().encodeToString(client.clientFinal(Base64.getDecoder().decode(serverFirstB64), password, cbind));
        }

        boolean verifyServerFinal(String serverFinalB64) {
            return new String(Base64.getDecoder().decode(serverFinalB64), StandardCharsets.UTF_8).equals(client.expectedServerFinal());
        }
    }

    // ---------------------------------------------------------------- TRANSACTION

    @Test
    void statListRetrTopUidlNoop() throws Exception {
        String m1 = message("one", "line 1\r\nline 2\r\nline 3\r\n");
        String m2 = message("two", "x\r\n");
        long uid1 = append(ALICE, m1);
        long uid2 = append(ALICE, m2);
        long uidValidity = inbox(ALICE).uidValidity();
        int s1 = m1.length(), s2 = m2.length();
        Pop3Server server = startStls();
        try (Pop3Client c = login(server, ALICE, PW)) {
            assertThat(c.cmd("STAT")).isEqualTo("+OK 2 " + (s1 + s2));
            assertThat(c.cmd("LIST")).isEqualTo("+OK 2 messages (" + (s1 + s2) + " octets)");
            assertThat(c.body()).containsExactly("1 " + s1, "2 " + s2);
            assertThat(c.cmd("LIST 2")).isEqualTo("+OK 2 " + s2);
            assertThat(c.cmd("LIST 3")).isEqualTo("-ERR No such message");
            assertThat(c.cmd("LIST 0")).isEqualTo("-ERR Invalid message number");
            assertThat(c.cmd("RETR 1")).isEqualTo("+OK " + s1 + " octets");
            assertThat(new String(c.rawBody(), StandardCharsets.UTF_8)).isEqualTo(m1 + ".\r\n");
            assertThat(c.cmd("TOP 1 0")).startsWith("+OK");
            assertThat(c.body()).containsExactly("From: sender@example.net", "To: " + ALICE, "Subject: one", "");
            assertThat(c.cmd("TOP 1 2")).startsWith("+OK");
            assertThat(c.body()).containsExactly("From: sender@example.net", "To: " + ALICE, "Subject: one", "", "line 1", "line 2");
            assertThat(c.cmd("TOP 1 99")).startsWith("+OK");
            assertThat(c.body()).endsWith("line 3");
            assertThat(c.cmd("TOP 1")).startsWith("-ERR Syntax error");
            assertThat(c.cmd("UIDL")).startsWith("+OK");
            assertThat(c.body()).containsExactly("1 " + uidValidity + "." + uid1, "2 " + uidValidity + "." + uid2);
            assertThat(c.cmd("UIDL 2")).isEqualTo("+OK 2 " + uidValidity + "." + uid2);
            assertThat(c.cmd("NOOP")).isEqualTo("+OK");
            assertThat(c.cmd("APOP alice 0123456789abcdef0123456789abcdef")).isEqualTo("-ERR Unknown command");
            assertThat(c.cmd("QUIT")).isEqualTo("+OK " + HOST + " POP3 server signing off (2 messages left)");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(inboxMessages(ALICE)).hasSize(2);
    }

    @Test
    void retrDotStuffsAndEndsWithCrlf() throws Exception {
        // lines starting with ".", a lone ".", and no final CRLF
        String m = "Subject: dots\r\n\r\n.leading\r\n..two\r\n.\r\nmiddle . dot\r\n.last";
        append(ALICE, m);
        Pop3Server server = startStls();
        try (Pop3Client c = login(server, ALICE, PW)) {
            assertThat(c.cmd("RETR 1")).startsWith("+OK");
            String raw = new String(c.rawBody(), StandardCharsets.UTF_8);
            assertThat(raw).isEqualTo("Subject: dots\r\n\r\n..leading\r\n...two\r\n..\r\nmiddle . dot\r\n..last\r\n.\r\n");
            assertThat(c.cmd("TOP 1 1")).startsWith("+OK");
            assertThat(c.body()).containsExactly("Subject: dots", "", ".leading");
        }
    }

    @Test
    void largeMessageIsStreamedWhole() throws Exception {
        StringBuilder b = new StringBuilder("Subject: big\r\n\r\n");
        for (int i = 0; b.length() < 3_000_000; i++) b.append(i % 7 == 0 ? "." : "").append("line ").append(i).append("\r\n");
        String m = b.toString();
        append(ALICE, m);
        Pop3Server server = startStls();
        try (Pop3Client c = login(server, ALICE, PW)) {
            assertThat(c.cmd("RETR 1")).isEqualTo("+OK " + m.length() + " octets");
            List<String> lines = c.body();
            assertThat(String.join("\r\n", lines) + "\r\n").isEqualTo(m);
            assertThat(c.cmd("NOOP")).isEqualTo("+OK");
        }
    }

    @Test
    void missingContentIsAnErrorNotACrash() throws Exception {
        append(ALICE, message("one", "1\r\n"));
        try (var files = java.nio.file.Files.walk(dir.resolve("blobs"))) {
            for (var p : files.filter(java.nio.file.Files::isRegularFile).toList()) java.nio.file.Files.delete(p);
        }
        // small bodies are rows of the database, not files (docs/adr/0004-small-messages-in-the-database.md)
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sealpost.db"));
             var st = c.createStatement()) {
            st.executeUpdate("DELETE FROM blobs");
        }
        Pop3Server server = startStls();
        try (Pop3Client c = login(server, ALICE, PW)) {
            assertThat(c.cmd("RETR 1")).isEqualTo("-ERR Message 1 is no longer available");
            assertThat(c.cmd("STAT")).startsWith("+OK 1 ");
        }
    }

    @Test
    void messageNumbersAreFixedForTheSession() throws Exception {
        append(ALICE, message("one", "1\r\n"));
        Pop3Server server = startStls();
        try (Pop3Client c = login(server, ALICE, PW)) {
            // a delivery during the session does not change the listing
            append(ALICE, message("two", "2\r\n"));
            assertThat(c.cmd("STAT")).startsWith("+OK 1 ");
            assertThat(c.cmd("RETR 2")).isEqualTo("-ERR No such message");
        }
        try (Pop3Client c = login(server, ALICE, PW)) {
            assertThat(c.cmd("STAT")).startsWith("+OK 2 ");
        }
    }

    @Test
    void deleRsetAndQuitExpungeOnlyMarkedMessagesInDeleteMode() throws Exception {
        long uid1 = append(ALICE, message("one", "1\r\n"));
        long uid2 = append(ALICE, message("two", "2\r\n"));
        // deleted in IMAP but not by POP3: QUIT must leave it alone
        long uid3 = append(ALICE, message("three", "3\r\n"), "\\Deleted");
        Pop3Server server = startStls();
        try (Pop3Client c = login(server, ALICE, PW)) {
            assertThat(c.cmd("DELE 1")).isEqualTo("+OK Message 1 deleted");
            assertThat(c.cmd("DELE 1")).isEqualTo("-ERR Message 1 already deleted");
            assertThat(c.cmd("RETR 1")).isEqualTo("-ERR Message 1 already deleted");
            assertThat(c.cmd("STAT")).startsWith("+OK 2 ");
            c.cmd("LIST");
            assertThat(c.body()).extracting(l -> l.split(" ")[0]).containsExactly("2", "3");
            assertThat(c.cmd("RSET")).startsWith("+OK Maildrop has 3 messages");
            assertThat(c.cmd("STAT")).startsWith("+OK 3 ");
            assertThat(c.cmd("DELE 1")).startsWith("+OK");
            // before QUIT nothing has changed in the store
            assertThat(inboxMessages(ALICE)).hasSize(3);
            assertThat(c.cmd("QUIT")).isEqualTo("+OK " + HOST + " POP3 server signing off (2 messages left)");
        }
        List<Mailboxes.MessageInfo> left = inboxMessages(ALICE);
        assertThat(left).extracting(Mailboxes.MessageInfo::uid).containsExactly(uid2, uid3);
        assertThat(left.getFirst().flags()).isEmpty();
    }

    @Test
    void disconnectWithoutQuitDeletesNothing() throws Exception {
        append(ALICE, message("one", "1\r\n"));
        Pop3Server server = startStls();
        Pop3Client c = login(server, ALICE, PW);
        assertThat(c.cmd("DELE 1")).startsWith("+OK");
        c.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> MaildropLocks.holder(store, accountId(ALICE)) == null);
        assertThat(inboxMessages(ALICE)).hasSize(1).allSatisfy(m -> assertThat(m.flags()).isEmpty());
    }

    @Test
    void keepModeHidesDeletedMessagesFromPop3OnlyKeepsThemForImap() throws Exception {
        Pop3Mode.set(store.mailboxes(), accountId(ALICE), Pop3Mode.KEEP);
        assertThat(Pop3Mode.of(store.mailboxes(), accountId(ALICE))).isEqualTo(Pop3Mode.KEEP);
        long uid1 = append(ALICE, message("one", "1\r\n"));
        long uid2 = append(ALICE, message("two", "2\r\n"));
        long uidValidity = inbox(ALICE).uidValidity();
        Pop3Server server = startStls();
        try (Pop3Client c = login(server, ALICE, PW)) {
            assertThat(c.cmd("DELE 1")).startsWith("+OK");
            assertThat(c.cmd("QUIT")).contains("(1 messages left)");
        }
        List<Mailboxes.MessageInfo> all = inboxMessages(ALICE);
        assertThat(all).extracting(Mailboxes.MessageInfo::uid).containsExactly(uid1, uid2);
        assertThat(all.get(0).flags()).containsExactlyInAnyOrder("\\Seen", "$POP3Deleted");
        assertThat(all.get(1).flags()).isEmpty();
        try (Pop3Client c = login(server, ALICE, PW)) {
            assertThat(c.cmd("STAT")).startsWith("+OK 1 ");
            // the remaining message keeps its unique id
            assertThat(c.cmd("UIDL 1")).isEqualTo("+OK 1 " + uidValidity + "." + uid2);
        }
    }

    @Test
    void pop3ModeDefaultsAndParsing() {
        long id = accountId(BOB);
        assertThat(Pop3Mode.of(store.mailboxes(), id)).isEqualTo(Pop3Mode.DELETE);
        Pop3Mode.set(store.mailboxes(), id, Pop3Mode.KEEP);
        assertThat(store.mailboxes().metadata(id, null, "")).containsEntry(Pop3Mode.METADATA_ENTRY, "keep");
        Pop3Mode.set(store.mailboxes(), id, Pop3Mode.DELETE);
        assertThat(Pop3Mode.of(store.mailboxes(), id)).isEqualTo(Pop3Mode.DELETE);
        // an unknown value never loses mail
        store.mailboxes().setMetadata(id, null, Pop3Mode.METADATA_ENTRY, "bogus");
        assertThat(Pop3Mode.of(store.mailboxes(), id)).isEqualTo(Pop3Mode.KEEP);
        assertThat(Pop3Mode.parse(" Delete ")).contains(Pop3Mode.DELETE);
        assertThat(Pop3Mode.parse("x")).isEmpty();
    }

    @Test
    void secondSessionGetsInUseWhileTheFirstHoldsTheLock() throws Exception {
        Pop3Server server = startStls();
        Pop3Server pop3s = start(config(true, false));
        try (Pop3Client first = login(server, ALICE, PW)) {
            try (Pop3Client second = Pop3Client.connectTls(pop3s.port(), "TLSv1.3")) {
                second.line();
                second.cmd("USER " + ALICE);
                // RFC 2449 §8.1.2, also across listeners of the same store
                assertThat(second.cmd("PASS " + PW)).isEqualTo("-ERR [IN-USE] Maildrop is locked by another session");
                // another account is not affected
                second.cmd("USER " + BOB);
                assertThat(second.cmd("PASS " + PW)).startsWith("+OK");
            }
            assertThat(first.cmd("QUIT")).startsWith("+OK");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> MaildropLocks.holder(store, accountId(ALICE)) == null);
        try (Pop3Client again = login(server, ALICE, PW)) {
            assertThat(again.cmd("NOOP")).isEqualTo("+OK");
        }
    }

    @Test
    void commandsOutsideTheirState() throws Exception {
        Pop3Server server = start(config(false, true));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            for (String cmd : List.of("STAT", "LIST", "RETR 1", "DELE 1", "RSET", "NOOP", "TOP 1 1", "UIDL")) {
                assertThat(c.cmd(cmd)).as(cmd).isEqualTo("-ERR Command not valid in the AUTHORIZATION state: log in first");
            }
        }
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            assertThat(c.cmd("QUIT")).isEqualTo("+OK " + HOST + " POP3 server signing off");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        append(ALICE, message("one", "1\r\n"));
        Pop3Server server = start(config(false, true));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            c.sendRaw(("USER " + ALICE + "\r\nPASS " + PW + "\r\nSTAT\r\nUIDL\r\nNOOP\r\nQUIT\r\n").getBytes(StandardCharsets.UTF_8));
            assertThat(c.line()).startsWith("+OK Send PASS");
            assertThat(c.line()).startsWith("+OK Maildrop locked");
            assertThat(c.line()).startsWith("+OK 1 ");
            assertThat(c.line()).startsWith("+OK");
            assertThat(c.body()).hasSize(1);
            assertThat(c.line()).isEqualTo("+OK");
            assertThat(c.line()).contains("signing off");
        }
    }

    // ---------------------------------------------------------------- limits

    @Test
    void overlongLineIsRefusedAndTheStreamStaysInSync() throws Exception {
        Pop3Server server = start(config(false, true));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            assertThat(c.cmd("NOOP " + "x".repeat(20_000))).isEqualTo("-ERR Line too long");
            assertThat(c.cmd("USER " + "x".repeat(2000))).isEqualTo("-ERR Line too long");
            assertThat(c.cmd("CAPA")).startsWith("+OK");
            assertThat(c.body()).contains("TOP");
            // a bare LF line end is accepted (leniency) and the answer is still CRLF
            c.sendRaw("USER x\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.line()).isEqualTo("+OK Send PASS");
        }
    }

    @Test
    void tooManyBadCommandsCloseTheConnection() throws Exception {
        Pop3Server server = start(config(false, true).withMaxBadCommands(3));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            assertThat(c.cmd("HELO")).isEqualTo("-ERR Unknown command");
            assertThat(c.cmd("LIST")).startsWith("-ERR");
            assertThat(c.cmd("RETR x")).startsWith("-ERR");
            assertThat(c.cmd("XYZ")).isEqualTo("-ERR Too many bad commands; closing connection");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void idleTimeoutClosesWithoutUpdate() throws Exception {
        append(ALICE, message("one", "1\r\n"));
        Pop3Server server = start(config(false, true), null, Duration.ofMillis(500));
        try (Pop3Client c = Pop3Client.connect(server.port())) {
            c.line();
            c.cmd("USER " + ALICE);
            assertThat(c.cmd("PASS " + PW)).startsWith("+OK");
            assertThat(c.cmd("DELE 1")).startsWith("+OK");
            // RFC 1939 §3: autologout, no UPDATE
            assertThat(c.line()).isEqualTo("-ERR Autologout: idle for too long");
            assertThat(c.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> MaildropLocks.holder(store, accountId(ALICE)) == null);
        assertThat(inboxMessages(ALICE)).hasSize(1);
    }

    @Test
    void serverCloseEndsSessionsWithoutDeleting() throws Exception {
        append(ALICE, message("one", "1\r\n"));
        Pop3Server server = startStls();
        Pop3Client c = login(server, ALICE, PW);
        c.cmd("DELE 1");
        server.close();
        assertThat(c.closedByServer()).isTrue();
        c.close();
        assertThat(MaildropLocks.holder(store, accountId(ALICE))).isNull();
        assertThat(inboxMessages(ALICE)).hasSize(1);
    }

    @Test
    void configValidation() {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        assertThatThrownBy(() -> new Pop3ServerConfig(any, false, null, false, HOST, Duration.ofMinutes(9), 1024, 10))
                .hasMessageContaining("pop3.idle_timeout").hasMessageContaining("RFC 1939");
        assertThatThrownBy(() -> new Pop3ServerConfig(any, true, null, false, HOST, Duration.ofMinutes(10), 1024, 10))
                .hasMessageContaining("pop3.tls");
        assertThatThrownBy(() -> new Pop3ServerConfig(any, false, null, false, " ", Duration.ofMinutes(10), 1024, 10))
                .hasMessageContaining("pop3.hostname");
        assertThatThrownBy(() -> new Pop3ServerConfig(any, false, null, false, HOST, Duration.ofMinutes(10), 100, 10))
                .hasMessageContaining("pop3.max_line_length");
        assertThatThrownBy(() -> new Pop3ServerConfig(any, false, null, false, HOST, Duration.ofMinutes(10), 1024, 0))
                .hasMessageContaining("pop3.max_bad_commands");
        Pop3ServerConfig d = Pop3ServerConfig.of(any, false, null, HOST);
        assertThat(d.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.allowAuthWithoutTls()).isFalse();
        assertThat(Set.of(d.maxLineLength(), d.maxBadCommands())).containsExactlyInAnyOrder(1024, 10);
    }
}
