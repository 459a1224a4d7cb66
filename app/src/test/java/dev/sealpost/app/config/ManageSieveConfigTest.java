package dev.sealpost.app.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code [managesieve]}: defaults, overrides, and TLS required for login. */
class ManageSieveConfigTest {
    private static final Path BASE = Path.of("/srv/sealpost");
    private static final String BASE_TOML = """
            [server]
            data_dir = "data"
            [tls]
            certificate = "cert.pem"
            private_key = "key.pem"
            [listeners]
            submission = ""
            submissions = ""
            imap = ""
            imaps = ""
            pop3 = ""
            pop3s = ""
            """;

    @Test
    void defaultsListenOn4190WithTheQuotas() {
        SealpostConfig.ManageSieve m = SealpostConfig.parse(BASE_TOML, BASE).managesieve();
        assertThat(m.listen()).get().extracting(a -> a.getPort()).isEqualTo(4190);
        assertThat(m.allowAuthWithoutTls()).isFalse();
        assertThat(m.maxScripts()).isEqualTo(100);
        assertThat(m.maxScriptSize()).isEqualTo(1024 * 1024);
        assertThat(m.deadline().perCommand()).isEqualTo(Duration.ofMinutes(5));
        assertThat(m.connections().maxConnectionsPerIp()).isEqualTo(50);
    }

    @Test
    void overridesAndDisabling() {
        SealpostConfig.ManageSieve m = SealpostConfig.parse(BASE_TOML + """
                [managesieve]
                listen = "127.0.0.1:2190"
                max_scripts = 5
                max_script_size = 65536
                max_connections_per_ip = 3
                exempt_networks = ["10.0.0.0/8"]
                """, BASE).managesieve();
        assertThat(m.listen()).get().extracting(a -> a.getPort()).isEqualTo(2190);
        assertThat(m.maxScripts()).isEqualTo(5);
        assertThat(m.maxScriptSize()).isEqualTo(65536);
        assertThat(m.connections().maxConnectionsPerIp()).isEqualTo(3);
        assertThat(SealpostConfig.parse(BASE_TOML + "[managesieve]\nenabled = false\n", BASE).managesieve().listen()).isEmpty();
    }

    @Test
    void badValuesAndMissingTlsNameTheKey() {
        assertThatThrownBy(() -> SealpostConfig.parse(BASE_TOML + "[managesieve]\nmax_scripts = -1\n", BASE))
                .hasMessageContaining("managesieve.max_scripts");
        assertThatThrownBy(() -> SealpostConfig.parse(BASE_TOML + "[managesieve]\nlisten = \"nowhere\"\n", BASE))
                .hasMessageContaining("managesieve.listen");
        String noTls = BASE_TOML.replace("[tls]\ncertificate = \"cert.pem\"\nprivate_key = \"key.pem\"\n", "");
        // without a certificate ManageSieve is off unless asked for; asked for, the missing certificate is named
        assertThat(SealpostConfig.parse(noTls, BASE).managesieve().listen()).isEmpty();
        assertThatThrownBy(() -> SealpostConfig.parse(noTls + "[managesieve]\nenabled = true\n", BASE))
                .hasMessageContaining("tls.certificate").hasMessageContaining("managesieve");
        assertThat(SealpostConfig.parse(noTls + "[managesieve]\nenabled = true\nallow_plaintext_auth = true\n", BASE).managesieve().listen()).isPresent();
    }
}
