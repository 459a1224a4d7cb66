package dev.sealpost.auth.dkim;

import static dev.sealpost.auth.dkim.DkimTestSupport.CLOCK;
import static dev.sealpost.auth.dkim.DkimTestSupport.NOW;
import static dev.sealpost.auth.dkim.DkimTestSupport.message;
import static dev.sealpost.auth.dkim.DkimTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimResult.Status;
import dev.sealpost.auth.dkim.DkimTestSupport.MapResolver;
import dev.sealpost.dns.DnsAnswer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/** Sign-then-verify over every key form of the dkimpy folder, and the verifier's rules. */
class DkimSignVerifyTest {
    static final String DOMAIN = "example.com";
    static final String KEY_NAME = "test._domainkey.example.com";

    static AuthMessage signed(AuthMessage msg, DkimSigningKey key, SignOptions o) {
        return AuthMessage.of(DkimSigner.prepend(new DkimSigner(CLOCK).sign(msg, key, o), msg.bytes()));
    }

    static List<DkimResult> verify(MapResolver dns, AuthMessage msg, DkimPolicy policy, Clock clock) {
        return new DkimVerifier(dns, clock, policy).verify(msg);
    }

    static DkimResult verifyOne(MapResolver dns, AuthMessage msg) {
        List<DkimResult> r = verify(dns, msg, DkimPolicy.DEFAULT, CLOCK);
        assertThat(r).hasSize(1);
        return r.getFirst();
    }

    static String pValue(String record) {
        int i = record.indexOf("p=");
        return record.substring(i + 2).strip();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource(delimiter = '|', textBlock = """
            1024_testkey.key        | 1024_testkey_wo_markers.pub.txt     | true
            1024_testkey.key        | 1024_testkey_wo_markers.pub.rsa.txt | false
            2048_testkey.key        | 2048_testkey_wo_markers.pub.txt     | true
            2048_testkey.key        | 2048_testkey_wo_markers.pub.rsa.txt | false
            2048_testkey_PKCS8.key  | 2048_testkey_PKCS8.key.pub.txt      | true
            test.private            | test.txt                            | true
            test2.private           | test2.txt                           | true
            ed25519test.key         | ed25519test.dns                     | true
            rfc8032_7_1.key         | @brisbane                           | true
            """)
    void signThenVerifyEveryKeyForm(String keyFile, String recordFile, boolean derivable) {
        PrivateKey key = DkimKeys.readPrivateKey(text(keyFile));
        String record = recordFile.equals("@brisbane")
                ? MapResolver.fromRecordsFile().txt("brisbane._domainkey.football.example.com").records().getFirst()
                : text(recordFile);
        if (derivable) {
            // the public half we derive is the published one
            assertThat(pValue(DkimKeys.keyRecord(DkimKeys.publicKey(key)))).isEqualTo(pValue(record));
        }
        MapResolver dns = new MapResolver().put(KEY_NAME, record);
        DkimSigningKey sk = DkimSigningKey.of(DOMAIN, "test", key);
        int passes = 0;
        for (String file : List.of("test.message", "rfc6376.msg", "ed25519test.msg", "message.mbox", "test_extra.message")) {
            for (Canonicalization hc : Canonicalization.values()) {
                for (Canonicalization bc : Canonicalization.values()) {
                    AuthMessage msg = signed(message(file), sk, SignOptions.DEFAULT.withCanonicalization(hc, bc));
                    DkimResult r = verify(dns, msg, DkimPolicy.DEFAULT, CLOCK).getFirst(); // message.mbox has a second, old signature
                    assertThat(r.status()).as("%s %s/%s: %s", file, hc, bc, r.reason()).isEqualTo(Status.PASS);
                    assertThat(r.algorithm()).isEqualTo(sk.algorithm().tag());
                    passes++;
                }
            }
        }
        assertThat(passes).isEqualTo(20);
    }

    @Test
    void bareBase64KeyFormsLoad() {
        String pem = text("2048_testkey.key");
        String bare = pem.replaceAll("-----[A-Z ]+-----", "").strip();
        assertThat(DkimKeys.readPrivateKey(bare)).isEqualTo(DkimKeys.readPrivateKey(pem));
        String pkcs8 = text("2048_testkey_PKCS8.key").replaceAll("-----[A-Z ]+-----", "").strip();
        assertThat(DkimKeys.readPrivateKey(pkcs8).getAlgorithm()).isEqualTo("RSA");
        assertThat(DkimKeys.readPrivateKey(text("ed25519test.key")).getAlgorithm()).isEqualTo("EdDSA");
        assertThatThrownBy(() -> DkimKeys.readPrivateKey("not a key")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signatureFieldIsFoldedAndOversigns() {
        AuthMessage msg = message("test.message");
        String field = new DkimSigner(CLOCK).sign(msg, DkimSigningKey.of(DOMAIN, "test", DkimKeys.readPrivateKey(text("2048_testkey.key"))),
                SignOptions.DEFAULT.withExpiration(Duration.ofDays(7)));
        assertThat(field).startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=test;");
        assertThat(field.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(field.split("\r\n")).hasSizeGreaterThan(4).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
        String unfolded = field.replace("\r\n ", "");
        assertThat(unfolded).contains("t=" + NOW.getEpochSecond() + ";", "x=" + (NOW.getEpochSecond() + 7 * 86400) + ";",
                "h=From:From:To:To:Subject:Subject:Date:Date:Message-ID;");
        assertThat(field).doesNotEndWith("\r\n");
    }

    @Test
    void addedOrChangedFieldsBreakTheSignature() {
        MapResolver dns = new MapResolver().put(KEY_NAME, text("test.txt"));
        DkimSigningKey sk = DkimSigningKey.of(DOMAIN, "test", DkimKeys.readPrivateKey(text("test.private")));
        String s = new String(signed(message("test.message"), sk, SignOptions.DEFAULT).bytes(), StandardCharsets.ISO_8859_1);
        assertThat(verifyOne(dns, of(s)).status()).isEqualTo(Status.PASS);
        // an unsigned field anywhere is fine
        assertThat(verifyOne(dns, of("X-Foo: bar\r\n" + s)).status()).isEqualTo(Status.PASS);
        // oversigned fields cannot be added, above or below
        assertThat(verifyOne(dns, of("Subject: new\r\n" + s)).status()).isEqualTo(Status.FAIL);
        assertThat(verifyOne(dns, of(s.replace("\r\n\r\n", "\r\nDate: Tue, 1 Jan 2030 00:00:00 +0000\r\n\r\n"))).status()).isEqualTo(Status.FAIL);
        DkimResult from = verifyOne(dns, of("From: evil@example.net\r\n" + s));
        assertThat(from.status()).isEqualTo(Status.FAIL);
        // changed header and body
        assertThat(verifyOne(dns, of(s.replace("Subject: Testing", "Subject: Testing!"))).reason()).isEqualTo("signature did not verify");
        assertThat(verifyOne(dns, of(s.replace("a test message", "a test massage"))).reason()).isEqualTo("body hash did not verify");
        // relaxed/relaxed tolerates white-space changes
        assertThat(verifyOne(dns, of(s.replace("Subject: Testing", "Subject:   Testing  ").replace("a test message.", "a  test\tmessage.  "))).status())
                .isEqualTo(Status.PASS);
    }

    static AuthMessage of(String s) {
        return AuthMessage.of(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void bodyLengthOnlyByPolicy() {
        MapResolver dns = new MapResolver().put(KEY_NAME, text("test.txt"));
        DkimSigningKey sk = DkimSigningKey.of(DOMAIN, "test", DkimKeys.readPrivateKey(text("test.private")));
        AuthMessage msg = signed(message("test.message"), sk, SignOptions.DEFAULT.withBodyLength(true));
        assertThat(new String(msg.bytes(), StandardCharsets.US_ASCII)).contains(" l=25;");
        AuthMessage appended = of(new String(msg.bytes(), StandardCharsets.ISO_8859_1) + "Unsigned tail\r\n");
        assertThat(verifyOne(dns, msg)).extracting(DkimResult::status, DkimResult::reason)
                .containsExactly(Status.POLICY, "l= body length limit not accepted");
        DkimPolicy allow = DkimPolicy.DEFAULT.withAllowBodyLength(true);
        assertThat(verify(dns, msg, allow, CLOCK)).singleElement().extracting(DkimResult::status).isEqualTo(Status.PASS);
        assertThat(verify(dns, appended, allow, CLOCK)).singleElement().extracting(DkimResult::status).isEqualTo(Status.PASS);
    }

    @Test
    void timestampsAgainstThePinnedClock() {
        MapResolver dns = new MapResolver().put(KEY_NAME, text("test.txt"));
        DkimSigningKey sk = DkimSigningKey.of(DOMAIN, "test", DkimKeys.readPrivateKey(text("test.private")));
        AuthMessage msg = signed(message("test.message"), sk, SignOptions.DEFAULT.withExpiration(Duration.ofHours(1)));
        assertThat(verify(dns, msg, DkimPolicy.DEFAULT, Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC)).getFirst().status()).isEqualTo(Status.PASS);
        assertThat(verify(dns, msg, DkimPolicy.DEFAULT, Clock.fixed(NOW.plusSeconds(3600 + 301), ZoneOffset.UTC)).getFirst())
                .extracting(DkimResult::status, DkimResult::reason).containsExactly(Status.FAIL, "signature expired");
        assertThat(verify(dns, msg, DkimPolicy.DEFAULT, Clock.fixed(NOW.minusSeconds(299), ZoneOffset.UTC)).getFirst().status()).isEqualTo(Status.PASS);
        assertThat(verify(dns, msg, DkimPolicy.DEFAULT, Clock.fixed(NOW.minusSeconds(301), ZoneOffset.UTC)).getFirst())
                .extracting(DkimResult::status, DkimResult::reason).containsExactly(Status.FAIL, "signature timestamp in the future");
        assertThat(dns.queries).hasValue(2); // no DNS for signatures already failed on time
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            h=sha256;                 | PASS      | false |
            h=sha1:sha256;            | PASS      | false |
            h=sha1;                   | FAIL      | false | key h= does not allow sha256
            t=y;                      | PASS      | true  |
            t=y:s;                    | PASS      | true  |
            s=email;                  | PASS      | false |
            s=*;                      | PASS      | false |
            s=tlsrpt;                 | FAIL      | false | key not for email
            s=other;                  | FAIL      | false | key not for email
            k=ed25519;                | PERMERROR | false | Ed25519 key is not 32 bytes
            """)
    void keyRecordTags(String extra, Status expected, boolean testing, String reason) {
        String record = text("test.txt").replace("k=rsa;", "k=rsa; " + extra).replace("k=rsa; k=ed25519;", "k=ed25519;");
        MapResolver dns = new MapResolver().put(KEY_NAME, record);
        DkimSigningKey sk = DkimSigningKey.of(DOMAIN, "test", DkimKeys.readPrivateKey(text("test.private")));
        DkimResult r = verifyOne(dns, signed(message("test.message"), sk, SignOptions.DEFAULT));
        assertThat(r.status()).as(r.reason()).isEqualTo(expected);
        assertThat(r.testing()).isEqualTo(testing);
        if (reason != null) assertThat(r.reason()).endsWith(reason);
    }

    @Test
    void strictIdentityFlag() {
        String record = text("test.txt").replace("k=rsa;", "k=rsa; t=s;");
        MapResolver dns = new MapResolver().put(KEY_NAME, record);
        DkimSigningKey sk = DkimSigningKey.of(DOMAIN, "test", DkimKeys.readPrivateKey(text("test.private")));
        AuthMessage sub = signed(message("test.message"), sk, SignOptions.DEFAULT.withIdentity("user@mail.example.com"));
        assertThat(verifyOne(dns, sub)).extracting(DkimResult::status, DkimResult::identity)
                .containsExactly(Status.PERMERROR, "user@mail.example.com");
        AuthMessage same = signed(message("test.message"), sk, SignOptions.DEFAULT.withIdentity("user@example.com"));
        assertThat(verifyOne(dns, same).status()).isEqualTo(Status.PASS);
        // without t=s a subdomain identity is fine
        assertThat(verifyOne(new MapResolver().put(KEY_NAME, text("test.txt")), sub).status()).isEqualTo(Status.PASS);
    }

    @Test
    void dnsOutcomes() {
        DkimSigningKey sk = DkimSigningKey.of(DOMAIN, "test", DkimKeys.readPrivateKey(text("test.private")));
        AuthMessage msg = signed(message("test.message"), sk, SignOptions.DEFAULT);
        assertThat(verifyOne(new MapResolver().fail(KEY_NAME, DnsAnswer.Status.SERVFAIL), msg).status()).isEqualTo(Status.TEMPERROR);
        assertThat(verifyOne(new MapResolver().fail(KEY_NAME, DnsAnswer.Status.TIMEOUT), msg).status()).isEqualTo(Status.TEMPERROR);
        assertThat(verifyOne(new MapResolver(), msg)).extracting(DkimResult::status, DkimResult::reason)
                .containsExactly(Status.PERMERROR, "no key record at " + KEY_NAME);
        assertThat(verifyOne(new MapResolver().put(KEY_NAME, "v=DKIM1; k=rsa; p="), msg)).extracting(DkimResult::status, DkimResult::reason)
                .containsExactly(Status.PERMERROR, "key revoked");
        // several TXT records: the first that parses is used
        assertThat(verifyOne(new MapResolver().put(KEY_NAME, "some other text", text("test.txt")), msg).status()).isEqualTo(Status.PASS);
        // an Ed25519 record for an RSA signature
        assertThat(verifyOne(new MapResolver().put(KEY_NAME, text("ed25519test.dns")), msg).reason()).contains("does not match");
    }

    @Test
    void rsaKeysUnder1024BitsAreRejected() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(512);
        KeyPair kp = g.generateKeyPair();
        assertThatThrownBy(() -> DkimSigningKey.of(DOMAIN, "test", kp.getPrivate())).hasMessageContaining("1024");
        assertThatThrownBy(() -> DkimKeys.generateRsa(512)).hasMessageContaining("1024");
        DkimSigningKey weak = DkimSigningKey.unchecked(DOMAIN, "test", kp.getPrivate(), DkimAlgorithm.RSA_SHA256);
        MapResolver dns = new MapResolver().put(KEY_NAME, DkimKeys.keyRecord(kp.getPublic()));
        DkimResult r = verifyOne(dns, signed(message("test.message"), weak, SignOptions.DEFAULT));
        assertThat(r).extracting(DkimResult::status, DkimResult::reason, DkimResult::keyBits)
                .containsExactly(Status.PERMERROR, "RSA key of 512 bits is too small", 512);
    }

    @Test
    void sha1IsRefused() {
        DkimSigningKey sk = DkimSigningKey.of(DOMAIN, "test", DkimKeys.readPrivateKey(text("test.private")));
        String s = new String(signed(message("test.message"), sk, SignOptions.DEFAULT).bytes(), StandardCharsets.ISO_8859_1);
        MapResolver dns = new MapResolver().put(KEY_NAME, text("test.txt"));
        DkimResult r = verifyOne(dns, of(s.replace("a=rsa-sha256", "a=rsa-sha1")));
        assertThat(r).extracting(DkimResult::status, DkimResult::algorithm).containsExactly(Status.PERMERROR, "rsa-sha1");
        assertThat(dns.queries).hasValue(0);
        assertThatThrownBy(() -> new DkimSigningKey(DOMAIN, "test", sk.privateKey(), DkimAlgorithm.RSA_SHA1)).hasMessageContaining("8301");
    }

    @Test
    void severalSignaturesAndTheLimit() {
        MapResolver dns = new MapResolver().put(KEY_NAME, text("test.txt")).put("ed._domainkey.example.org", text("ed25519test.dns"));
        DkimSigningKey rsa = DkimSigningKey.of(DOMAIN, "test", DkimKeys.readPrivateKey(text("test.private")));
        DkimSigningKey ed = DkimSigningKey.of("example.org", "ed", DkimKeys.readPrivateKey(text("ed25519test.key")));
        AuthMessage msg = signed(signed(signed(message("test.message"), rsa, SignOptions.DEFAULT), ed, SignOptions.DEFAULT), rsa,
                SignOptions.DEFAULT.withCanonicalization(Canonicalization.SIMPLE, Canonicalization.SIMPLE));
        assertThat(verify(dns, msg, DkimPolicy.DEFAULT, CLOCK)).extracting(DkimResult::status, DkimResult::domain)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Status.PASS, "example.com"),
                        org.assertj.core.groups.Tuple.tuple(Status.PASS, "example.org"),
                        org.assertj.core.groups.Tuple.tuple(Status.PASS, "example.com"));
        List<DkimResult> limited = verify(dns, msg, DkimPolicy.DEFAULT.withMaxSignatures(2), CLOCK);
        assertThat(limited).extracting(DkimResult::status).containsExactly(Status.PASS, Status.PASS, Status.POLICY);
    }

    @Test
    void emptyBodyAndNoBody() {
        MapResolver dns = new MapResolver().put(KEY_NAME, text("test.txt"));
        DkimSigningKey sk = DkimSigningKey.of(DOMAIN, "test", DkimKeys.readPrivateKey(text("test.private")));
        for (String m : List.of("From: a@example.com\r\nSubject: x\r\n\r\n", "From: a@example.com\r\nSubject: x\r\n",
                "From: a@example.com\r\n\r\n\r\n\r\n")) {
            for (Canonicalization c : Canonicalization.values()) {
                AuthMessage msg = signed(of(m), sk, SignOptions.DEFAULT.withCanonicalization(c, c));
                assertThat(verifyOne(dns, msg).status()).as("%s %s", c, m).isEqualTo(Status.PASS);
            }
        }
    }

    @Test
    void unsignedMessageHasNoResults() {
        assertThat(verify(new MapResolver(), message("test.message"), DkimPolicy.DEFAULT, CLOCK)).isEmpty();
    }

    @Test
    void signingRefusesMismatchedKeys() {
        PrivateKey ed = DkimKeys.readPrivateKey(text("ed25519test.key"));
        assertThatThrownBy(() -> new DkimSigningKey(DOMAIN, "s", ed, DkimAlgorithm.RSA_SHA256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DkimSigningKey.of("not a domain", "s", ed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DkimSigningKey.of(DOMAIN, "bad selector", ed)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Arrays.asList(DkimKeys.generateEd25519(), DkimKeys.generateRsa(1024))).hasSize(2);
    }
}
