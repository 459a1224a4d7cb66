package dev.sealpost.app.config;

import dev.sealpost.app.SealpostServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code web.max_requests_in_flight}: default, value carried to the web module, a bad value names the key. */
class WebOverloadConfigTest {
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
    void defaultValueAndBadValue() {
        SealpostConfig d = SealpostConfig.parse(MINIMAL, BASE);
        assertThat(d.web().maxRequestsInFlight()).isEqualTo(256);
        assertThat(SealpostServer.webConfig(d).maxInFlight()).isEqualTo(256);
        SealpostConfig c = SealpostConfig.parse(MINIMAL + "[web]\nmax_requests_in_flight = 12\n", BASE);
        assertThat(SealpostServer.webConfig(c).maxInFlight()).isEqualTo(12);
        assertThatThrownBy(() -> SealpostConfig.parse(MINIMAL + "[web]\nmax_requests_in_flight = 0\n", BASE))
                .hasMessageContaining("web.max_requests_in_flight");
    }
}
