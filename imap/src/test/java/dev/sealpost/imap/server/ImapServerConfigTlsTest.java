package dev.sealpost.imap.server;

import dev.sealpost.core.tls.ServerTls;
import dev.sealpost.core.tls.TlsProfile;
import dev.sealpost.testkit.TestCerts;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IMAP listeners: ALPN "imap" always, any TLS profile but legacy (which is for the SMTP MX only). */
class ImapServerConfigTlsTest {
    private static final SSLContext CONTEXT = TestCerts.selfSigned("localhost", List.of("localhost")).serverContext();
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void intermediateWithAlpnImapByDefaultAndModernOnRequest() {
        ImapServerConfig c = ImapServerConfig.of(ANY, true, CONTEXT, "imap.test");
        assertThat(c.tls().profile()).isEqualTo(TlsProfile.INTERMEDIATE);
        assertThat(c.tls().alpn()).containsExactly("imap");
        ImapServerConfig modern = c.withTls(ServerTls.of(CONTEXT, TlsProfile.MODERN));
        assertThat(modern.tls().enabledProtocols()).containsExactly("TLSv1.3");
        assertThat(modern.tls().alpn()).containsExactly("imap");
    }

    @Test
    void legacyIsRefused() {
        ImapServerConfig c = ImapServerConfig.of(ANY, true, CONTEXT, "imap.test");
        assertThatThrownBy(() -> c.withTls(ServerTls.of(CONTEXT, TlsProfile.LEGACY)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("legacy");
    }
}
