package dev.sealpost.smtp.client;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** Small pieces: the DATA encoder, the certificate name match, the SCRAM client. */
class ClientPartsTest {
    static String encode(DataEncoder.Mode mode, String... writes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataEncoder e = new DataEncoder(out, mode);
        for (String w : writes) e.write(w.getBytes(StandardCharsets.ISO_8859_1));
        e.finish();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void dataEncoding() throws Exception {
        assertThat(encode(DataEncoder.Mode.DATA)).isEqualTo(".\r\n");
        assertThat(encode(DataEncoder.Mode.DATA, ".")).isEqualTo("..\r\n.\r\n");
        assertThat(encode(DataEncoder.Mode.DATA, "a\r", "\n.b\r", "\r\n")).isEqualTo("a\r\n..b\r\n\r\n.\r\n");
        assertThat(encode(DataEncoder.Mode.DATA, "x\n\n.\r")).isEqualTo("x\r\n\r\n..\r\n.\r\n");
        assertThat(encode(DataEncoder.Mode.DATA, "mid.dle\r\n")).isEqualTo("mid.dle\r\n.\r\n");
        assertThat(encode(DataEncoder.Mode.CHUNKS, ".a\nb")).isEqualTo(".a\r\nb\r\n");
        assertThat(encode(DataEncoder.Mode.BINARY, ".a\nb\r")).isEqualTo(".a\nb\r");
    }

    @Test
    void certificateNameMatching() {
        assertThat(CertificateNames.dnsMatch("mx.example.org", "mx.example.org")).isTrue();
        assertThat(CertificateNames.dnsMatch("MX.Example.org.", "mx.example.org")).isTrue();
        assertThat(CertificateNames.dnsMatch("*.example.org", "mx.example.org")).isTrue();
        assertThat(CertificateNames.dnsMatch("*.example.org", "a.mx.example.org")).isFalse();
        assertThat(CertificateNames.dnsMatch("*.example.org", "example.org")).isFalse();
        assertThat(CertificateNames.dnsMatch("*.org", "example.org")).isFalse();
        assertThat(CertificateNames.dnsMatch("m*.example.org", "mx.example.org")).isFalse();
        assertThat(CertificateNames.dnsMatch("mx.example.org", "mx.example.com")).isFalse();
    }

    /** RFC 7677 §3 example exchange. */
    @Test
    void scramRfc7677Vector() throws Exception {
        ScramClient c = new ScramClient("user", "pencil".toCharArray(), "rOprNGfwEbeRWgbNEkqO");
        assertThat(new String(c.clientFirst(), StandardCharsets.UTF_8)).isEqualTo("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        byte[] fin = c.clientFinal(("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(new String(fin, StandardCharsets.UTF_8)).isEqualTo(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
        assertThat(c.verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(c.verifyServerFinal("v=AAAA".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void scramRefusesBadServerFirstMessages() {
        String salt = Base64.getEncoder().encodeToString(new byte[16]);
        for (String bad : new String[]{"r=other,s=" + salt + ",i=4096", "r=abc,s=" + salt + ",i=4096", "r=abcX,s=" + salt + ",i=100",
                "r=abcX,s=" + salt + ",i=99999999", "m=ext,r=abcX,s=" + salt + ",i=4096", "r=abcX,i=4096", "r=abcX,s=!!,i=4096"}) {
            ScramClient c = new ScramClient("u", "p".toCharArray(), "abc");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.clientFinal(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad).isInstanceOf(ScramClient.ScramException.class);
        }
    }
}
