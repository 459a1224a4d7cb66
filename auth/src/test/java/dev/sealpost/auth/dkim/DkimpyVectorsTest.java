package dev.sealpost.auth.dkim;

import static dev.sealpost.auth.dkim.DkimTestSupport.CLOCK;
import static dev.sealpost.auth.dkim.DkimTestSupport.message;
import static dev.sealpost.auth.dkim.DkimTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.dkim.DkimResult.Status;
import dev.sealpost.auth.dkim.DkimTestSupport.MapResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.security.PrivateKey;
import java.util.List;

/**
 * The dkimpy 1.1.4 vectors (../shared/conformance/dkim/dkimpy, see its SOURCE.md): the fixed
 * signed messages verify with the records of dns-records.txt and a pinned clock; the good and
 * bad key records behave as dkimpy's tests say.
 */
class DkimpyVectorsTest {
    private static List<DkimResult> verify(MapResolver dns, AuthMessage msg) {
        return new DkimVerifier(dns, CLOCK, DkimPolicy.DEFAULT).verify(msg);
    }

    @Test
    void rfc8463AppendixAMessageHasTwoPassingSignatures() {
        List<DkimResult> r = verify(MapResolver.fromRecordsFile(), message("rfc6376.signed.msg"));
        assertThat(r).hasSize(2);
        assertThat(r.get(0)).extracting(DkimResult::status, DkimResult::domain, DkimResult::selector, DkimResult::algorithm, DkimResult::keyBits)
                .containsExactly(Status.PASS, "football.example.com", "brisbane", "ed25519-sha256", 256);
        assertThat(r.get(1)).extracting(DkimResult::status, DkimResult::selector, DkimResult::algorithm, DkimResult::keyBits)
                .containsExactly(Status.PASS, "test", "rsa-sha256", 1024);
        assertThat(r.get(0).identity()).isEqualTo("@football.example.com");
        assertThat(r.get(0).headerB()).startsWith("9/dsDChY");
    }

    @Test
    void rsaOnlyVectorPassesAndFailsWithCorruptKey() {
        assertThat(verify(MapResolver.fromRecordsFile(), message("rfc6376.signed.rsa.msg")))
                .singleElement().extracting(DkimResult::status).isEqualTo(Status.PASS);
        // dkimpy test_catch_bad_key: the same key record with a corrupt p=
        MapResolver bad = new MapResolver().put("test._domainkey.football.example.com", text("test_bad.txt"));
        DkimResult r = verify(bad, message("rfc6376.signed.rsa.msg")).getFirst();
        assertThat(r.status()).isEqualTo(Status.PERMERROR);
        assertThat(r.reason()).contains("unparsable public key");
    }

    @Test
    void gmailMessageWithDegenerateFoldingPasses() {
        assertThat(verify(MapResolver.fromRecordsFile(), message("test2.message")))
                .singleElement().satisfies(r -> {
                    assertThat(r.status()).isEqualTo(Status.PASS);
                    assertThat(r.domain()).isEqualTo("gmail.com");
                    assertThat(r.keyBits()).isEqualTo(2048);
                });
    }

    @Test
    void eximEd25519MessagePasses() {
        MapResolver dns = new MapResolver().put("sed._domainkey.test.ex", text("eximtest.dns"));
        assertThat(verify(dns, message("ed25519test2.msg")))
                .singleElement().extracting(DkimResult::status, DkimResult::domain).containsExactly(Status.PASS, "test.ex");
    }

    @Test
    void invalidDomainIsPermerror() {
        MapResolver dns = MapResolver.fromRecordsFile();
        DkimResult r = verify(dns, message("test.message.baddomain")).getFirst();
        assertThat(r.status()).isEqualTo(Status.PERMERROR);
        assertThat(r.reason()).contains("d=");
        assertThat(dns.queries).hasValue(0);
    }

    @Test
    void tamperedVectorFails() {
        byte[] raw = AuthMessage.toCrlf(DkimTestSupport.bytes("rfc6376.signed.msg"));
        String s = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1);
        List<DkimResult> body = verify(MapResolver.fromRecordsFile(), AuthMessage.of(s.replace("hungry yet", "hungry now")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        assertThat(body).extracting(DkimResult::status, DkimResult::reason)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(Status.FAIL, "body hash did not verify"));
        List<DkimResult> header = verify(MapResolver.fromRecordsFile(), AuthMessage.of(s.replace("Is dinner ready?", "Is dinner late?")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        assertThat(header).extracting(DkimResult::status, DkimResult::reason)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(Status.FAIL, "signature did not verify"));
    }

    /** test.message signed with test.private, verified against each record of the dkimpy folder. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            test.txt         | PASS      |
            test2.txt        | PASS      |
            badversion.txt   | PERMERROR | version is not DKIM1
            badk.txt         | PERMERROR | unknown key type k=ed25519-sha256
            test_bad.txt     | PERMERROR | unparsable public key
            test_tlsrpt.txt  | FAIL      | key not for email
            """)
    void keyRecords(String record, Status expected, String reason) {
        PrivateKey key = DkimKeys.readPrivateKey(text("test.private"));
        int passes = 0;
        for (Canonicalization hc : Canonicalization.values()) {
            for (Canonicalization bc : Canonicalization.values()) {
                AuthMessage msg = message("test.message");
                String field = new DkimSigner(CLOCK).sign(msg, DkimSigningKey.of("example.com", "test", key),
                        SignOptions.DEFAULT.withCanonicalization(hc, bc));
                AuthMessage signed = AuthMessage.of(DkimSigner.prepend(field, msg.bytes()));
                MapResolver dns = new MapResolver().put("test._domainkey.example.com", text(record));
                DkimResult r = verify(dns, signed).getFirst();
                assertThat(r.status()).as("%s %s/%s", record, hc, bc).isEqualTo(expected);
                if (reason != null) assertThat(r.reason()).contains(reason);
                if (r.passed()) passes++;
            }
        }
        assertThat(passes).isEqualTo(expected == Status.PASS ? 4 : 0);
    }

    @Test
    void tlsrptKeyVerifiesTlsReportsOnly() {
        PrivateKey key = DkimKeys.readPrivateKey(text("test.private"));
        AuthMessage msg = message("test.message");
        String field = new DkimSigner(CLOCK).sign(msg, DkimSigningKey.of("example.com", "test", key), SignOptions.DEFAULT);
        AuthMessage signed = AuthMessage.of(DkimSigner.prepend(field, msg.bytes()));
        MapResolver dns = new MapResolver().put("test._domainkey.example.com", text("test_tlsrpt.txt"));
        DkimVerifier tls = new DkimVerifier(dns, CLOCK, DkimPolicy.DEFAULT.withTlsrpt(true));
        assertThat(tls.verify(signed)).singleElement().extracting(DkimResult::status).isEqualTo(Status.PASS);
        assertThat(verify(dns, signed)).singleElement().extracting(DkimResult::status).isEqualTo(Status.FAIL);
    }
}
