package dev.sealpost.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class DnsSettingsTest {
    @Test
    void parsesServerAddresses() throws Exception {
        assertThat(DnsSettings.parseServer("192.0.2.53")).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.53"), 53));
        assertThat(DnsSettings.parseServer("127.0.0.1:5353")).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5353));
        assertThat(DnsSettings.parseServer("2001:db8::53")).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::53"), 53));
        assertThat(DnsSettings.parseServer("[::1]:5300")).isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 5300));
    }

    @Test
    void refusesHostNamesAndBadPorts() {
        for (String bad : new String[] {"dns.example", "192.0.2.53:0", "192.0.2.53:70000", "[::1", "[::1]5300", "1.2.3:53", ""}) {
            assertThatThrownBy(() -> DnsSettings.parseServer(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
