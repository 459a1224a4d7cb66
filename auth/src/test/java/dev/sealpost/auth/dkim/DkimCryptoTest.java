package dev.sealpost.auth.dkim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast paths of ADR 0003 give the same signatures as the JDK and verify like it. */
class DkimCryptoTest {
    private static final byte[] DATA = "from:a@example.org\r\nsubject:hello\r\ndkim-signature:v=1; b=".getBytes(StandardCharsets.US_ASCII);

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = {"amd64", "x86_64"})
    void nativeRsaLoadsOnLinuxX8664() {
        assertThat(DkimCrypto.nativeRsa()).as("AWS-LC provider loaded").isTrue();
    }

    @Test
    void rsaSignaturesEqualTheJdksAndVerify() throws Exception {
        KeyPair kp = DkimKeys.generateRsa(2048);
        byte[] ours = DkimCrypto.sign(DkimAlgorithm.RSA_SHA256, kp.getPrivate(), DATA);
        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initSign(kp.getPrivate());
        jdk.update(DATA);
        // RFC 8017 §8.2: PKCS#1 v1.5 signatures are deterministic, so the providers must agree byte for byte
        assertThat(ours).isEqualTo(jdk.sign());
        assertThat(DkimCrypto.sign(DkimAlgorithm.RSA_SHA256, kp.getPrivate(), DATA)).as("cached key").isEqualTo(ours);
        assertThat(DkimCrypto.verify(DkimAlgorithm.RSA_SHA256, kp.getPublic(), DATA, ours)).isTrue();
        ours[10] ^= 1;
        assertThat(DkimCrypto.verify(DkimAlgorithm.RSA_SHA256, kp.getPublic(), DATA, ours)).isFalse();
    }

    @Test
    void ed25519SignaturesEqualTheJdksAndVerify() throws Exception {
        KeyPair kp = DkimKeys.generateEd25519();
        byte[] ours = DkimCrypto.sign(DkimAlgorithm.ED25519_SHA256, kp.getPrivate(), DATA);
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(kp.getPrivate());
        jdk.update(DATA);
        // RFC 8032 §5.1.6: Ed25519 is deterministic
        assertThat(ours).isEqualTo(jdk.sign());
        assertThat(DkimCrypto.verify(DkimAlgorithm.ED25519_SHA256, kp.getPublic(), DATA, ours)).isTrue();
        Signature jdkVerify = Signature.getInstance("Ed25519");
        jdkVerify.initVerify(kp.getPublic());
        jdkVerify.update(DATA);
        assertThat(jdkVerify.verify(ours)).isTrue();
        byte[] bad = ours.clone();
        bad[0] ^= 1;
        assertThat(DkimCrypto.verify(DkimAlgorithm.ED25519_SHA256, kp.getPublic(), DATA, bad)).isFalse();
        assertThat(DkimCrypto.verify(DkimAlgorithm.ED25519_SHA256, kp.getPublic(), DATA, new byte[63])).isFalse();
        assertThat(DkimCrypto.verify(DkimAlgorithm.ED25519_SHA256, DkimKeys.generateEd25519().getPublic(), DATA, ours)).isFalse();
    }
}
