package dev.sealpost.app.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TlsFilesTest {
    @TempDir
    Path dir;

    @Test
    void selfSignedCertificateHasTheDemoNamesAndLoadsIntoAnSslContext() throws Exception {
        Path cert = dir.resolve("tls/cert.pem"), key = dir.resolve("tls/key.pem");
        TlsFiles.writeSelfSigned(cert, key, "localhost", List.of("localhost", "127.0.0.1"), List.of("127.0.0.1"));
        X509Certificate x;
        try (InputStream in = Files.newInputStream(cert)) {
            x = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        // type 2 = dNSName, 7 = iPAddress (RFC 5280 §4.2.1.6)
        assertThat(x.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(2, "127.0.0.1"), List.of(7, "127.0.0.1"));
        x.checkValidity();
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        var ctx = TlsFiles.serverContext(cert, key);
        assertThat(ctx.getProtocol()).isEqualTo("TLS");
        assertThat(ctx.createSSLEngine().getSupportedProtocols()).contains("TLSv1.3");
    }

    @Test
    void aFileWithoutACertificateIsAConfigError() throws Exception {
        Path cert = dir.resolve("empty.pem");
        Files.writeString(cert, "nothing here\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TlsFiles.serverContext(cert, cert))
                .hasMessageContaining("key 'tls.certificate': no PEM certificate");
    }
}
