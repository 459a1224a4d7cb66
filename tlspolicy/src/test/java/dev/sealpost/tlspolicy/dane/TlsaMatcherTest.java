package dev.sealpost.tlspolicy.dane;

import static dev.sealpost.tlspolicy.dane.TlsaMatcher.associationData;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sealpost.dns.TlsaRecord;
import dev.sealpost.testkit.TestCerts;
import dev.sealpost.tlspolicy.dane.DaneVerdict.Failed;
import dev.sealpost.tlspolicy.dane.DaneVerdict.Matched;
import dev.sealpost.tlspolicy.dane.DaneVerdict.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;

class TlsaMatcherTest {
    static final Date NOW = Date.from(TestCerts.NOW);
    static final Set<String> NAMES = Set.of("mx.example.com");
    static final TestCerts.Issued SELF = TestCerts.selfSigned("unrelated.invalid", List.of("unrelated.invalid"));
    static final TestCerts.Issued OTHER = TestCerts.selfSigned("other", List.of());
    static final TestCerts.Issued CA = TestCerts.ca("Example Issuing CA");
    static final TestCerts.Issued LEAF = TestCerts.leaf(CA, "mx.example.com", List.of("mx.example.com"));

    static TlsaRecord rr(int usage, int selector, int mtype, X509Certificate cert) {
        return new TlsaRecord(usage, selector, mtype, associationData(cert, selector, mtype));
    }

    static DaneVerdict verify(List<TlsaRecord> records, List<X509Certificate> chain) {
        return TlsaMatcher.verify(records, chain, NAMES, NOW);
    }

    @ParameterizedTest(name = "DANE-EE 3 {0} {1}")
    @CsvSource({"1, 1", "0, 1", "1, 2", "0, 0", "1, 0", "0, 2"})
    void daneEeMatchesTheLeafIgnoringNamesAndChain(int selector, int mtype) {
        TlsaRecord r = rr(3, selector, mtype, SELF.cert());
        // RFC 7672 §3.1.1: the certificate names "unrelated.invalid", it still matches
        assertThat(verify(List.of(r), SELF.chain())).isEqualTo(new Matched(r, 0));
        // a different key does not match
        assertThat(verify(List.of(r), OTHER.chain())).isInstanceOf(Failed.class)
                .extracting(v -> ((Failed) v).reason()).isEqualTo(Reason.NO_MATCH);
        // nor does the record match an issuer: DANE-EE is about the leaf only
        assertThat(verify(List.of(rr(3, selector, mtype, CA.cert())), LEAF.chain())).isInstanceOf(Failed.class);
    }

    @Test
    void daneEeIgnoresExpiry() {
        TestCerts.Issued expired = TestCerts.selfSigned("old", List.of(), TestCerts.NOW.minus(Duration.ofDays(400)),
                TestCerts.NOW.minus(Duration.ofDays(30)));
        TlsaRecord r = rr(3, 1, 1, expired.cert());
        assertThat(verify(List.of(r), expired.chain()).matched()).isTrue();
    }

    @Test
    void daneEeMismatchOnAlteredDigest() {
        byte[] data = associationData(SELF.cert(), 1, 1);
        data[31] ^= 1;
        assertThat(verify(List.of(new TlsaRecord(3, 1, 1, data)), SELF.chain()).matched()).isFalse();
    }

    @Test
    void daneTaMatchesAnIssuerValidatesTheChainAndChecksNames() {
        TlsaRecord ta = rr(2, 0, 1, CA.cert());
        assertThat(verify(List.of(ta), LEAF.chain())).isEqualTo(new Matched(ta, 1));
        TlsaRecord taSpki = rr(2, 1, 2, CA.cert());
        assertThat(verify(List.of(taSpki), LEAF.chain())).isEqualTo(new Matched(taSpki, 1));
        // RFC 7672 §3.2.2: name check against the reference identifiers
        DaneVerdict wrongName = TlsaMatcher.verify(List.of(ta), LEAF.chain(), Set.of("mx.other.example"), NOW);
        assertThat(wrongName).isInstanceOf(Failed.class).extracting(v -> ((Failed) v).reason()).isEqualTo(Reason.NAME_MISMATCH);
        assertThat(((Failed) wrongName).tlsRptResultType()).isEqualTo("certificate-host-mismatch");
        // any of several reference identifiers will do (TLSA base domain, MX name, next-hop domain)
        assertThat(TlsaMatcher.verify(List.of(ta), LEAF.chain(), Set.of("example.com", "mx.example.com"), NOW).matched()).isTrue();
    }

    @Test
    void daneTaWildcardNamesMatchOneLabel() {
        TestCerts.Issued wild = TestCerts.leaf(CA, "wild", List.of("*.example.com"));
        TlsaRecord ta = rr(2, 0, 1, CA.cert());
        assertThat(TlsaMatcher.verify(List.of(ta), wild.chain(), Set.of("mx.example.com"), NOW).matched()).isTrue();
        assertThat(TlsaMatcher.verify(List.of(ta), wild.chain(), Set.of("a.mx.example.com"), NOW).matched()).isFalse();
        assertThat(TlsaMatcher.verify(List.of(ta), wild.chain(), Set.of("example.com"), NOW).matched()).isFalse();
        // no SAN: the CN is used
        TestCerts.Issued cnOnly = TestCerts.leaf(CA, "mx.example.com", List.of());
        assertThat(verify(List.of(ta), cnOnly.chain()).matched()).isTrue();
    }

    @Test
    void daneTaRequiresAValidChain() {
        TlsaRecord ta = rr(2, 0, 1, CA.cert());
        // a leaf signed by another CA, sent with our CA appended: the TA matches but the chain does not validate
        TestCerts.Issued otherCa = TestCerts.ca("Other CA");
        TestCerts.Issued forged = TestCerts.leaf(otherCa, "mx.example.com", List.of("mx.example.com"));
        DaneVerdict v = verify(List.of(ta), List.of(forged.cert(), CA.cert()));
        assertThat(v).isInstanceOf(Failed.class).extracting(x -> ((Failed) x).reason()).isEqualTo(Reason.CHAIN_INVALID);
        // expired leaf under a DANE-TA anchor
        TestCerts.Issued old = TestCerts.leaf(CA, "mx.example.com", List.of("mx.example.com"),
                TestCerts.NOW.minus(Duration.ofDays(100)), TestCerts.NOW.minus(Duration.ofDays(1)));
        DaneVerdict expired = verify(List.of(ta), old.chain());
        assertThat(expired).isInstanceOf(Failed.class).extracting(x -> ((Failed) x).reason()).isEqualTo(Reason.EXPIRED);
        // the TA is not in the presented chain (server sent only its leaf)
        assertThat(verify(List.of(ta), List.of(LEAF.cert()))).isInstanceOf(Failed.class)
                .extracting(x -> ((Failed) x).reason()).isEqualTo(Reason.NO_MATCH);
        // an intermediate that is not a CA cannot sit between leaf and TA
        TestCerts.Issued notCa = TestCerts.leaf(CA, "not-a-ca", List.of());
        TestCerts.Issued underNotCa = TestCerts.leaf(notCa, "mx.example.com", List.of("mx.example.com"));
        assertThat(verify(List.of(ta), underNotCa.chain())).isInstanceOf(Failed.class)
                .extracting(x -> ((Failed) x).reason()).isEqualTo(Reason.CHAIN_INVALID);
    }

    @Test
    void daneTaThroughAnIntermediate() {
        TestCerts.Issued root = TestCerts.ca("Root");
        TestCerts.Issued inter = TestCerts.leafCa(root, "Intermediate");
        TestCerts.Issued leaf = TestCerts.leaf(inter, "mx.example.com", List.of("mx.example.com"));
        // anchor at the root (depth 2) or at the intermediate (depth 1)
        TlsaRecord atRoot = rr(2, 1, 1, root.cert());
        assertThat(verify(List.of(atRoot), leaf.chain())).isEqualTo(new Matched(atRoot, 2));
        TlsaRecord atInter = rr(2, 0, 2, inter.cert());
        assertThat(verify(List.of(atInter), leaf.chain())).isEqualTo(new Matched(atInter, 1));
    }

    @Test
    void pkixUsagesAreUnusableForSmtp() {
        // RFC 7672 §3.1.3: PKIX-TA(0) and PKIX-EE(1) are not used, even when they would match
        List<TlsaRecord> pkix = List.of(rr(0, 0, 1, CA.cert()), rr(1, 1, 1, LEAF.cert()));
        DaneVerdict v = verify(pkix, LEAF.chain());
        assertThat(v).isInstanceOf(Failed.class).extracting(x -> ((Failed) x).reason()).isEqualTo(Reason.NO_USABLE_RECORDS);
        // mixed with a usable record, that one decides
        TlsaRecord ee = rr(3, 1, 1, LEAF.cert());
        assertThat(verify(List.of(pkix.get(0), pkix.get(1), ee), LEAF.chain())).isEqualTo(new Matched(ee, 0));
    }

    @Test
    void emptyChain() {
        assertThat(verify(List.of(rr(3, 1, 1, LEAF.cert())), List.of())).isInstanceOf(Failed.class)
                .extracting(x -> ((Failed) x).reason()).isEqualTo(Reason.NO_CERTIFICATE);
    }

    @Test
    void certificateNames() {
        assertThat(TlsaMatcher.certificateNames(LEAF.cert())).containsExactly("mx.example.com");
        assertThat(TlsaMatcher.certificateNames(TestCerts.leaf(CA, "cn.example", List.of()).cert())).containsExactly("cn.example");
    }
}
