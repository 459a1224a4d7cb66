package dev.sealpost.app.config;

import dev.sealpost.core.net.Cidr;
import dev.sealpost.core.net.ConnectionLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code <section>.max_connections_per_ip}, {@code connection_rate_per_ip}, {@code max_connections}, {@code exempt_networks}. */
class ConnectionLimitsConfigTest {
    private static final Path BASE = Path.of("/srv/sealpost");
    private static final String MINIMAL = """
            [server]
            data_dir = "data"
            [listeners]
            submission = ""
            submissions = ""
            imap = ""
            imaps = ""
            pop3 = ""
            pop3s = ""
            [managesieve]
            enabled = false
            """;

    @Test
    void defaultsComeFromConnectionLimitsAndTheSampleDocumentsThem() {
        SealpostConfig c = SealpostConfig.parse(MINIMAL, BASE);
        assertThat(List.of(c.smtp().connections(), c.imap().connections(), c.pop3().connections()))
                .containsOnly(ConnectionLimits.defaults());
        assertThat(ConnectionLimits.defaults()).isEqualTo(new ConnectionLimits(50, 0, 5000, List.of()));
        // the shipped sample shows each key with its default value
        SealpostConfig sample = SealpostConfig.load(Path.of("../conf/sealpost.toml"));
        assertThat(List.of(sample.smtp().connections(), sample.imap().connections(), sample.pop3().connections()))
                .containsOnly(ConnectionLimits.defaults());
    }

    @ParameterizedTest
    @ValueSource(strings = {"smtp", "imap", "pop3"})
    void eachSectionSetsItsOwnListenersLimits(String section) {
        SealpostConfig c = SealpostConfig.parse(MINIMAL + "[" + section + "]\n"
                + "max_connections_per_ip = 7\nconnection_rate_per_ip = 30\nmax_connections = 0\n"
                + "exempt_networks = [\"10.0.0.0/8\", \"2001:db8::/32\", \"127.0.0.1\"]\n", BASE);
        ConnectionLimits l = switch (section) {
            case "smtp" -> c.smtp().connections();
            case "imap" -> c.imap().connections();
            default -> c.pop3().connections();
        };
        assertThat(l).isEqualTo(new ConnectionLimits(7, 30, 0, List.of(Cidr.parse("10.0.0.0/8").orElseThrow(),
                Cidr.parse("2001:db8::/32").orElseThrow(), Cidr.parse("127.0.0.1/32").orElseThrow())));
        assertThat(l.exempt(java.net.InetAddress.ofLiteral("127.0.0.1"))).isTrue();
        assertThat(l.exempt(java.net.InetAddress.ofLiteral("127.0.0.2"))).isFalse();
        // the other sections keep the defaults
        assertThat(List.of(c.smtp().connections(), c.imap().connections(), c.pop3().connections()))
                .filteredOn(x -> x.equals(ConnectionLimits.defaults())).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"smtp", "imap", "pop3"})
    void badValuesFailStartUpNamingTheKey(String section) {
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[" + section + "]\nmax_connections_per_ip = -1\n", BASE))
                .hasMessageContaining(section + ".max_connections_per_ip");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[" + section + "]\nconnection_rate_per_ip = \"fast\"\n", BASE))
                .hasMessageContaining(section + ".connection_rate_per_ip");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[" + section + "]\nmax_connections = 2000000\n", BASE))
                .hasMessageContaining(section + ".max_connections");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[" + section + "]\nexempt_networks = [\"localhost\"]\n", BASE))
                .hasMessageContaining(section + ".exempt_networks").hasMessageContaining("localhost");
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[" + section + "]\nexempt_networks = [\"10.0.0.0/33\"]\n", BASE))
                .hasMessageContaining(section + ".exempt_networks");
    }

    @ParameterizedTest
    @ValueSource(strings = {"smtp", "imap", "pop3", "managesieve"})
    void ipv6PrefixLengthPerSection(String section) {
        SealpostConfig c = SealpostConfig.parse(with(section, "ipv6_prefix_length = 56"), BASE);
        List<ConnectionLimits> all = List.of(c.smtp().connections(), c.imap().connections(), c.pop3().connections(),
                c.managesieve().connections());
        assertThat(all).filteredOn(l -> l.ipv6PrefixLength() == 56).hasSize(1);
        assertThat(all).filteredOn(l -> l.ipv6PrefixLength() == 64).hasSize(3); // the default elsewhere
        assertThatThrownBy(() -> SealpostConfig.parse(with(section, "ipv6_prefix_length = 8"), BASE))
                .hasMessageContaining(section + ".ipv6_prefix_length");
    }

    /** MINIMAL with one key in a section (MINIMAL has a [managesieve] table already). */
    private static String with(String section, String line) {
        if (MINIMAL.contains("[" + section + "]\n")) return MINIMAL.replace("[" + section + "]\n", "[" + section + "]\n" + line + "\n");
        return MINIMAL + "[" + section + "]\n" + line + "\n";
    }
}
