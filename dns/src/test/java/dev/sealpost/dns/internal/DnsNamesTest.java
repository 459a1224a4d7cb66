package dev.sealpost.dns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class DnsNamesTest {
    @Test
    void parsesWithOrWithoutTrailingDotInLowerCase() {
        assertThat(DnsNames.parse("Mail.Example.COM")).contains(Name.fromConstantString("mail.example.com."));
        assertThat(DnsNames.parse("mail.example.com.")).contains(Name.fromConstantString("mail.example.com."));
        assertThat(DnsNames.parse(".")).contains(Name.root);
    }

    @Test
    void rejectsNamesThatCannotExist() {
        assertThat(DnsNames.parse("")).isEmpty();
        assertThat(DnsNames.parse("a..b")).isEmpty();
        assertThat(DnsNames.parse(".a")).isEmpty();
        assertThat(DnsNames.parse("a".repeat(64) + ".com")).isEmpty();
        assertThat(DnsNames.parse("a".repeat(63) + ".com")).isPresent();
        String label = "a".repeat(63);
        String max = label + "." + label + "." + label + "." + "a".repeat(61); // 253 characters = 255 octets on the wire
        assertThat(DnsNames.parse(max)).isPresent();
        assertThat(DnsNames.parse(max + "a")).isEmpty();
    }

    @Test
    void backslashesAreLiteralNotEscapes() {
        Name n = DnsNames.parse("a\\046b.example").orElseThrow();
        assertThat(n.labels()).isEqualTo(3);
        assertThat(n.getLabel(0)).hasSize(7);
    }

    @Test
    void textFormDropsTheTrailingDot() {
        assertThat(DnsNames.toText(Name.fromConstantString("mx.example.org."))).isEqualTo("mx.example.org");
        assertThat(DnsNames.toText(Name.root)).isEmpty();
    }
}
