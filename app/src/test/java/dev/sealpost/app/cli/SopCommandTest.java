package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sealpost sop}: every subcommand on our own keys, and SOP's exit codes for the failures. */
class SopCommandTest {
    @TempDir
    static Path dir;
    static String key4, cert4, key6, cert6;
    static final byte[] DATA = "Hello, SOP.\nSecond line.\n".getBytes(StandardCharsets.UTF_8);

    static String file(String name, byte[] content) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p.toString();
    }

    @BeforeAll
    static void keys() throws Exception {
        Sop.Out k4 = Sop.run("generate-key", "<alice@example.test>");
        assertThat(k4.exit()).as(k4.stderr()).isZero();
        assertThat(k4.text()).startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----");
        key4 = file("alice.key", k4.stdout());
        Sop.Out c4 = Sop.run(k4.stdout(), "extract-cert");
        assertThat(c4.text()).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
        cert4 = file("alice.cert", c4.stdout());
        Sop.Out k6 = Sop.run("generate-key", "--profile=rfc9580", "--", "<bob@example.test>");
        assertThat(k6.exit()).as(k6.stderr()).isZero();
        key6 = file("bob.key", k6.stdout());
        cert6 = file("bob.cert", Sop.run(k6.stdout(), "extract-cert").stdout());
    }

    @Test
    void signVerifyEncryptDecryptInline() throws Exception {
        for (String[] kc : new String[][] {{key4, cert4}, {key6, cert6}}) {
            Sop.Out sig = Sop.run(DATA, "sign", "--as=text", kc[0]);
            assertThat(sig.exit()).isZero();
            String sigFile = file("sig-" + sig.hashCode(), sig.stdout());
            Sop.Out v = Sop.run(DATA, "verify", sigFile, kc[1]);
            assertThat(v.exit()).as(v.stderr()).isZero();
            assertThat(v.text()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ [0-9A-F]{40,64} [0-9A-F]{40,64} mode:text\n");
            byte[] tampered = DATA.clone();
            tampered[0] ^= 1;
            assertThat(Sop.run(tampered, "verify", sigFile, kc[1]).exit()).isEqualTo(3);

            Sop.Out enc = Sop.run(DATA, "encrypt", "--sign-with=" + kc[0], kc[1]);
            assertThat(enc.exit()).as(enc.stderr()).isZero();
            String vout = dir.resolve("ver-" + enc.hashCode()).toString();
            Sop.Out dec = Sop.run(enc.stdout(), "decrypt", "--verify-with=" + kc[1], "--verifications-out=" + vout, kc[0]);
            assertThat(dec.exit()).as(dec.stderr()).isZero();
            assertThat(dec.stdout()).isEqualTo(DATA);
            assertThat(Files.readString(Path.of(vout))).contains(" mode:binary");
            // the verifications file exists now: 59
            assertThat(Sop.run(enc.stdout(), "decrypt", "--verify-with=" + kc[1], "--verifications-out=" + vout, kc[0]).exit()).isEqualTo(59);

            for (String as : new String[] {"binary", "text", "clearsigned"}) {
                Sop.Out in = Sop.run(DATA, "inline-sign", "--as=" + as, kc[0]);
                assertThat(in.exit()).as(in.stderr()).isZero();
                Sop.Out iv = Sop.run(in.stdout(), "inline-verify", kc[1]);
                assertThat(iv.exit()).as(as + " " + iv.stderr()).isZero();
                assertThat(iv.stdout()).isEqualTo(DATA);
            }
        }
        // a v4 key cannot decrypt what went to the v6 one: 29
        Sop.Out enc6 = Sop.run(DATA, "encrypt", cert6);
        assertThat(Sop.run(enc6.stdout(), "decrypt", key4).exit()).isEqualTo(29);
    }

    @Test
    void passwordEncryption() throws Exception {
        String pw = file("pw.txt", "correct horse battery staple".getBytes(StandardCharsets.UTF_8));
        String wrong = file("wrong.txt", "incorrect horse".getBytes(StandardCharsets.UTF_8));
        Sop.Out enc = Sop.run(DATA, "encrypt", "--with-password=" + pw);
        assertThat(enc.exit()).as(enc.stderr()).isZero();
        Sop.Out dec = Sop.run(enc.stdout(), "decrypt", "--with-password=" + pw);
        assertThat(dec.exit()).as(dec.stderr()).isZero();
        assertThat(dec.stdout()).isEqualTo(DATA);
        assertThat(Sop.run(enc.stdout(), "decrypt", "--with-password=" + wrong).exit()).isEqualTo(29);
        String padded = file("padded.txt", " pw \n".getBytes(StandardCharsets.UTF_8));
        assertThat(Sop.run(DATA, "encrypt", "--with-password=" + padded).exit()).isEqualTo(31); // PASSWORD_NOT_HUMAN_READABLE
    }

    @Test
    void armorAndDearmor() throws Exception {
        byte[] armored = Files.readAllBytes(Path.of(cert4));
        Sop.Out bin = Sop.run(armored, "dearmor");
        assertThat(bin.exit()).isZero();
        assertThat(bin.stdout()[0] & 0x80).isNotZero();
        Sop.Out again = Sop.run(bin.stdout(), "armor");
        assertThat(again.text()).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
        assertThat(Sop.run(again.stdout(), "dearmor").stdout()).isEqualTo(bin.stdout());
        assertThat(Sop.run(armored, "armor").stdout()).isEqualTo(armored); // idempotent
        assertThat(Sop.run("version").text()).startsWith("sealpost-sop ");
    }

    @Test
    void exitCodes() throws Exception {
        assertThat(Sop.run("frobnicate").exit()).isEqualTo(69);            // UNSUPPORTED_SUBCOMMAND
        assertThat(Sop.run("sign", "--frob", key4).exit()).isEqualTo(37);   // UNSUPPORTED_OPTION
        assertThat(Sop.run(DATA, "sign").exit()).isEqualTo(19);             // MISSING_ARG
        assertThat(Sop.run(DATA, "verify", cert4).exit()).isEqualTo(19);
        assertThat(Sop.run(DATA, "sign", dir.resolve("absent").toString()).exit()).isEqualTo(61); // MISSING_INPUT
        assertThat(Sop.run(DATA, "sign", cert4).exit()).isEqualTo(41);      // BAD_DATA: a certificate where a key is needed
        assertThat(Sop.run(DATA, "sign", "@FD:3").exit()).isEqualTo(71);    // UNSUPPORTED_SPECIAL_PREFIX
        assertThat(Sop.run("generate-key", "--profile=rfc9999", "x").exit()).isEqualTo(89); // UNSUPPORTED_PROFILE
        assertThat(Sop.run(DATA, "inline-sign", "--no-armor", "--as=clearsigned", key4).exit()).isEqualTo(83); // INCOMPATIBLE_OPTIONS
        assertThat(Sop.run(new byte[] {(byte) 0xff, (byte) 0xfe}, "sign", "--as=text", key4).exit()).isEqualTo(53); // EXPECTED_TEXT
        assertThat(Sop.run(DATA, "decrypt", "--verify-with=" + cert4, key4).exit()).isEqualTo(23); // INCOMPLETE_VERIFICATION
        assertThat(Sop.run(DATA, "decrypt", key4).exit()).isEqualTo(41);    // BAD_DATA: not an OpenPGP message
        assertThat(Sop.run(DATA, "inline-verify", cert4).exit()).isIn(3, 41);
        // through bin/sealpost's entry point: registered as a subcommand
        assertThat(Main.run("sop", "frobnicate")).isEqualTo(69);
        assertThat(Main.run("sop", "version")).isZero();
        assertThat(Main.run("sop", "sign", "--as=text", "@FD:3")).isEqualTo(71); // not taken as a picocli @-file
        assertThat(Main.run("sop", "sign", "--frob", key4)).isEqualTo(37);
    }
}
