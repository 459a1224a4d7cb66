package dev.sealpost.evidence.sign;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Key forms against the Go reference (golang.org/x/mod/sumdb/note documentation's PeterNeumann key). */
class Ed25519KeyTest {
    static final String SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

    @Test
    void referenceKeyGivesReferenceVerifierKeyAndHash() {
        Ed25519Key k = Ed25519Key.parsePrivate(SKEY).orElseThrow();
        assertThat(k.name()).isEqualTo("PeterNeumann");
        assertThat(k.publicKey().verifierKey()).isEqualTo(VKEY);
        assertThat(k.publicKey().keyId()).isEqualTo(0xc74f20a3);
        assertThat(k.privateKeyText()).isEqualTo(SKEY);
        assertThat(Ed25519PublicKey.parseVerifierKey(VKEY).orElseThrow()).isEqualTo(k.publicKey());
    }

    @Test
    void referenceSignatureIsReproduced() {
        // Ed25519 is deterministic (RFC 8032 §5.1.6): the Go documentation's note signature, after its 4-byte key hash.
        Ed25519Key k = Ed25519Key.parsePrivate(SKEY).orElseThrow();
        byte[] text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n".getBytes(StandardCharsets.UTF_8);
        byte[] sig = Base64.getDecoder().decode("x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=");
        byte[] raw = java.util.Arrays.copyOfRange(sig, 4, sig.length);
        assertThat(k.sign(text)).isEqualTo(raw);
        assertThat(k.publicKey().verify(text, raw)).isTrue();
        text[0] ^= 1;
        assertThat(k.publicKey().verify(text, raw)).isFalse();
    }

    @Test
    void malformedKeyTextsAreRefused() {
        assertThat(Ed25519PublicKey.parseVerifierKey("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")).isEmpty();
        assertThat(Ed25519PublicKey.parseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")).isEmpty();
        assertThat(Ed25519PublicKey.parseVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T")).isEmpty();
        assertThat(Ed25519PublicKey.parseVerifierKey("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")).isEmpty();
        assertThat(Ed25519PublicKey.parseVerifierKey("")).isEmpty();
        assertThat(Ed25519Key.parsePrivate("PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")).isEmpty();
        assertThat(Ed25519Key.parsePrivate(VKEY)).isEmpty();
    }

    @Test
    void generatedKeysRoundTripThroughTheirTexts() {
        Ed25519Key k = Ed25519Key.generate("log.example.test/evidence");
        Ed25519Key again = Ed25519Key.parsePrivate(k.privateKeyText()).orElseThrow();
        assertThat(again.publicKey()).isEqualTo(k.publicKey());
        byte[] msg = {1, 2, 3};
        assertThat(again.publicKey().verify(msg, k.sign(msg))).isTrue();
        assertThat(Ed25519Key.generate("x").publicKey().verify(msg, k.sign(msg))).isFalse();
    }
}
