package dev.sealpost.inbound;

import dev.sealpost.dns.ZoneResolver;
import dev.sealpost.filter.net.DnsblCheck;
import dev.sealpost.filter.net.DnsxlLookup;
import dev.sealpost.filter.net.DnsxlZone;
import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.SessionInfo;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DNS lists on the client at MAIL FROM: reject or score, allow lists, and who is never looked up. */
class ClientChecksTest {
    static final String ZONE = """
            $ORIGIN lists.test.
            2.0.0.127.bl A 127.0.0.2
            2.0.0.127.bl TXT "listed for a test"
            2.0.0.127.wl A 127.0.10.2
            """;

    static SessionInfo session(ListenerKind kind, String ip, String user) {
        return new SessionInfo() {
            public String sessionId() { return "c1"; }
            public ListenerKind kind() { return kind; }
            public InetSocketAddress remote() { return new InetSocketAddress(ip, 40000); }
            public InetSocketAddress local() { return new InetSocketAddress("127.0.0.1", 25); }
            public String helo() { return "client.test"; }
            public boolean extended() { return true; }
            public boolean tls() { return false; }
            public String tlsDescription() { return null; }
            public String authenticatedUser() { return user; }
            public String serverName() { return "mx.example.test"; }
        };
    }

    static ClientChecks checks(boolean reject, List<DnsxlZone> zones) throws Exception {
        DnsxlLookup lookup = new DnsxlLookup(ZoneResolver.fromMasterText(ZONE, "lists.test."));
        return new ClientChecks(new DnsblCheck(lookup, zones), zones, reject, null);
    }

    static final DnsxlZone BL = DnsxlZone.of("bl.lists.test", DnsxlZone.Kind.IP_BLOCK, 5);
    static final DnsxlZone WL = DnsxlZone.of("wl.lists.test", DnsxlZone.Kind.IP_ALLOW, -5);

    @Test
    void rejectPolicyRefusesWith554NamingTheListAndItsReason() throws Exception {
        assertThatThrownBy(() -> checks(true, List.of(BL)).atMail(session(ListenerKind.MX, "127.0.0.2", null)))
                .isInstanceOf(SmtpRejection.class)
                .hasMessageContaining("554").hasMessageContaining("5.7.1")
                .hasMessageContaining("Client host [127.0.0.2] blocked using bl.lists.test; listed for a test");
    }

    @Test
    void scorePolicyKeepsTheHitsAndAllowListsAreNotRefusals() throws Exception {
        ClientChecks.ClientHits hits = checks(false, List.of(BL, WL)).atMail(session(ListenerKind.MX, "127.0.0.2", null));
        assertThat(hits.hits()).extracting(h -> h.name() + " " + h.weight())
                .containsExactlyInAnyOrder("dnsbl_bl_lists_test 5.0", "dnswl_wl_lists_test -5.0");
        assertThat(hits.allowListed()).isTrue();
        // an allow list alone never refuses, even under the reject policy
        ClientChecks.ClientHits wl = checks(true, List.of(WL)).atMail(session(ListenerKind.MX, "127.0.0.2", null));
        assertThat(wl.allowListed()).isTrue();
    }

    @Test
    void submissionAuthenticatedAndUnlistedClientsAreNotChecked() throws Exception {
        ClientChecks c = checks(true, List.of(BL));
        assertThat(c.atMail(session(ListenerKind.SUBMISSION, "127.0.0.2", "ana@example.test")).hits()).isEmpty();
        assertThat(c.atMail(session(ListenerKind.MX, "127.0.0.2", "ana@example.test")).hits()).isEmpty();
        assertThat(c.atMail(session(ListenerKind.MX, "127.0.0.1", null)).hits()).as("loopback is never sent to the lists").isEmpty();
        assertThat(new ClientChecks(null, List.of(), true, null).active()).isFalse();
    }

    @Test
    void greylistingDefersNewTripletsButNeverThePostmasterOrAnAllowListedClient() throws Exception {
        java.util.List<String> seen = new java.util.ArrayList<>();
        dev.sealpost.store.Greylist store = new dev.sealpost.store.Greylist() {
            public Entry seen(String network, String sender, String recipient, java.time.Instant now, java.time.Instant pendingExpiry) {
                seen.add(network + " " + sender + " " + recipient);
                return new Entry(network, sender, recipient, now, null, pendingExpiry, 1);
            }
            public void passed(String network, String sender, String recipient, java.time.Instant now, java.time.Instant expiresAt) { }
            public java.util.Optional<Entry> find(String network, String sender, String recipient) { return java.util.Optional.empty(); }
            public int purge(java.time.Instant now) { return 0; }
        };
        dev.sealpost.filter.net.Greylister g = new dev.sealpost.filter.net.Greylister(store, java.time.Clock.systemUTC(),
                dev.sealpost.filter.net.Greylister.Settings.defaults(), dev.sealpost.filter.net.Greylister.AllowList.NONE,
                dev.sealpost.filter.net.Greylister.SenderHistory.NONE);
        ClientChecks c = new ClientChecks(null, List.of(), true, g);
        assertThat(c.active()).isTrue();
        var tx = new dev.sealpost.smtp.server.MailTransaction(dev.sealpost.core.mail.EmailAddress.parse("news@sender.test").orElseThrow(),
                null, false, false, -1, null, null, List.of());
        SessionInfo mx = session(ListenerKind.MX, "198.51.100.7", null);
        assertThatThrownBy(() -> c.atRcpt(mx, tx, "ana@example.test", new ClientChecks.ClientHits(List.of())))
                .isInstanceOf(SmtpRejection.class).hasMessage("451 4.7.1 Greylisted, please try again in 300 seconds");
        assertThat(seen).containsExactly("198.51.100.0/24 news@sender.test ana@example.test");
        c.atRcpt(mx, tx, "PostMaster@example.test", new ClientChecks.ClientHits(List.of()));
        c.atRcpt(mx, tx, "ana@example.test", new ClientChecks.ClientHits(List.of(new dev.sealpost.filter.Hit("dnswl_wl_lists_test", -5, "x"))));
        c.atRcpt(session(ListenerKind.SUBMISSION, "198.51.100.7", "ana@example.test"), tx, "ben@example.test", null);
        assertThat(seen).hasSize(1);
    }
}
