package dev.sealpost.queue;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimKeys;
import dev.sealpost.auth.dkim.DkimPolicy;
import dev.sealpost.auth.dkim.DkimResult;
import dev.sealpost.auth.dkim.DkimVerifier;
import dev.sealpost.auth.dkim.SignOptions;
import dev.sealpost.dns.ZoneResolver;
import dev.sealpost.smtp.client.MessageSource;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.OutboundQueue;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The before-first-attempt hook signs the mail we generate (reports, DSNs), never relayed mail. */
class DomainDkimSignerTest {
    @TempDir
    Path dir;
    Store store;
    final Clock clock = Clock.fixed(Instant.parse("2026-11-23T07:00:00Z"), ZoneOffset.UTC);
    KeyPair ed;

    @BeforeEach
    void open() {
        store = Store.open(new StoreConfig(dir, null, null, null, clock));
        store.directory().addDomain("example.test");
        ed = DkimKeys.generateEd25519();
        store.directory().addDkimKey("example.test", "ed1", "ed25519-sha256", ed.getPrivate().getEncoded(), DkimKeys.keyRecord(ed.getPublic()));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static OutboundQueue.QueueMessage message(String clientAddress, String authUser) {
        return new OutboundQueue.QueueMessage(1, new BlobRef("0".repeat(64), 1), "postmaster@example.test", Instant.EPOCH, false,
                false, "7BIT", null, null, authUser, clientAddress, null, false);
    }

    @Test
    void forwardedMailIsArcSealedWithOurResultsAndTheChainValidates() throws Exception {
        KeyPair rsa = DkimKeys.generateRsa(2048);
        store.directory().addDkimKey("example.test", "arc1", "rsa-sha256", rsa.getPrivate().getEncoded(), DkimKeys.keyRecord(rsa.getPublic()));
        var zone = ZoneResolver.builder().txt("arc1._domainkey.example.test", DkimKeys.keyRecord(rsa.getPublic())).build();
        String forwarded = "Authentication-Results: mx.example.test;\r\n\tspf=pass smtp.mailfrom=alice@sender.test;\r\n\tdmarc=pass header.from=sender.test\r\n"
                + "Received: from mail.sender.test ([192.0.2.1])\r\n\tby mx.example.test (Sealpost) with ESMTPS id x; Mon, 23 Nov 2026 07:00:00 +0000\r\n"
                + "From: alice@sender.test\r\nTo: list@example.test\r\nSubject: forwarded\r\nDate: Mon, 23 Nov 2026 06:59:00 +0000\r\n\r\nhello\r\n";
        OutboundSigner hook = new ArcForwardSealer(new DomainDkimSigner(store.directory(), clock, SignOptions.DEFAULT), zone, clock,
                "mx.example.test", "example.test").outboundSigner();
        byte[] set = hook.headers(message("192.0.2.1", null), MessageSource.of(forwarded.getBytes(StandardCharsets.US_ASCII)));
        String sealed = new String(set, StandardCharsets.UTF_8) + forwarded;
        assertThat(sealed).startsWith("ARC-Seal: i=1;").contains("cv=none").contains("ARC-Authentication-Results: i=1; mx.example.test;")
                .contains("spf=pass smtp.mailfrom=alice@sender.test");
        var outcome = new dev.sealpost.auth.arc.ArcVerifier(zone, clock).verify(AuthMessage.of(sealed.getBytes(StandardCharsets.UTF_8)));
        assertThat(outcome.cv()).isEqualTo(dev.sealpost.auth.arc.ArcResult.PASS);
        assertThat(outcome.sealers()).containsExactly("example.test");
        // without a seal domain configured nothing is added
        OutboundSigner off = new ArcForwardSealer(new DomainDkimSigner(store.directory(), clock, SignOptions.DEFAULT), zone, clock,
                "mx.example.test", null).outboundSigner();
        assertThat(off.headers(message("192.0.2.1", null), MessageSource.of(forwarded.getBytes(StandardCharsets.US_ASCII)))).isEmpty();
    }

    @Test
    void generatedMailIsSignedAndVerifiesRelayedMailIsNot() throws Exception {
        String report = "From: postmaster@example.test\r\nTo: tlsrpt@remote.test\r\nSubject: Report Domain: remote.test\r\n"
                + "Date: Mon, 23 Nov 2026 07:00:00 +0000\r\n\r\nreport\r\n";
        OutboundSigner hook = new DomainDkimSigner(store.directory(), clock, SignOptions.DEFAULT).outboundSigner();
        byte[] fields = hook.headers(message(null, null), MessageSource.of(report.getBytes(StandardCharsets.US_ASCII)));
        String signed = new String(fields, StandardCharsets.US_ASCII) + report;
        assertThat(signed).startsWith("DKIM-Signature: ").contains("d=example.test").contains("s=ed1");
        var zone = ZoneResolver.builder().txt("ed1._domainkey.example.test", DkimKeys.keyRecord(ed.getPublic())).build();
        assertThat(new DkimVerifier(zone, clock, DkimPolicy.DEFAULT).verify(AuthMessage.of(signed.getBytes(StandardCharsets.US_ASCII))))
                .extracting(DkimResult::status).containsExactly(DkimResult.Status.PASS);

        // mail that came from an SMTP client (relayed, forwarded) or a user (signed at submission): untouched
        assertThat(hook.headers(message("192.0.2.1", null), MessageSource.of(report.getBytes(StandardCharsets.US_ASCII)))).isEmpty();
        assertThat(hook.headers(message(null, "alice@example.test"), MessageSource.of(report.getBytes(StandardCharsets.US_ASCII)))).isEmpty();
    }
}
