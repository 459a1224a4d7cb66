package dev.sealpost.web;

import dev.sealpost.core.metrics.Meters;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsEndpointTest {
    @Test
    void loopbackAlwaysRemoteOnlyWithTheExactBearerToken() throws Exception {
        InetAddress remote = InetAddress.getByName("192.0.2.7");
        try (MetricsEndpoint open = new MetricsEndpoint("");
             MetricsEndpoint tokened = new MetricsEndpoint("s3cret-token-0123456789")) {
            assertThat(open.allowed(InetAddress.getLoopbackAddress(), null)).isTrue();
            assertThat(open.allowed(InetAddress.getByName("::1"), null)).isTrue();
            assertThat(open.allowed(remote, null)).isFalse();
            assertThat(open.allowed(remote, "Bearer ")).isFalse();
            assertThat(tokened.allowed(remote, "Bearer s3cret-token-0123456789")).isTrue();
            assertThat(tokened.allowed(remote, "bearer s3cret-token-0123456789")).isTrue(); // RFC 9110 §11.1: scheme is case-insensitive
            assertThat(tokened.allowed(remote, "Bearer s3cret-token-012345678")).isFalse();
            assertThat(tokened.allowed(remote, "Basic czNjcmV0")).isFalse();
            assertThat(tokened.allowed(remote, null)).isFalse();
        }
    }

    @Test
    void globalMetersAppearInTheScrapeWithPrometheusNames() {
        try (MetricsEndpoint m = new MetricsEndpoint(null)) {
            Meters.count(Meters.MESSAGES_ACCEPTED, "test", "listener", "mx");
            String text = m.scrape();
            assertThat(text).contains("# TYPE sealpost_messages_accepted_total counter")
                    .containsPattern("sealpost_messages_accepted_total\\{listener=\"mx\"\\} [1-9]");
        }
    }
}
