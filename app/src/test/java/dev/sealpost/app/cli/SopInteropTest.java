package dev.sealpost.app.cli;

import dev.sealpost.testkit.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-tests of {@code sealpost sop} with real OpenPGP peers: sqop (Sequoia's SOP), GnuPG 2.2 and
 * rnp. Ours signs, cleartext-signs and encrypts (v4 key, the default profile) and each peer verifies
 * or decrypts; each peer signs and encrypts and ours verifies or decrypts. The matrix is printed; every
 * cell must pass. (No Debian 12 peer reads v6 keys: RFC 9580 is checked against the rPGP vectors.)
 */
class SopInteropTest {
    static final byte[] DATA = "Interop across OpenPGP implementations.\nLine two.\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    record Res(int exit, String out) {}

    Res sh(byte[] stdin, Map<String, String> env, String... cmd) throws Exception {
        Path in = Files.createTempFile(dir, "in", ".bin");
        Files.write(in, stdin);
        Path out = Files.createTempFile(dir, "out", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(in.toFile()).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " timed out");
        }
        return new Res(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1));
    }

    /** Runs a command whose stdout is data (stderr separately discarded into a file). */
    byte[] shOut(byte[] stdin, Map<String, String> env, String... cmd) throws Exception {
        Path in = Files.createTempFile(dir, "in", ".bin");
        Files.write(in, stdin);
        Path out = Files.createTempFile(dir, "out", ".bin");
        Path err = Files.createTempFile(dir, "err", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " timed out");
        }
        if (p.exitValue() != 0) throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + Files.readString(err));
        return Files.readAllBytes(out);
    }

    Path write(String name, byte[] b) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    static String fingerprint(byte[] certArmored, Path dir) throws Exception {
        return dev.sealpost.secure.openpgp.OpenPgpKeys.fingerprint(dev.sealpost.secure.openpgp.OpenPgpKeys.readCertificate(certArmored));
    }

    /** Stops the gpg-agent that gpg started for this test's GNUPGHOME. */
    @org.junit.jupiter.api.AfterEach
    void stopAgent() throws Exception {
        Path gnupg = dir.resolve("gnupg");
        if (Files.isDirectory(gnupg)) sh(new byte[0], Map.of("GNUPGHOME", gnupg.toString()), "gpgconf", "--kill", "gpg-agent");
    }

    @Test
    void matrix() throws Exception {
        Peers.require("sqop");
        Peers.require("gpg");
        Peers.require("rnp");
        Peers.require("rnpkeys");
        Map<String, String> none = Map.of();
        Path gnupg = Files.createDirectories(dir.resolve("gnupg"));
        new File(gnupg.toString()).setExecutable(true, true);
        gnupg.toFile().setReadable(false, false);
        gnupg.toFile().setReadable(true, true);
        gnupg.toFile().setWritable(false, false);
        gnupg.toFile().setWritable(true, true);
        gnupg.toFile().setExecutable(false, false);
        gnupg.toFile().setExecutable(true, true);
        Map<String, String> gpgEnv = Map.of("GNUPGHOME", gnupg.toString());
        Path rnpHome = Files.createDirectories(dir.resolve("rnp"));

        // keys: ours (sealpost sop, default v4 profile) and theirs (sqop), each peer holds both certificates and their key
        Sop.Out ok = Sop.run("generate-key", "<ours@sealpost.test>");
        assertThat(ok.exit()).isZero();
        Path oursKey = write("ours.key", ok.stdout());
        Path oursCert = write("ours.cert", Sop.run(ok.stdout(), "extract-cert").stdout());
        byte[] theirKeyBytes = shOut(new byte[0], none, "sqop", "generate-key", "<peer@peer.test>");
        Path theirKey = write("peer.key", theirKeyBytes);
        Path theirCert = write("peer.cert", shOut(theirKeyBytes, none, "sqop", "extract-cert"));
        String oursFp = fingerprint(Files.readAllBytes(oursCert), dir);
        String theirFp = fingerprint(Files.readAllBytes(theirCert), dir);
        // our key read by sqop (it must accept our certificate and key)
        assertThat(sh(new byte[0], gpgEnv, "gpg", "--batch", "--import", oursCert.toString(), theirKey.toString()).exit()).isZero();
        assertThat(sh(new byte[0], none, "rnpkeys", "--homedir", rnpHome.toString(), "--import", oursCert.toString()).exit()).isZero();
        assertThat(sh(new byte[0], none, "rnpkeys", "--homedir", rnpHome.toString(), "--import", theirKey.toString()).exit()).isZero();
        Path data = write("data.txt", DATA);

        Map<String, String> cells = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();

        // --- ours -> peers: detached signature
        Sop.Out sig = Sop.run(DATA, "sign", oursKey.toString());
        assertThat(sig.exit()).isZero();
        Path oursSig = write("data.txt.asc", sig.stdout());
        cell(cells, failures, "ours sign -> sqop verify", sh(DATA, none, "sqop", "verify", oursSig.toString(), oursCert.toString()));
        cell(cells, failures, "ours sign -> gpg --verify", sh(new byte[0], gpgEnv, "gpg", "--batch", "--verify", oursSig.toString(), data.toString()));
        cell(cells, failures, "ours sign -> rnp --verify", sh(new byte[0], none, "rnp", "--homedir", rnpHome.toString(), "--verify", oursSig.toString()));

        // --- ours -> peers: cleartext signature
        Sop.Out csf = Sop.run(DATA, "inline-sign", "--as=clearsigned", oursKey.toString());
        Path oursCsf = write("csf.asc", csf.stdout());
        cell(cells, failures, "ours clearsign -> sqop inline-verify", sh(csf.stdout(), none, "sqop", "inline-verify", oursCert.toString()));
        cell(cells, failures, "ours clearsign -> gpg --verify", sh(new byte[0], gpgEnv, "gpg", "--batch", "--verify", oursCsf.toString()));
        cell(cells, failures, "ours clearsign -> rnp --verify", sh(new byte[0], none, "rnp", "--homedir", rnpHome.toString(), "--verify", oursCsf.toString()));

        // --- ours -> peers: encrypt to the peer's certificate, signed with ours
        Sop.Out enc = Sop.run(DATA, "encrypt", "--sign-with=" + oursKey, theirCert.toString());
        assertThat(enc.exit()).isZero();
        Path oursEnc = write("ours-enc.asc", enc.stdout());
        decrypted(cells, failures, "ours encrypt -> sqop decrypt", () -> shOut(enc.stdout(), none, "sqop", "decrypt", theirKey.toString()));
        decrypted(cells, failures, "ours encrypt -> gpg --decrypt", () -> shOut(new byte[0], gpgEnv, "gpg", "--batch", "--decrypt", oursEnc.toString()));
        decrypted(cells, failures, "ours encrypt -> rnp --decrypt", () -> shOut(new byte[0], none, "rnp", "--homedir", rnpHome.toString(),
                "--decrypt", oursEnc.toString(), "--output", "-"));

        // --- peers -> ours: detached signatures by the peer key
        byte[] sqSig = shOut(DATA, none, "sqop", "sign", theirKey.toString());
        ours(cells, failures, "sqop sign -> ours verify", Sop.run(DATA, "verify", write("sq.sig", sqSig).toString(), theirCert.toString()));
        byte[] gpgSig = shOut(DATA, gpgEnv, "gpg", "--batch", "--local-user", theirFp, "--armor", "--detach-sign");
        ours(cells, failures, "gpg sign -> ours verify", Sop.run(DATA, "verify", write("gpg.sig", gpgSig).toString(), theirCert.toString()));
        Files.deleteIfExists(dir.resolve("data.txt.asc"));
        assertThat(sh(new byte[0], none, "rnp", "--homedir", rnpHome.toString(), "--sign", "--detach", "--armor", "-u", theirFp,
                data.toString(), "--output", dir.resolve("rnp.sig").toString()).exit()).isZero();
        ours(cells, failures, "rnp sign -> ours verify", Sop.run(DATA, "verify", dir.resolve("rnp.sig").toString(), theirCert.toString()));
        byte[] gpgCsf = shOut(DATA, gpgEnv, "gpg", "--batch", "--local-user", theirFp, "--clearsign");
        ours(cells, failures, "gpg clearsign -> ours inline-verify", Sop.run(gpgCsf, "inline-verify", theirCert.toString()));

        // --- peers -> ours: encrypt to our certificate
        byte[] sqEnc = shOut(DATA, none, "sqop", "encrypt", "--sign-with=" + theirKey, oursCert.toString());
        oursDecrypt(cells, failures, "sqop encrypt -> ours decrypt", sqEnc, theirCert);
        byte[] gpgEnc = shOut(DATA, gpgEnv, "gpg", "--batch", "--trust-model", "always", "--recipient", oursFp, "--local-user", theirFp,
                "--armor", "--sign", "--encrypt");
        oursDecrypt(cells, failures, "gpg encrypt -> ours decrypt", gpgEnc, theirCert);
        assertThat(sh(new byte[0], none, "rnp", "--homedir", rnpHome.toString(), "--encrypt", "--sign", "-u", theirFp, "-r", oursFp, "--armor",
                data.toString(), "--output", dir.resolve("rnp-enc.asc").toString()).exit()).isZero();
        oursDecrypt(cells, failures, "rnp encrypt -> ours decrypt", Files.readAllBytes(dir.resolve("rnp-enc.asc")), theirCert);

        // --- PGP/MIME (RFC 3156) made by ours: the signed part verified by gpg, the encrypted part decrypted by sqop
        var mime = new dev.sealpost.secure.openpgp.PgpMime(java.time.Clock.systemUTC());
        byte[] mail = ("From: ours@sealpost.test\r\nTo: peer@peer.test\r\nSubject: pgp/mime\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
                + new String(DATA, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        var oursKeyObj = dev.sealpost.secure.openpgp.OpenPgpKeys.readKey(Files.readAllBytes(oursKey));
        byte[] signedMail = mime.sign(mail, List.of(oursKeyObj));
        var opened = (dev.sealpost.secure.openpgp.PgpMime.Opened.Signed) mime.open(signedMail, List.of(), List.of(oursKeyObj.toCertificate()));
        String sm = new String(signedMail, StandardCharsets.US_ASCII);
        Path part = write("part.eml", opened.entity());
        Path partSig = write("part.eml.asc", sm.substring(sm.indexOf("-----BEGIN PGP SIGNATURE-----"), sm.indexOf("-----END PGP SIGNATURE-----") + 27)
                .getBytes(StandardCharsets.US_ASCII));
        cell(cells, failures, "ours PGP/MIME sign -> gpg --verify", sh(new byte[0], gpgEnv, "gpg", "--batch", "--verify", partSig.toString(), part.toString()));
        byte[] encMail = mime.encrypt(mail, List.of(dev.sealpost.secure.openpgp.OpenPgpKeys.readCertificate(Files.readAllBytes(theirCert))), List.of(oursKeyObj));
        String em = new String(encMail, StandardCharsets.US_ASCII);
        byte[] armoredPart = em.substring(em.indexOf("-----BEGIN PGP MESSAGE-----"), em.indexOf("-----END PGP MESSAGE-----") + 25).getBytes(StandardCharsets.US_ASCII);
        try {
            byte[] inner = shOut(armoredPart, none, "sqop", "decrypt", theirKey.toString());
            boolean ok2 = new String(inner, StandardCharsets.US_ASCII).startsWith("Content-Type: text/plain; charset=us-ascii\r\n\r\nInterop");
            cells.put("ours PGP/MIME encrypt -> sqop decrypt", ok2 ? "pass" : "FAIL (wrong entity)");
            if (!ok2) failures.add("PGP/MIME encrypt: " + new String(inner, StandardCharsets.US_ASCII));
        } catch (AssertionError e) {
            cells.put("ours PGP/MIME encrypt -> sqop decrypt", "FAIL");
            failures.add(e.getMessage());
        }

        // --- the RSA-3072 profile: ours signs, GnuPG verifies; GnuPG encrypts to it, ours decrypts
        Sop.Out rsa = Sop.run("generate-key", "--profile=v4-rsa3072", "<rsa@sealpost.test>");
        assertThat(rsa.exit()).isZero();
        Path rsaKey = write("rsa.key", rsa.stdout());
        Path rsaCert = write("rsa.cert", Sop.run(rsa.stdout(), "extract-cert").stdout());
        String rsaFp = fingerprint(Files.readAllBytes(rsaCert), dir);
        assertThat(sh(new byte[0], gpgEnv, "gpg", "--batch", "--import", rsaCert.toString()).exit()).isZero();
        Path rsaSig = write("rsa.sig", Sop.run(DATA, "sign", rsaKey.toString()).stdout());
        cell(cells, failures, "ours RSA-3072 sign -> gpg --verify", sh(new byte[0], gpgEnv, "gpg", "--batch", "--verify", rsaSig.toString(), data.toString()));
        byte[] gpgRsaEnc = shOut(DATA, gpgEnv, "gpg", "--batch", "--trust-model", "always", "--recipient", rsaFp, "--armor", "--encrypt");
        Sop.Out rsaDec = Sop.run(gpgRsaEnc, "decrypt", rsaKey.toString());
        boolean rsaOk = rsaDec.exit() == 0 && java.util.Arrays.equals(rsaDec.stdout(), DATA);
        cells.put("gpg encrypt -> ours RSA-3072 decrypt", rsaOk ? "pass" : "FAIL (exit " + rsaDec.exit() + ")");
        if (!rsaOk) failures.add("RSA decrypt: " + rsaDec.stderr());

        // --- password encryption (SKESK) both ways with sqop
        Path pw = write("pw.txt", "correct horse battery staple".getBytes(StandardCharsets.UTF_8));
        Sop.Out pwEnc = Sop.run(DATA, "encrypt", "--with-password=" + pw);
        decrypted(cells, failures, "ours encrypt --with-password -> sqop decrypt", () -> shOut(pwEnc.stdout(), none, "sqop", "decrypt",
                "--with-password=" + pw));
        byte[] sqPwEnc = shOut(DATA, none, "sqop", "encrypt", "--with-password=" + pw);
        Sop.Out pwDec = Sop.run(sqPwEnc, "decrypt", "--with-password=" + pw);
        boolean pwOk = pwDec.exit() == 0 && java.util.Arrays.equals(pwDec.stdout(), DATA);
        cells.put("sqop encrypt --with-password -> ours decrypt", pwOk ? "pass" : "FAIL (exit " + pwDec.exit() + ")");
        if (!pwOk) failures.add("password decrypt: " + pwDec.stderr());

        System.out.println("SOP interop matrix (sealpost sop x sqop 0.27 / GnuPG 2.2 / rnp 0.16), v4 keys:");
        cells.forEach((k, v) -> System.out.printf("  %-42s %s%n", k, v));
        long pass = cells.values().stream().filter(v -> v.equals("pass")).count();
        System.out.printf("  %d of %d cells pass%n", pass, cells.size());
        assertThat(failures).isEmpty();
        assertThat(cells).hasSize(22);
    }

    static void cell(Map<String, String> cells, List<String> failures, String name, Res r) {
        cells.put(name, r.exit() == 0 ? "pass" : "FAIL (exit " + r.exit() + ")");
        if (r.exit() != 0) failures.add(name + ": " + r.out());
    }

    interface Io {
        byte[] get() throws Exception;
    }

    static void decrypted(Map<String, String> cells, List<String> failures, String name, Io io) {
        try {
            byte[] plain = io.get();
            boolean ok = java.util.Arrays.equals(plain, DATA);
            cells.put(name, ok ? "pass" : "FAIL (wrong plaintext)");
            if (!ok) failures.add(name + ": got " + new String(plain, StandardCharsets.ISO_8859_1));
        } catch (Throwable t) {
            cells.put(name, "FAIL");
            failures.add(name + ": " + t.getMessage());
        }
    }

    static void ours(Map<String, String> cells, List<String> failures, String name, Sop.Out o) {
        // GnuPG's clearsign ends the text at the input's last line end, which RFC 9580 §7.1 makes part of the
        // armor, not of the signed text: the text comes back without it
        String text = new String(o.stdout(), StandardCharsets.UTF_8);
        String want = new String(DATA, StandardCharsets.UTF_8);
        boolean ok = o.exit() == 0 && (name.contains("inline") ? text.equals(want) || text.equals(want.stripTrailing())
                : o.text().contains(" mode:"));
        cells.put(name, ok ? "pass" : "FAIL (exit " + o.exit() + ")");
        if (!ok) failures.add(name + ": exit " + o.exit() + " " + o.stderr() + " " + o.text());
    }

    void oursDecrypt(Map<String, String> cells, List<String> failures, String name, byte[] msg, Path verifyCert) throws Exception {
        Path vout = dir.resolve("v-" + cells.size());
        Sop.Out o = Sop.run(msg, "decrypt", "--verify-with=" + verifyCert, "--verifications-out=" + vout, dir.resolve("ours.key").toString());
        boolean ok = o.exit() == 0 && java.util.Arrays.equals(o.stdout(), DATA) && Files.exists(vout) && Files.readString(vout).contains(" mode:");
        cells.put(name, ok ? "pass" : "FAIL (exit " + o.exit() + ")");
        if (!ok) failures.add(name + ": exit " + o.exit() + " " + o.stderr() + (Files.exists(vout) ? " verifications: " + Files.readString(vout) : ""));
    }
}
