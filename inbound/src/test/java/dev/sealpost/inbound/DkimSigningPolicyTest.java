package dev.sealpost.inbound;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimKeys;
import dev.sealpost.auth.dkim.DkimPolicy;
import dev.sealpost.auth.dkim.DkimResult;
import dev.sealpost.auth.dkim.DkimVerifier;
import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.dns.ZoneResolver;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.smtp.server.SessionInfo;
import dev.sealpost.store.Directory;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Submission signing against a real store; the signatures are checked by our verifier against planted key records. */
class DkimSigningPolicyTest {
    static final String DOMAIN = "example.test";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-02T09:00:00Z"), ZoneOffset.UTC);
    static KeyPair rsa;
    static KeyPair ed;

    @TempDir
    Path dir;
    Store store;
    Directory directory;
    DkimSigningPolicy policy;

    @BeforeAll
    static void keys() {
        rsa = DkimKeys.generateRsa(2048);
        ed = DkimKeys.generateEd25519();
    }

    @BeforeEach
    void open() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, CLOCK), pw -> PasswordHasher.hash(pw, 1000, 4096));
        directory = store.directory();
        directory.addDomain(DOMAIN);
        directory.addDomain("other.test");
        directory.addAccount("alice@example.test", "pw".toCharArray());
        policy = new DkimSigningPolicy(directory, CLOCK);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Directory.DkimKey add(String selector, KeyPair pair) {
        String alg = pair == ed ? "ed25519-sha256" : "rsa-sha256";
        return directory.addDkimKey(DOMAIN, selector, alg, pair.getPrivate().getEncoded(), DkimKeys.keyRecord(pair.getPublic()));
    }

    static SessionInfo session(ListenerKind kind, String user) {
        return new SessionInfo() {
            public String sessionId() { return "t1"; }
            public ListenerKind kind() { return kind; }
            public InetSocketAddress remote() { return new InetSocketAddress("127.0.0.1", 40000); }
            public InetSocketAddress local() { return new InetSocketAddress("127.0.0.1", 587); }
            public String helo() { return "client.example.test"; }
            public boolean extended() { return true; }
            public boolean tls() { return true; }
            public String tlsDescription() { return "TLSv1.3 TLS_AES_256_GCM_SHA384"; }
            public String authenticatedUser() { return user; }
            public String serverName() { return "mx.example.test"; }
        };
    }

    static final MailTransaction TX = new MailTransaction(null, null, false, false, -1, null, null, List.of());

    static MessageContent content(byte[] bytes) {
        return new MessageContent() {
            public long size() { return bytes.length; }
            public InputStream open() { return new ByteArrayInputStream(bytes); }
        };
    }

    static byte[] message(String from) {
        return ("From: " + from + "\r\n"
                + "To: Bob <bob@remote.test>\r\n"
                + "Subject: quarterly numbers\r\n"
                + "Date: Mon, 02 Nov 2026 09:00:00 +0000\r\n"
                + "Message-ID: <1@example.test>\r\n"
                + "\r\n"
                + "Hello Bob,\r\n\r\nthe numbers are in.\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private List<String> sign(ListenerKind kind, String user, byte[] msg) throws Exception {
        return policy.apply(session(kind, user), TX, content(msg));
    }

    /** Verifies {@code fields} + trace fields + the message, with the records of the given keys in DNS. */
    private List<DkimResult> verify(List<String> fields, byte[] msg, Directory.DkimKey... published) {
        ZoneResolver.Builder zone = ZoneResolver.builder();
        for (Directory.DkimKey k : published) zone.txt(k.selector() + "._domainkey." + k.domain(), k.publicRecord());
        StringBuilder head = new StringBuilder("Return-Path: <alice@example.test>\r\n");
        fields.forEach(head::append);
        head.append("Received: from client.example.test by mx.example.test with ESMTPSA id t1;\r\n\tMon, 2 Nov 2026 09:00:00 +0000\r\n");
        byte[] stored = (head + new String(msg, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        return new DkimVerifier(zone.build(), CLOCK, DkimPolicy.DEFAULT).verify(AuthMessage.of(stored));
    }

    @Test
    void dualSignsWithRsaFirstAndBothVerify() throws Exception {
        Directory.DkimKey e = add("ed202611", ed); // added first, still signs second
        Directory.DkimKey r = add("rsa202611", rsa);
        byte[] msg = message("Alice <alice@Example.TEST>");
        List<String> fields = sign(ListenerKind.SUBMISSION, "alice@example.test", msg);
        assertThat(fields).hasSize(2);
        assertThat(fields).allSatisfy(f -> assertThat(f).startsWith("DKIM-Signature: v=1;").endsWith("\r\n")
                .doesNotEndWith("\r\n\r\n").contains("d=example.test;").contains("c=relaxed/relaxed;"));
        assertThat(fields.get(0)).contains("a=rsa-sha256;").contains("s=rsa202611;");
        assertThat(fields.get(1)).contains("a=ed25519-sha256;").contains("s=ed202611;");
        // folded within 78 columns, From oversigned (RFC 6376 §8.15)
        for (String line : fields.get(0).split("\r\n")) assertThat(line.length()).isLessThanOrEqualTo(78);
        assertThat(fields.get(0).replace("\r\n ", "")).contains("h=From:From:To:To:Subject:Subject:Date:Date:Message-ID;");

        List<DkimResult> results = verify(fields, msg, e, r);
        assertThat(results).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS, DkimResult.Status.PASS);
        assertThat(results).extracting(DkimResult::algorithm).containsExactly("rsa-sha256", "ed25519-sha256");

        // a changed body breaks both: the check above is not vacuous
        byte[] tampered = new String(msg, StandardCharsets.UTF_8).replace("are in", "are out").getBytes(StandardCharsets.UTF_8);
        assertThat(verify(fields, tampered, e, r)).extracting(DkimResult::status)
                .containsExactly(DkimResult.Status.FAIL, DkimResult.Status.FAIL);
    }

    @Test
    void signsOnImplicitTlsSubmissionToo() throws Exception {
        Directory.DkimKey e = add("ed1", ed);
        byte[] msg = message("alice@example.test");
        List<String> fields = sign(ListenerKind.SUBMISSIONS, "alice@example.test", msg);
        assertThat(verify(fields, msg, e)).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);
    }

    @Test
    void notSignedOnTheMxOrWithoutAuthentication() throws Exception {
        add("rsa1", rsa);
        byte[] msg = message("alice@example.test");
        assertThat(sign(ListenerKind.MX, null, msg)).isEmpty();
        assertThat(sign(ListenerKind.MX, "alice@example.test", msg)).isEmpty();
        assertThat(sign(ListenerKind.SUBMISSION, null, msg)).isEmpty();
    }

    @Test
    void notSignedForForeignOrKeylessOrUnclearFromDomains() throws Exception {
        add("rsa1", rsa);
        assertThat(sign(ListenerKind.SUBMISSION, "alice@example.test", message("someone@elsewhere.test"))).isEmpty();
        assertThat(sign(ListenerKind.SUBMISSION, "alice@example.test", message("x@other.test"))).isEmpty(); // local, no key
        assertThat(sign(ListenerKind.SUBMISSION, "alice@example.test", message("a@example.test, b@elsewhere.test"))).isEmpty();
        assertThat(sign(ListenerKind.SUBMISSION, "alice@example.test", message("undisclosed"))).isEmpty();
        byte[] twoFroms = ("From: alice@example.test\r\n" + new String(message("alice@example.test"), StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8);
        assertThat(sign(ListenerKind.SUBMISSION, "alice@example.test", twoFroms)).isEmpty();
        byte[] noFrom = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(sign(ListenerKind.SUBMISSION, "alice@example.test", noFrom)).isEmpty();
    }

    @Test
    void retiredKeysDoNotSignAndNewKeysDoAtOnce() throws Exception {
        Directory.DkimKey oldRsa = add("rsa202610", rsa);
        Directory.DkimKey e = add("ed202610", ed);
        byte[] msg = message("alice@example.test");
        assertThat(sign(ListenerKind.SUBMISSION, "alice@example.test", msg)).hasSize(2);

        directory.setDkimKeyState(DOMAIN, "rsa202610", Directory.DKIM_RETIRING);
        List<String> fields = sign(ListenerKind.SUBMISSION, "alice@example.test", msg);
        assertThat(fields).singleElement().asString().contains("s=ed202610;");
        assertThat(verify(fields, msg, oldRsa, e)).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);

        directory.setDkimKeyState(DOMAIN, "ed202610", Directory.DKIM_RETIRED);
        assertThat(sign(ListenerKind.SUBMISSION, "alice@example.test", msg)).isEmpty();

        KeyPair next = DkimKeys.generateEd25519();
        Directory.DkimKey n = directory.addDkimKey(DOMAIN, "ed202611", "ed25519-sha256", next.getPrivate().getEncoded(),
                DkimKeys.keyRecord(next.getPublic()));
        fields = sign(ListenerKind.SUBMISSION, "alice@example.test", msg);
        assertThat(fields).singleElement().asString().contains("s=ed202611;");
        assertThat(verify(fields, msg, n)).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);
        assertThat(policy.cachedKeys()).isEqualTo(3);
    }

    @Test
    void anUnusableStoredKeyIsSkipped() throws Exception {
        directory.addDkimKey(DOMAIN, "broken", "rsa-sha256", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}, "v=DKIM1; k=rsa; p=AAAA");
        Directory.DkimKey e = add("ed1", ed);
        byte[] msg = message("alice@example.test");
        List<String> fields = sign(ListenerKind.SUBMISSION, "alice@example.test", msg);
        assertThat(fields).singleElement().asString().contains("s=ed1;");
        assertThat(verify(fields, msg, e)).extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);
    }
}
