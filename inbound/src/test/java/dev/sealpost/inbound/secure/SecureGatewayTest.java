package dev.sealpost.inbound.secure;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.secure.openpgp.AutocryptHeader;
import dev.sealpost.secure.openpgp.KeyProfile;
import dev.sealpost.secure.openpgp.OpenPgpKeys;
import dev.sealpost.secure.smime.SmimeCa;
import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.store.Keys;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway's two halves against a real key store (SQLite), with keys made by the secure
 * module: the policy decisions at submission (tag, levels, recipient rules, refusals), and what
 * reception makes of the result (decryption for gateway-mode recipients, Authentication-Results,
 * key collection and its DMARC gate). Real peers check the same formats in the it module's
 * SecureGatewayEndToEndTest.
 */
class SecureGatewayTest {
    static final String ALICE = "alice@example.test";
    static final String BOB = "bob@example.test";

    @TempDir
    Path dir;
    Store store;
    SecureKeys keys;
    SubmissionSecurity submission;
    ReceptionSecurity reception;
    SmimeCa ca;

    @BeforeEach
    void open() throws Exception {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()), pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.test");
        store.directory().addAccount(ALICE, "alice password 1".toCharArray());
        store.directory().addAccount(BOB, "bob password 12".toCharArray());
        keys = new SecureKeys(store.keys(), store.directory(), Clock.systemUTC());
        submission = new SubmissionSecurity(keys, "[secure]", Clock.systemUTC());
        reception = new ReceptionSecurity(keys, "mx.example.test", Clock.systemUTC());
        ca = SmimeCa.create("example.test", Instant.now());
        store.keys().putCa("example.test", ca.certificate().getEncoded(), ca.privateKey().getEncoded());
    }

    @AfterEach
    void close() {
        store.close();
    }

    void smime(String address) throws Exception {
        SmimeCa.Issued i = ca.issue(address, Instant.now());
        byte[] der = i.certificate().getEncoded();
        store.keys().addOwn(address, Keys.Type.SMIME, HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der)),
                der, i.privateKey().getEncoded());
    }

    OpenPGPKey pgp(String address) throws Exception {
        OpenPGPKey k = OpenPgpKeys.generate(KeyProfile.V4_CURVE25519, List.of(OpenPgpKeys.userIdFor(address)), Clock.systemUTC());
        store.keys().addOwn(address, Keys.Type.OPENPGP, OpenPgpKeys.fingerprint(k), OpenPgpKeys.extractCertificate(k, false), OpenPgpKeys.encode(k, false));
        return k;
    }

    static byte[] msg(String from, String subject, String extra) {
        return ("From: " + from + "\r\nTo: " + BOB + "\r\nSubject: " + subject + "\r\n" + extra
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\nThe secret plan.\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void untaggedMailWithDefaultPolicyPassesUnchanged() throws Exception {
        byte[] m = msg(ALICE, "hello", "");
        SubmissionSecurity.Result r = submission.process("s1", ALICE, List.of(BOB), m);
        assertThat(r.message()).isSameAs(m);
        assertThat(r.decision()).isEqualTo(new SubmissionSecurity.Decision(null, null, false, false));
    }

    @Test
    void taggedMailWithoutKeysIsRefusedNamingTheRecipient() {
        assertThatThrownBy(() -> submission.process("s1", ALICE, List.of(BOB, "x@elsewhere.test"), msg(ALICE, "[secure] plan", "")))
                .isInstanceOf(SmtpRejection.class).hasMessageContaining("5.7.5")
                .hasMessageContaining("<bob@example.test>, <x@elsewhere.test>");
        // the header form of the tag does the same
        assertThatThrownBy(() -> submission.process("s1", ALICE, List.of(BOB), msg(ALICE, "plan", "X-Sealpost-Encrypt: yes\r\n")))
                .isInstanceOf(SmtpRejection.class).hasMessageContaining("Encryption required");
        // policy never and a tag: refused, not sent in clear
        store.keys().putPolicy(ALICE, null, "never", null);
        assertThatThrownBy(() -> submission.process("s1", ALICE, List.of(BOB), msg(ALICE, "[secure] plan", "")))
                .isInstanceOf(SmtpRejection.class).hasMessageContaining("policy encrypt never");
    }

    @Test
    void whenPossibleSendsInClearWithoutKeysAndARecipientRuleRaisesIt() throws Exception {
        store.keys().putPolicy("example.test", null, "when-possible", null);
        SubmissionSecurity.Result r = submission.process("s1", ALICE, List.of("x@elsewhere.test"), msg(ALICE, "plan", ""));
        assertThat(r.decision().encryptedAs()).isNull();
        assertThat(text(r.message())).contains("The secret plan.");
        store.keys().putPolicy("elsewhere.test", null, "required", null); // a partner domain that must get encrypted mail only
        assertThatThrownBy(() -> submission.process("s1", ALICE, List.of("x@elsewhere.test"), msg(ALICE, "plan", "")))
                .isInstanceOf(SmtpRejection.class).hasMessageContaining("<x@elsewhere.test>");
    }

    @Test
    void smimeSignedAndEncryptedThenDecryptedAndVerifiedForAGatewayRecipient() throws Exception {
        smime(ALICE);
        smime(BOB);
        store.keys().putPolicy(ALICE, "always", null, null);
        SubmissionSecurity.Result r = submission.process("s1", ALICE, List.of(BOB), msg(ALICE, "[secure] plan", "X-Sealpost-Encrypt: yes\r\n"));
        assertThat(r.decision()).isEqualTo(new SubmissionSecurity.Decision(SubmissionSecurity.Format.SMIME, SubmissionSecurity.Format.SMIME, false, true));
        String out = text(r.message());
        assertThat(out).contains("Subject: plan\r\n", "smime-type=authEnveloped-data").doesNotContain("secret plan", "[secure]", "X-Sealpost-Encrypt");

        // bob keeps his keys on his devices: left as it came, no decryption record
        ReceptionSecurity.Outcome kept = reception.process("r1", List.of(BOB), r.message(), true);
        assertThat(kept.decrypted()).isNull();
        assertThat(kept.message()).isSameAs(r.message());

        store.keys().putPolicy(BOB, null, null, "decrypt");
        ReceptionSecurity.Outcome o = reception.process("r2", List.of(BOB), r.message(), true);
        assertThat(o.decrypted()).startsWith("smime AES-256-GCM for <bob@example.test>");
        assertThat(o.smime()).isEqualTo("pass"); // signed by alice, chain to the local internal CA
        assertThat(text(o.message())).contains("The secret plan.", "Subject: plan");
        assertThat(o.fields()).anySatisfy(f -> assertThat(f).startsWith("Authentication-Results: mx.example.test;\r\n\tsmime=pass body.smime-identifier=alice@example.test"));
        assertThat(o.fields()).anySatisfy(f -> assertThat(f).startsWith("X-Sealpost-Decrypted: smime"));
        // a second recipient who keeps keys on the device: nobody gets a plaintext
        store.keys().putPolicy(ALICE, null, null, "keep");
        assertThat(reception.process("r3", List.of(BOB, ALICE), r.message(), true).decrypted()).isNull();
        assertThat(reception.removeHeader(null, "x-sealpost-decrypted", "forged")).isTrue();
    }

    @Test
    void pgpMimeWithAutocryptAndKeyCollectionGatedByDmarc() throws Exception {
        OpenPGPKey alice = pgp(ALICE);
        pgp(BOB);
        store.keys().putPolicy(ALICE, "always", "when-possible", null);
        SubmissionSecurity.Result r = submission.process("s1", ALICE, List.of(BOB), msg(ALICE, "plan", ""));
        assertThat(r.decision()).isEqualTo(new SubmissionSecurity.Decision(SubmissionSecurity.Format.OPENPGP, SubmissionSecurity.Format.OPENPGP, true, false));
        String out = text(r.message());
        assertThat(out).contains("multipart/encrypted", "Autocrypt: addr=alice@example.test; prefer-encrypt=mutual; keydata=");
        store.keys().putPolicy(BOB, null, null, "decrypt");
        ReceptionSecurity.Outcome o = reception.process("r1", List.of(BOB), r.message(), true);
        assertThat(o.decrypted()).startsWith("openpgp ");
        assertThat(o.openpgp()).isEqualTo("pass"); // alice is a local account: her own key is trusted
        assertThat(text(o.message())).contains("The secret plan.");

        // a remote sender's Autocrypt key: collected only when the From domain is authentic
        OpenPGPKey remote = OpenPgpKeys.generate(KeyProfile.V4_CURVE25519, List.of(OpenPgpKeys.userIdFor("eve@elsewhere.test")), Clock.systemUTC());
        String ac = new AutocryptHeader("eve@elsewhere.test", false, OpenPgpKeys.extractCertificate(remote, false)).field();
        byte[] in = msg("eve@elsewhere.test", "hi", ac);
        assertThat(reception.process("r2", List.of(BOB), in, false).collected()).isEmpty();
        assertThat(store.keys().peers("eve@elsewhere.test")).isEmpty();
        assertThat(reception.process("r3", List.of(BOB), in, true).collected()).containsExactly("openpgp " + OpenPgpKeys.fingerprint(remote) + " autocrypt");
        assertThat(store.keys().peers("eve@elsewhere.test")).singleElement().satisfies(p -> assertThat(p.origin()).isEqualTo(Keys.Origin.AUTOCRYPT));
        // an Autocrypt header whose addr is not the From address is ignored
        byte[] spoof = msg("mallory@elsewhere.test", "hi", ac);
        assertThat(reception.process("r4", List.of(BOB), spoof, true).collected()).isEmpty();
        // and now mail to eve can be encrypted opportunistically with her collected key
        SubmissionSecurity.Result toEve = submission.process("s2", ALICE, List.of("eve@elsewhere.test"), msg(ALICE, "plan", ""));
        assertThat(toEve.decision().encryptedAs()).isEqualTo(SubmissionSecurity.Format.OPENPGP);
        assertThat(alice).isNotNull();
    }

    @Test
    void aFromAddressOtherThanTheAccountIsNeitherSignedNorGivenAutocrypt() throws Exception {
        smime(ALICE);
        pgp(ALICE);
        store.keys().putPolicy(ALICE, "always", null, null);
        SubmissionSecurity.Result r = submission.process("s1", ALICE, List.of(BOB), msg("someone-else@example.test", "hi", ""));
        assertThat(r.decision()).isEqualTo(new SubmissionSecurity.Decision(null, null, false, false));
        SubmissionSecurity.Result own = submission.process("s2", ALICE, List.of(BOB), msg(ALICE, "hi", ""));
        assertThat(own.decision().signedAs()).isEqualTo(SubmissionSecurity.Format.SMIME);
        assertThat(MessageStructure.parse(own.message()).root().mediaType()).isEqualTo("multipart/signed");
        // and our own signature verifies at reception (alice is local: pass)
        assertThat(reception.process("r1", List.of(BOB), own.message(), true).smime()).isEqualTo("pass");
        byte[] tampered = text(own.message()).replace("The secret plan.", "The secret plam.").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(reception.process("r2", List.of(BOB), tampered, true).smime()).isEqualTo("fail");
    }
    @Test
    void malformedOrAlteredSecureMailNeverThrowsAndIsNeverTrusted() throws Exception {
        smime(ALICE);
        smime(BOB);
        pgp(BOB);
        store.keys().putPolicy(BOB, null, null, "decrypt");
        List<String> bodies = List.of(
                "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\r\n",
                "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
                        + "--x\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n--x--\r\n",
                "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x--\r\n",
                "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=x\r\n\r\n--x\r\nContent-Type: application/pgp-encrypted\r\n\r\n"
                        + "Version: 1\r\n--x\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA\r\n-----END PGP MESSAGE-----\r\n--x--\r\n",
                "Autocrypt: addr=eve@elsewhere.test; keydata=!!!notbase64\r\nContent-Type: multipart/signed\r\n\r\n",
                "Autocrypt: addr=eve@elsewhere.test; keydata=AAAA\r\n\r\nhi\r\n",
                "Content-Type: multipart/encrypted\r\n",
                "");
        for (String b : bodies) {
            byte[] m = ("From: eve@elsewhere.test\r\nTo: bob@example.test\r\nSubject: x\r\n" + b).getBytes(StandardCharsets.ISO_8859_1);
            ReceptionSecurity.Outcome o = reception.process("f", List.of(BOB), m, true);
            assertThat(o.decrypted()).as(b).isNull();
            assertThat(o.message()).as(b).isSameAs(m);
            assertThat(o.smime()).as(b).isNotEqualTo("pass");
            assertThat(o.openpgp()).as(b).isNotIn("pass", "policy");
            assertThat(o.collected()).as(b).isEmpty();
        }
        assertThat(reception.process("f", List.of(BOB), ("From: eve@elsewhere.test\r\n" + bodies.get(1)).getBytes(StandardCharsets.ISO_8859_1), true).smime())
                .isEqualTo("fail");
        assertThat(reception.process("f", List.of(BOB), ("From: eve@elsewhere.test\r\n" + bodies.get(2)).getBytes(StandardCharsets.ISO_8859_1), true).fields())
                .anySatisfy(f -> assertThat(f).contains("x-openpgp=permerror"));

        // one byte of a signed and encrypted message changed, 150 times: no exception, and whatever decrypts
        // carries either alice's valid signature or no pass at all
        store.keys().putPolicy(ALICE, "always", null, null);
        byte[] good = submission.process("s", ALICE, List.of(BOB), msg(ALICE, "[secure] plan", "")).message();
        java.util.Random random = new java.util.Random(42);
        for (int n = 0; n < 150; n++) {
            byte[] m = good.clone();
            int at = random.nextInt(m.length);
            m[at] = (byte) (m[at] ^ (1 + random.nextInt(255)));
            ReceptionSecurity.Outcome o = reception.process("f", List.of(BOB), m, true);
            if (o.decrypted() != null && "pass".equals(o.smime())) assertThat(text(o.message())).contains("The secret plan.");
        }
    }

    @Test
    void aPlantedResultUnderOurAuthservIdIsRemoved() {
        dev.sealpost.smtp.server.SessionInfo mx = (dev.sealpost.smtp.server.SessionInfo) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {dev.sealpost.smtp.server.SessionInfo.class},
                (proxy, method, args) -> method.getName().equals("kind") ? dev.sealpost.smtp.server.ListenerKind.MX : null);
        assertThat(reception.removeHeader(mx, "Authentication-Results", "mx.example.test; smime=pass")).isTrue();
        assertThat(reception.removeHeader(mx, "Authentication-Results", "other.example; smime=pass")).isFalse();
    }
    @Test
    void mailTheClientSignedOrEncryptedIsNotWrappedAgain() throws Exception {
        pgp(ALICE);
        pgp(BOB);
        store.keys().putPolicy(ALICE, "always", "when-possible", null);
        byte[] encrypted = submission.process("s1", ALICE, List.of(BOB), msg(ALICE, "plan", "")).message();
        assertThat(text(encrypted)).contains("multipart/encrypted");
        // the same message submitted again as a client would send it (already encrypted): only Autocrypt is added, once
        String again = text(encrypted).replaceAll("(?s)Autocrypt: .*?\r\n(?=[A-Z])", "");
        SubmissionSecurity.Result r = submission.process("s2", ALICE, List.of(BOB), again.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(r.decision()).isEqualTo(new SubmissionSecurity.Decision(null, null, true, false));
        assertThat(text(r.message()).split("multipart/encrypted", -1)).hasSize(2);
        // tagged and required: an encrypted message passes; a client-signed one cannot be encrypted by us and is refused
        store.keys().putPolicy(ALICE, null, "required", null);
        assertThat(submission.process("s3", ALICE, List.of("x@elsewhere.test"), again.getBytes(StandardCharsets.ISO_8859_1)).decision().encryptedAs()).isNull();
        store.keys().putPolicy(ALICE, null, "when-possible", null);
        byte[] signed = new dev.sealpost.secure.openpgp.PgpMime(Clock.systemUTC()).sign(msg(ALICE, "plan", ""),
                List.of(keys.ownOpenPgp(ALICE).orElseThrow()));
        store.keys().putPolicy(ALICE, null, "required", null);
        assertThatThrownBy(() -> submission.process("s4", ALICE, List.of(BOB), signed)).isInstanceOf(SmtpRejection.class)
                .hasMessageContaining("signed by the client");
    }
}
