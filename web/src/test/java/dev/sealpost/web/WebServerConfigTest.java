package dev.sealpost.web;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebServerConfigTest {
    @Test
    void defaults() {
        WebServerConfig c = WebServerConfig.defaults("MX.Example.Test.");
        assertThat(c.hostname()).isEqualTo("mx.example.test");
        assertThat(c.mtaStsMode()).isEqualTo(WebServerConfig.MtaStsMode.TESTING);
        assertThat(c.mtaStsMx()).containsExactly("mx.example.test");
        assertThat(c.mtaStsMaxAge()).isEqualTo(604_800);
        assertThat(c.clients()).isEqualTo(new WebServerConfig.ClientEndpoints("mx.example.test", 993, 143, 995, 465, 587, 4190));
        assertThat(WebServer.policyText(c)).isEqualTo("version: STSv1\r\nmode: testing\r\nmx: mx.example.test\r\nmax_age: 604800\r\n");
    }

    @Test
    void mxPatternsAreCheckedAndNormalised() {
        WebServerConfig c = WebServerConfig.defaults("mx.example.test")
                .withMtaSts(WebServerConfig.MtaStsMode.ENFORCE, List.of(" *.Example.NET ", "bücher.example"), 0);
        assertThat(c.mtaStsMx()).containsExactly("*.example.net", "xn--bcher-kva.example");
        // a pattern given twice is written once (found by WebFuzzTest: our parser folds repeated mx lines)
        assertThat(c.withMtaSts(WebServerConfig.MtaStsMode.ENFORCE, List.of("a.example", "A.example.", "b.example"), 1).mtaStsMx())
                .containsExactly("a.example", "b.example");
        for (String bad : List.of("*", "*.", "a.*.example", "mx..example", "-mx.example", "mx example", "[127.0.0.1]")) {
            assertThatThrownBy(() -> WebServerConfig.defaults("mx.example.test").withMtaSts(WebServerConfig.MtaStsMode.ENFORCE, List.of(bad), 1))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void limits() {
        WebServerConfig d = WebServerConfig.defaults("mx.example.test");
        assertThatThrownBy(() -> d.withMtaSts(WebServerConfig.MtaStsMode.NONE, List.of(), 31_557_601)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMtaSts(WebServerConfig.MtaStsMode.NONE, List.of(), -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withHttps(new InetSocketAddress(0), null)).hasMessageContaining("SSLContext");
        assertThatThrownBy(() -> WebServerConfig.defaults("not a host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withClients(new WebServerConfig.ClientEndpoints("mx.example.test", 70000, 0, 0, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void modeTokens() {
        assertThat(WebServerConfig.MtaStsMode.of("Enforce")).contains(WebServerConfig.MtaStsMode.ENFORCE);
        assertThat(WebServerConfig.MtaStsMode.of("none")).contains(WebServerConfig.MtaStsMode.NONE);
        assertThat(WebServerConfig.MtaStsMode.of("strict")).isEmpty();
        assertThat(WebServerConfig.MtaStsMode.TESTING.token()).isEqualTo("testing");
    }

    @Test
    void policyIdChangesExactlyWithThePolicy() {
        WebServerConfig a = WebServerConfig.defaults("mx.example.test");
        String id = WebServer.policyId(WebServer.policyText(a));
        // RFC 8461 §3.1: sts-id = 1*32(ALPHA / DIGIT)
        assertThat(id).matches("[a-z0-9]{1,32}");
        assertThat(WebServer.policyId(WebServer.policyText(WebServerConfig.defaults("mx.example.test")))).isEqualTo(id);
        assertThat(WebServer.policyId(WebServer.policyText(a.withMtaSts(WebServerConfig.MtaStsMode.ENFORCE, List.of(), 604_800)))).isNotEqualTo(id);
        assertThat(WebServer.policyId(WebServer.policyText(a.withMtaSts(WebServerConfig.MtaStsMode.TESTING, List.of(), 86_400)))).isNotEqualTo(id);
        assertThat(WebServer.policyId(WebServer.policyText(WebServerConfig.defaults("mx2.example.test")))).isNotEqualTo(id);
    }

    @Test
    void hostNames() {
        assertThat(WebServer.hostName("MTA-STS.Example.Test:8443")).contains("mta-sts.example.test");
        assertThat(WebServer.hostName("mta-sts.example.test.")).contains("mta-sts.example.test");
        assertThat(WebServer.hostName("127.0.0.1:80")).isEmpty();
        assertThat(WebServer.hostName("[::1]:443")).isEmpty();
        assertThat(WebServer.hostName("a b")).isEmpty();
        assertThat(WebServer.hostName("host:port")).isEmpty();
        assertThat(WebServer.hostName("")).isEmpty();
    }

    @Test
    void xmlEscape() {
        assertThat(Autoconfig.escape("a<b>&\"'\u0001")).isEqualTo("a&lt;b&gt;&amp;&quot;&apos;?");
    }

    @Test
    void queryParameter() {
        assertThat(WebServer.queryParameter("a=1&EmailAddress=x%40y.test&emailaddress=z", "emailaddress")).isEqualTo("x@y.test");
        assertThat(WebServer.queryParameter("a=1", "emailaddress")).isNull();
        assertThatThrownBy(() -> WebServer.queryParameter("emailaddress=%g0", "emailaddress")).isInstanceOf(IllegalArgumentException.class);
        assertThat(WebServer.queryParameter("emailaddress", "emailaddress")).isEmpty();
    }
}
