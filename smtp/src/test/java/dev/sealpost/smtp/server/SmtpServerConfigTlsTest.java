package dev.sealpost.smtp.server;

import dev.sealpost.core.tls.ServerTls;
import dev.sealpost.core.tls.TlsProfile;
import dev.sealpost.testkit.TestTls;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The legacy TLS profile (CBC suites) is accepted on the MX listener only. */
class SmtpServerConfigTlsTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void legacyIsAcceptedOnTheMxOnly() throws Exception {
        ServerTls legacy = ServerTls.of(TestTls.server(), TlsProfile.LEGACY);
        SmtpServerConfig mx = new SmtpServerConfig("mx.test", ListenerKind.MX, ANY, legacy, List.of(), false, false,
                SmtpServerConfig.Limits.defaults());
        assertThat(mx.tls().profile()).isEqualTo(TlsProfile.LEGACY);
        for (ListenerKind k : List.of(ListenerKind.SUBMISSION, ListenerKind.SUBMISSIONS)) {
            assertThatThrownBy(() -> new SmtpServerConfig("smtp.test", k, ANY, legacy, List.of(), false, true,
                    SmtpServerConfig.Limits.defaults())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("legacy");
        }
    }

    @Test
    void theSslContextFactoriesUseIntermediate() throws Exception {
        assertThat(SmtpServerConfig.mx("mx.test", ANY, TestTls.server()).tls().profile()).isEqualTo(TlsProfile.INTERMEDIATE);
        assertThat(SmtpServerConfig.mx("mx.test", ANY, null).tls()).isNull();
    }
}
