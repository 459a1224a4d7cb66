package dev.sealpost.bench.dkim;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimKeys;
import dev.sealpost.auth.dkim.DkimPolicy;
import dev.sealpost.auth.dkim.DkimResult;
import dev.sealpost.auth.dkim.DkimSigner;
import dev.sealpost.auth.dkim.DkimSigningKey;
import dev.sealpost.auth.dkim.DkimVerifier;
import dev.sealpost.auth.dkim.SignOptions;
import dev.sealpost.dns.ZoneResolver;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * What the DKIM benchmarks work on, built once per fork: an RSA-2048 and an Ed25519 key with
 * their key records served from memory ({@link ZoneResolver}, no DNS), a pinned clock, and test
 * messages of an exact size.
 */
public final class DkimFixtures {
    /** The signing domain. */
    public static final String DOMAIN = "bench.example";
    /** Every signature's {@code t=} and every verification's "now": fixed, so runs are repeatable. */
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

    public final KeyPair rsaPair = DkimKeys.generateRsa(2048);
    public final KeyPair edPair = DkimKeys.generateEd25519();
    public final DkimSigningKey rsa = DkimSigningKey.of(DOMAIN, "rsa2048", rsaPair.getPrivate());
    public final DkimSigningKey ed = DkimSigningKey.of(DOMAIN, "ed25519", edPair.getPrivate());
    public final DkimSigner signer = new DkimSigner(CLOCK);
    public final DkimVerifier verifier = new DkimVerifier(ZoneResolver.builder()
            .txt("rsa2048._domainkey." + DOMAIN, DkimKeys.keyRecord(rsaPair.getPublic()))
            .txt("ed25519._domainkey." + DOMAIN, DkimKeys.keyRecord(edPair.getPublic()))
            .build(), CLOCK, DkimPolicy.DEFAULT);

    /** The key for {@code "rsa"} or {@code "ed25519"}. */
    public DkimSigningKey key(String name) {
        return switch (name) {
            case "rsa" -> rsa;
            case "ed25519" -> ed;
            default -> throw new IllegalArgumentException("unknown key " + name);
        };
    }

    /** {@code msg} signed with {@code key} (default options), checked to verify, as the verifier gets it. */
    public AuthMessage signedAndChecked(AuthMessage msg, DkimSigningKey key) {
        AuthMessage signed = AuthMessage.of(DkimSigner.prepend(signer.sign(msg, key, SignOptions.DEFAULT), msg.bytes()));
        List<DkimResult> results = verifier.verify(signed);
        if (results.size() != 1 || !results.getFirst().passed()) {
            throw new IllegalStateException("benchmark message does not verify: " + results);
        }
        return signed;
    }

    /**
     * A MIME message of exactly {@code size} bytes, CRLF line ends: the usual header fields, a
     * short text/plain part (words and spaces, which relaxed canonicalisation rewrites) and a
     * base64 attachment of random bytes (76-column lines) filling the rest, as most large mail is.
     * Deterministic for a given size.
     */
    public static byte[] message(int size) {
        Random random = new Random(size);
        StringBuilder m = new StringBuilder(size + 128);
        String boundary = "=_bench_" + Long.toHexString(random.nextLong());
        m.append("Return-Path: <alice@").append(DOMAIN).append(">\r\n")
                .append("Received: from client.").append(DOMAIN).append(" (client.").append(DOMAIN)
                .append(" [192.0.2.10])\r\n\tby mx.").append(DOMAIN).append(" with ESMTPSA id 4f2a9c\r\n")
                .append("\tfor <bob@receiver.example>; Mon, 23 Nov 2026 12:00:00 +0000\r\n")
                .append("From: Alice Example <alice@").append(DOMAIN).append(">\r\n")
                .append("To: Bob Receiver <bob@receiver.example>\r\n")
                .append("Cc: carol@receiver.example\r\n")
                .append("Subject: Quarterly figures, as discussed   (draft 3)\r\n")
                .append("Date: Mon, 23 Nov 2026 12:00:00 +0000\r\n")
                .append("Message-ID: <").append(Long.toHexString(random.nextLong())).append("@").append(DOMAIN).append(">\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/mixed;\r\n boundary=\"").append(boundary).append("\"\r\n")
                .append("\r\n")
                .append("This is a multi-part message in MIME format.\r\n")
                .append("--").append(boundary).append("\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n")
                .append("Content-Transfer-Encoding: 7bit\r\n\r\n");
        String[] words = {"the", "figures", "for", "this", "quarter", "are", "attached", "please", "review",
                "before", "Friday", "and", "send", "comments", "to", "me", "regards", "as", "agreed", "\t"};
        int textEnd = m.length() + Math.min(1024, Math.max(0, size / 4));
        while (m.length() < textEnd) {
            int lineStart = m.length();
            while (m.length() - lineStart < 66) m.append(words[random.nextInt(words.length)]).append(random.nextInt(8) == 0 ? "  " : " ");
            m.append("\r\n");
        }
        m.append("\r\n--").append(boundary).append("\r\n")
                .append("Content-Type: application/pdf; name=\"figures.pdf\"\r\n")
                .append("Content-Disposition: attachment; filename=\"figures.pdf\"\r\n")
                .append("Content-Transfer-Encoding: base64\r\n\r\n");
        String closing = "--" + boundary + "--\r\n";
        byte[] raw = new byte[57];
        int room;
        while ((room = size - m.length() - closing.length()) > 0) {
            random.nextBytes(raw);
            String line = Base64.getEncoder().encodeToString(raw); // 76 characters, 78 with CRLF
            if (room == 78 || room >= 81) {
                m.append(line).append("\r\n");
            } else if (room >= 3) {
                m.append(line, 0, room - 2).append("\r\n"); // the last line, cut so that the total is exact
            } else if (room == 2) {
                m.append("\r\n");
            } else {
                throw new IllegalStateException("message of " + size + " bytes cannot be built");
            }
        }
        m.append(closing);
        byte[] out = m.toString().getBytes(StandardCharsets.US_ASCII);
        if (out.length != size) throw new IllegalStateException("message is " + out.length + " bytes, not " + size);
        return out;
    }
}
