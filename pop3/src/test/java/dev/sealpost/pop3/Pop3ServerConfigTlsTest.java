package dev.sealpost.pop3;

import dev.sealpost.core.tls.ServerTls;
import dev.sealpost.core.tls.TlsProfile;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** POP3 listeners: ALPN "pop3" always, any TLS profile but legacy (which is for the SMTP MX only). */
class Pop3ServerConfigTlsTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void intermediateWithAlpnPop3ByDefault() {
        Pop3ServerConfig c = Pop3ServerConfig.of(ANY, true, Pop3TestBase.SERVER_TLS, "pop.test");
        assertThat(c.tls().profile()).isEqualTo(TlsProfile.INTERMEDIATE);
        assertThat(c.tls().alpn()).containsExactly("pop3");
        assertThat(c.withTls(ServerTls.of(Pop3TestBase.SERVER_TLS, TlsProfile.MODERN)).tls().alpn()).containsExactly("pop3");
    }

    @Test
    void legacyIsRefused() {
        Pop3ServerConfig c = Pop3ServerConfig.of(ANY, true, Pop3TestBase.SERVER_TLS, "pop.test");
        assertThatThrownBy(() -> c.withTls(ServerTls.of(Pop3TestBase.SERVER_TLS, TlsProfile.LEGACY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("legacy");
    }
}
