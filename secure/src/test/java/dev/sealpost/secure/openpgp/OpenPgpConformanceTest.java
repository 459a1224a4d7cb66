package dev.sealpost.secure.openpgp;

import dev.sealpost.testkit.SharedSuite;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code shared/conformance/openpgp} (see each SOURCE.md): the rPGP RFC 9580 vectors, the Autocrypt
 * Level 1 examples and the WKD hashes. Every case gives the result SOURCE.md names; counts are
 * asserted; a copy with one byte flipped fails.
 */
class OpenPgpConformanceTest {
    static final byte[] HELLO = "hello world\n".getBytes(StandardCharsets.US_ASCII);

    static byte[] read(Path p) throws Exception {
        return Files.readAllBytes(p);
    }

    /** Flips one bit of a base64 character in the middle of an armored block's body (the first of a quartet, always significant). */
    static byte[] flipArmored(byte[] armored, String beginMarker) {
        String s = new String(armored, StandardCharsets.ISO_8859_1);
        int begin = s.indexOf(beginMarker);
        int bodyStart = s.indexOf("\n\n", begin) + 2;
        int bodyEnd = s.indexOf("\n=", bodyStart);
        int end = s.indexOf("\n-----END", bodyStart);
        if (bodyEnd < 0 || bodyEnd > end) bodyEnd = end;
        int mid = bodyStart + (bodyEnd - bodyStart) / 2;
        int lineStart = s.lastIndexOf('\n', mid) + 1;
        int at = lineStart + 32; // 32: a multiple of 4 inside a 64-character line
        if (at >= bodyEnd || s.charAt(at) == '\n') at = lineStart;
        byte[] c = armored.clone();
        c[at] = (byte) (c[at] == 'A' ? 'B' : 'A');
        return c;
    }

    static byte[] flipAt(byte[] b, int at) {
        byte[] c = b.clone();
        c[at] ^= 0x01;
        return c;
    }

    @Test
    void rfc9580Vectors() throws Exception {
        Path root = SharedSuite.path("openpgp/rfc9580-rpgp");
        List<Path> dirs;
        try (Stream<Path> s = Files.list(root)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(dirs).hasSize(7);
        int decrypted = 0, verified = 0, refused = 0, tamperedFailed = 0;
        OpenPgpDecryptor decryptor = new OpenPgpDecryptor();
        OpenPgpVerifier verifier = new OpenPgpVerifier();
        for (Path dir : dirs) {
            byte[] tsk = read(dir.resolve("tsk.asc"));
            List<Path> messages;
            try (Stream<Path> s = Files.list(dir)) {
                messages = s.filter(p -> p.toString().endsWith(".msg")).sorted().toList();
            }
            if (dir.getFileName().toString().equals("v6-legacy_illegal")) {
                // RFC 9580 §9.2: v6 key material with the legacy OIDs MUST NOT be accepted
                assertThatThrownBy(() -> OpenPgpKeys.readKey(tsk)).isInstanceOfSatisfying(OpenPgpException.class,
                        e -> assertThat(e.reason()).isEqualTo(OpenPgpException.Reason.UNSUPPORTED_KEY));
                assertThatThrownBy(() -> OpenPgpKeys.readCertificates(tsk)).isInstanceOf(OpenPgpException.class);
                refused += 1 + messages.size();
                continue;
            }
            OpenPGPKey key = OpenPgpKeys.readKey(tsk);
            OpenPGPCertificate cert = key.toCertificate();
            for (Path m : messages) {
                byte[] msg = read(m);
                String name = m.getFileName().toString();
                if (name.startsWith("enc-")) {
                    var d = decryptor.decrypt(List.of(key), List.of(), msg);
                    assertThat(d).as(dir.getFileName() + "/" + name).isInstanceOfSatisfying(OpenPgpDecryption.Decrypted.class, ok -> {
                        assertThat(ok.plaintext()).isEqualTo(HELLO);
                        // SOURCE.md: despite its name, v4-ed25519-x25519/enc-seipdv2.msg is SEIPD v1 (sq packet dump)
                        assertThat(ok.aead()).as(dir.getFileName() + "/" + name)
                                .isEqualTo(name.equals("enc-seipdv2.msg") && !dir.endsWith("v4-ed25519-x25519"));
                    });
                    decrypted++;
                    assertThat(decryptor.decrypt(List.of(key), List.of(), flipArmored(msg, "-----BEGIN PGP MESSAGE-----")))
                            .as("tampered " + dir.getFileName() + "/" + name).isInstanceOf(OpenPgpDecryption.Failed.class);
                    tamperedFailed++;
                } else if (name.equals("csf.msg")) {
                    var r = verifier.verifyInline(List.of(cert), msg);
                    assertThat(r.anyGood()).as(dir.getFileName() + "/" + name).isTrue();
                    assertThat(r.content()).isEqualTo(HELLO);
                    verified++;
                    String s = new String(msg, StandardCharsets.UTF_8);
                    int at = s.indexOf("hello world");
                    assertThat(verifier.verifyInline(List.of(cert), flipAt(msg, at + 2)).anyGood()).isFalse();
                    assertThat(verifier.verifyInline(List.of(cert), flipArmored(msg, "-----BEGIN PGP SIGNATURE-----")).anyGood()).isFalse();
                    tamperedFailed += 2;
                }
            }
        }
        System.out.printf("rfc9580-rpgp: %d decrypted, %d cleartext signatures verified, %d refused (v6 legacy), %d tampered copies failed%n",
                decrypted, verified, refused, tamperedFailed);
        assertThat(decrypted).isEqualTo(9);
        assertThat(verified).isEqualTo(3);
        assertThat(refused).isEqualTo(3);
        assertThat(tamperedFailed).isEqualTo(15);
    }

    @Test
    void autocryptExamples() throws Exception {
        Path dir = SharedSuite.path("openpgp/autocrypt");
        String[] people = {"alice", "bob", "carol"};
        List<String> fingerprints = new ArrayList<>();
        for (String p : people) {
            OpenPGPCertificate pub = OpenPgpKeys.readCertificate(read(dir.resolve(p + "@autocrypt.example.pub.asc")));
            OpenPGPKey sec = OpenPgpKeys.readKey(read(dir.resolve(p + "@autocrypt.example.sec.asc")));
            assertThat(OpenPgpKeys.fingerprint(sec)).isEqualTo(OpenPgpKeys.fingerprint(pub));
            fingerprints.add(OpenPgpKeys.fingerprint(pub));
        }
        int headers = 0, gossip = 0, tamperedFailed = 0;
        for (String eml : List.of("example-simple-autocrypt.eml", "example-gossip.eml")) {
            List<String> values = AutocryptHeader.fieldValues(read(dir.resolve(eml)), "Autocrypt");
            assertThat(values).hasSize(1);
            var parsed = AutocryptHeader.parse(values.getFirst());
            assertThat(parsed).isInstanceOfSatisfying(AutocryptHeader.Parsed.Valid.class, v -> {
                assertThat(v.header().addr()).isEqualTo("alice@autocrypt.example");
                assertThat(v.header().preferEncrypt()).isTrue();
            });
            AutocryptHeader h = ((AutocryptHeader.Parsed.Valid) parsed).header();
            assertThat(acceptable(h, fingerprints.get(0))).isTrue();
            // the generator writes what the parser reads back
            assertThat(AutocryptHeader.parse(h.value())).isInstanceOfSatisfying(AutocryptHeader.Parsed.Valid.class,
                    v -> assertThat(v.header().keydata()).isEqualTo(h.keydata()));
            headers++;
            // one byte flipped inside keydata (the primary key material): no longer Alice's key
            String value = values.getFirst();
            int at = value.indexOf("keydata=") + 8;
            while (!Character.isLetterOrDigit(value.charAt(at))) at++;
            at += 24;
            while (!Character.isLetterOrDigit(value.charAt(at))) at++;
            char[] cs = value.toCharArray();
            cs[at] = cs[at] == 'A' ? 'B' : 'A';
            var t = AutocryptHeader.parse(new String(cs));
            assertThat(t instanceof AutocryptHeader.Parsed.Valid v && acceptable(v.header(), fingerprints.get(0))).isFalse();
            tamperedFailed++;
        }
        // encrypted examples: gossip to Bob and Carol, the draft to Alice (RFC 3156 multipart/encrypted)
        PgpMime mime = new PgpMime(OpenPgpRoundTripTest.CLOCK);
        record Case(String eml, String reader, int gossipHeaders) {}
        for (Case c : List.of(new Case("example-gossip.eml", "bob", 2), new Case("example-gossip.eml", "carol", 2),
                new Case("example-draft.eml", "alice", 1))) {
            OpenPGPKey key = OpenPgpKeys.readKey(read(dir.resolve(c.reader() + "@autocrypt.example.sec.asc")));
            byte[] eml = read(dir.resolve(c.eml()));
            var opened = mime.open(eml, List.of(key), List.of());
            assertThat(opened).as(c.toString()).isInstanceOf(PgpMime.Opened.Decrypted.class);
            byte[] entity = ((PgpMime.Opened.Decrypted) opened).entity();
            List<String> g = AutocryptHeader.fieldValues(entity, "Autocrypt-Gossip");
            assertThat(g).hasSize(c.gossipHeaders());
            for (String v : g) {
                AutocryptHeader h = ((AutocryptHeader.Parsed.Valid) AutocryptHeader.parse(v)).header();
                int who = List.of("alice@autocrypt.example", "bob@autocrypt.example", "carol@autocrypt.example").indexOf(h.addr());
                assertThat(acceptable(h, fingerprints.get(who))).isTrue();
                gossip++;
            }
            String cleartext = new String(read(dir.resolve(c.eml().replace(".eml", "-cleartext.eml"))), StandardCharsets.UTF_8);
            assertThat(new String(entity, StandardCharsets.UTF_8).replace("\r\n", "\n").strip()).isEqualTo(cleartext.replace("\r\n", "\n").strip());
            assertThat(mime.open(flipArmored(eml, "-----BEGIN PGP MESSAGE-----"), List.of(key), List.of()))
                    .isInstanceOf(PgpMime.Opened.DecryptionFailed.class);
            tamperedFailed++;
        }
        // the Autocrypt Setup Message: password-encrypted (SKESK) key
        String html = new String(read(dir.resolve("example-setup-message.eml")), StandardCharsets.UTF_8);
        String armored = html.substring(html.indexOf("-----BEGIN PGP MESSAGE-----"), html.indexOf("-----END PGP MESSAGE-----") + 25);
        char[] code = "1742-0185-6197-1303-7016-8412-3581-4441-0597".toCharArray();
        var setup = new OpenPgpDecryptor().decrypt(List.of(), List.of(), List.<char[]>of(code), armored.getBytes(StandardCharsets.US_ASCII));
        assertThat(setup).isInstanceOfSatisfying(OpenPgpDecryption.Decrypted.class,
                ok -> assertThat(new String(ok.plaintext(), StandardCharsets.UTF_8).strip())
                        .isEqualTo(new String(uncheckedRead(dir.resolve("example-setup-message-cleartext.key")), StandardCharsets.UTF_8).strip()));
        var wrong = new OpenPgpDecryptor().decrypt(List.of(), List.of(), List.<char[]>of("1742-0185-6197-1303-7016-8412-3581-4441-0598".toCharArray()),
                armored.getBytes(StandardCharsets.US_ASCII));
        assertThat(wrong).isInstanceOf(OpenPgpDecryption.Failed.class);
        tamperedFailed++;
        System.out.printf("autocrypt: %d Autocrypt headers, %d gossip headers, 3 encrypted messages, 1 setup message, %d tampered copies failed%n",
                headers, gossip, tamperedFailed);
        assertThat(headers).isEqualTo(2);
        assertThat(gossip).isEqualTo(5);
        assertThat(tamperedFailed).isEqualTo(6);
    }

    static byte[] uncheckedRead(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The keydata is a certificate with the expected fingerprint, a valid User ID and an encryption key. */
    static boolean acceptable(AutocryptHeader h, String fingerprint) {
        try {
            OpenPGPCertificate c = OpenPgpKeys.readCertificate(h.keydata());
            // the example keys expired in 2021: judged at the examples' date (their Date: fields, January 2019)
            java.util.Date at = java.util.Date.from(java.time.Instant.parse("2019-02-01T00:00:00Z"));
            return OpenPgpKeys.fingerprint(c).equals(fingerprint) && !c.getValidUserIds(at).isEmpty() && !c.getEncryptionKeys(at).isEmpty();
        } catch (OpenPgpException | RuntimeException e) {
            return false;
        }
    }

    @Test
    void wkdVectors() throws Exception {
        List<String> lines = Files.readAllLines(SharedSuite.path("openpgp/wkd/wkd-vectors.tsv"), StandardCharsets.UTF_8);
        int passed = 0, tamperedFailed = 0;
        for (String line : lines) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] f = line.split("\t");
            assertThat(f).hasSize(4);
            String local = f[0].substring(0, f[0].lastIndexOf('@'));
            assertThat(WebKeyDirectory.hash(local)).as(f[0]).isEqualTo(f[1]);
            assertThat(WebKeyDirectory.advancedUrl(f[0])).as(f[0]).isEqualTo(f[2]);
            assertThat(WebKeyDirectory.directUrl(f[0])).as(f[0]).isEqualTo(f[3]);
            passed++;
            byte[] addr = f[0].getBytes(StandardCharsets.UTF_8);
            String tampered = new String(flipAt(addr, 0), StandardCharsets.UTF_8);
            String tl = tampered.substring(0, tampered.lastIndexOf('@'));
            assertThat(WebKeyDirectory.hash(tl)).isNotEqualTo(f[1]);
            tamperedFailed++;
        }
        System.out.printf("wkd: %d vectors pass, %d tampered copies fail%n", passed, tamperedFailed);
        assertThat(passed).isEqualTo(14);
        assertThat(tamperedFailed).isEqualTo(14);
        assertThat(WebKeyDirectory.path("Joe.Doe@Example.ORG")).isEqualTo("hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q");
    }
}
