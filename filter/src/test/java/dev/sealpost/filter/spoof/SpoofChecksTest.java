package dev.sealpost.filter.spoof;

import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.Hit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SpoofChecksTest {
    private static final PublicSuffixList PSL = PublicSuffixList.bundled();
    private static final LookalikeDomains DOMAINS = new LookalikeDomains(PSL, List.of("paypal.com", "example.com", "kartapuce.fr",
            "barclays.co.uk", "ab.com"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "paypa1.com|paypal.com",
            "p\u0430ypal.com|paypal.com", // Cyrillic а
            "xn--pypal-4ve.com|paypal.com", // the same in A-labels
            "paypal.com.evil.net|paypal.com",
            "secure-paypal.com.login.evil.net|paypal.com",
            "exmaple.com|example.com",
            "examp1e.com|example.com",
            "barc1ays.co.uk|barclays.co.uk",
            "mail.kartapuse.fr|kartapuce.fr",
            "rnicrosoft-example.com|-"})
    void lookalikes(String domain, String target) {
        var m = DOMAINS.match(domain);
        if (target.equals("-")) {
            assertThat(m).isEmpty();
        } else {
            assertThat(m).as(domain).isPresent();
            assertThat(m.get().target()).isEqualTo(target);
        }
    }

    @ParameterizedTest
    @CsvSource({"paypal.com", "www.paypal.com", "PAYPAL.COM.", "mail.example.com", "example.co.uk", "paypal.de", "google.com",
            "ac.com", "abc.com", "barclays.com", "kartapuce.com"})
    void notLookalikes(String domain) {
        assertThat(DOMAINS.match(domain)).as(domain).isEmpty();
    }

    @Test
    void mixedScriptWithoutProtectedTarget() {
        var m = DOMAINS.match("g\u043e\u043egle-docs.net"); // Cyrillic о о among Latin letters
        assertThat(m).isPresent();
        assertThat(m.get().target()).isNull();
        assertThat(m.get().reason()).contains("mixed scripts");
        assertThat(DOMAINS.match("пример.рф")).isEmpty(); // one script: not mixed
    }

    private static FilterInput mail(String from) {
        String m = "From: " + from + "\r\nTo: boss@kartapuce.fr\r\nSubject: urgent\r\n\r\nPlease pay.\r\n";
        return FilterInput.offline(m.getBytes(StandardCharsets.UTF_8));
    }

    private static final Protection PROTECTION = new Protection(Set.of("kartapuce.fr"),
            List.of(Protection.Person.parse("Jean Kartapuce <jean@kartapuce.fr>")), Set.of("partner@known.example"));

    @Test
    void displayNameSpoof() {
        DisplayNameCheck c = new DisplayNameCheck(PROTECTION, DOMAINS);
        List<Hit> vip = c.run(mail("\"CEO Kartapuce\" <ceo.kartapuce@gmail.com>"));
        assertThat(vip).extracting(Hit::name).containsExactly("display_name_spoof");
        assertThat(vip.get(0).detail()).contains("Jean Kartapuce").contains("ceo.kartapuce@gmail.com");
        assertThat(c.run(mail("Jean Kartapuce <jean.k@gmail.com>"))).hasSize(1);
        assertThat(c.run(mail("=?UTF-8?B?SmVhbiBLYXJ0YXB1Y2U=?= <x@evil.example>"))).hasSize(1); // RFC 2047 encoded name
        assertThat(c.run(mail("\"J\u0435an Kartapuce\" <x@evil.example>"))).hasSize(1); // Cyrillic е
        // the real person, another address in their domain, a known correspondent, someone else
        assertThat(c.run(mail("Jean Kartapuce <jean@kartapuce.fr>"))).isEmpty();
        assertThat(c.run(mail("Jean Kartapuce <jean@mail.kartapuce.fr>"))).isEmpty();
        PROTECTION.known();
        assertThat(new DisplayNameCheck(new Protection(Set.of(), PROTECTION.people(), Set.of("jean.k@gmail.com")), DOMAINS)
                .run(mail("Jean Kartapuce <jean.k@gmail.com>"))).isEmpty();
        assertThat(c.run(mail("Marie Curie <marie@lab.example>"))).isEmpty();
        // an address in the display name
        List<Hit> addr = c.run(mail("\"support@paypal.com\" <help@evil.example>"));
        assertThat(addr).hasSize(1);
        assertThat(addr.get(0).detail()).contains("support@paypal.com").contains("help@evil.example");
        assertThat(c.run(mail("\"help@evil.example\" <help@evil.example>"))).isEmpty();
        assertThat(c.run(mail("\"alerts@news.evil.example\" <help@evil.example>"))).isEmpty(); // same registrable domain
    }

    @Test
    void lookalikeDomainCheckOnSenders() {
        LookalikeDomainCheck c = new LookalikeDomainCheck(DOMAINS);
        List<Hit> hits = c.run(mail("PayPal <service@paypa1.com>"));
        assertThat(hits).extracting(Hit::name).containsExactly("lookalike_domain");
        assertThat(hits.get(0).weight()).isEqualTo(LookalikeDomainCheck.WEIGHT);
        assertThat(hits.get(0).detail()).contains("paypa1.com").contains("paypal.com");
        assertThat(c.run(mail("PayPal <service@paypal.com>"))).isEmpty();
        assertThat(c.run(mail("Someone <a@unrelated.example>"))).isEmpty();
    }
}
