package dev.sealpost.app.config;

import dev.sealpost.core.tls.TlsProfile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code tls.profile} and {@code tls.mx_profile}: defaults, overrides, and legacy refused off the MX. */
class TlsProfileConfigTest {
    private static final Path BASE = Path.of("/srv/sealpost");
    private static final String LISTENERS = """
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

    private static SealpostConfig parse(String tls) {
        return SealpostConfig.parse(LISTENERS + "[tls]\n" + tls, BASE);
    }

    @Test
    void intermediateEverywhereByDefault() {
        SealpostConfig c = SealpostConfig.parse(LISTENERS, BASE);
        assertThat(c.tls().profile()).isEqualTo(TlsProfile.INTERMEDIATE);
        assertThat(c.tls().mxProfile()).isEqualTo(TlsProfile.INTERMEDIATE);
    }

    @Test
    void shippedConfigSaysIntermediate() {
        SealpostConfig c = SealpostConfig.load(Path.of("../conf/sealpost.toml"));
        assertThat(c.tls().profile()).isEqualTo(TlsProfile.INTERMEDIATE);
        assertThat(c.tls().mxProfile()).isEqualTo(TlsProfile.INTERMEDIATE);
    }

    @Test
    void theMxProfileFollowsTheProfileUnlessSet() {
        assertThat(parse("profile = \"modern\"\n").tls().mxProfile()).isEqualTo(TlsProfile.MODERN);
        SealpostConfig c = parse("profile = \"modern\"\nmx_profile = \"legacy\"\n");
        assertThat(c.tls().profile()).isEqualTo(TlsProfile.MODERN);
        assertThat(c.tls().mxProfile()).isEqualTo(TlsProfile.LEGACY);
    }

    @Test
    void legacyOffTheMxListenerFailsStartUpNamingTheKey() {
        assertThatThrownBy(() -> parse("profile = \"legacy\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'tls.profile'").hasMessageContaining("only allowed for the MX listener");
    }

    @Test
    void unknownProfileNamesFailNamingTheKey() {
        assertThatThrownBy(() -> parse("profile = \"old\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'tls.profile'").hasMessageContaining("expected modern, intermediate or legacy");
        assertThatThrownBy(() -> parse("mx_profile = \"tls1\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'tls.mx_profile'");
    }
}
