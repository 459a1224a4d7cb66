package dev.sealpost.inbound;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.filter.FilterSettings;
import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.store.FilterMark;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import dev.sealpost.store.internal.JdbcStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The MX filter policy alone: fields added and removed, verdicts turned into replies and delivery requests. */
class FilterPolicyTest {
    @TempDir
    Path dir;
    Store store;
    long bob;

    @BeforeEach
    void open() {
        store = JdbcStore.open(new StoreConfig(dir, null, null, null, Clock.systemUTC()), pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.test");
        bob = store.directory().addAccount("bob@example.test", "pw".toCharArray()).id();
    }

    @AfterEach
    void close() {
        store.close();
    }

    FilterPolicy policy(boolean enabled, Map<String, Double> weights) {
        FilterSettings d = FilterSettings.defaults();
        return new FilterPolicy(store, new FilterPolicy.Settings(enabled, new FilterSettings(15, 6, weights, d.actions()),
                List.of("paypal.com"), List.of()), Clock.systemUTC());
    }

    static final MailTransaction TX = new MailTransaction(EmailAddress.parse("x@paypa1.com").orElseThrow(), null, false, false, -1,
            null, null, List.of(new MailTransaction.Recipient(EmailAddress.parse("bob@example.test").orElseThrow(), List.of(), null)));

    /** Records what the policy asked of the content. */
    static class Content implements MessageContent {
        final byte[] bytes;
        final List<String> folders = new ArrayList<>();
        boolean later;

        Content(String text) {
            bytes = text.getBytes(StandardCharsets.UTF_8);
        }

        public long size() { return bytes.length; }
        public InputStream open() { return new ByteArrayInputStream(bytes); }
        @Override public void fileInto(String specialUse) { folders.add(specialUse); }
        @Override public void deliverLater() { later = true; }
    }

    static final String LOOKALIKE = "From: PayPal <service@paypa1.com>\r\nSubject: limited\r\n\r\nSign in now.\r\n";

    @Test
    void lookalikeIsJunkWithPhishingAndTheFields() throws Exception {
        Content c = new Content(LOOKALIKE);
        List<String> fields = policy(true, Map.of()).apply(DkimSigningPolicyTest.session(ListenerKind.MX, null), TX, c);
        assertThat(fields.get(0)).startsWith("X-Spam-Status: Yes, score=6.0 required=6.0 tests=lookalike_domain\r\n");
        assertThat(fields.get(1)).isEqualTo("X-Spam-Flag: YES\r\n");
        FilterMark m = FilterMark.parse(fields.get(2).substring(FilterMark.FIELD.length() + 1)).orElseThrow();
        assertThat(m.junk()).isTrue();
        assertThat(m.phishing()).isTrue();
        assertThat(m.hits()).startsWith("lookalike_domain 6.0 paypa1.com");
        assertThat(c.folders).containsExactly("\\Junk");
        assertThat(c.later).as("$Phishing is set by local delivery").isTrue();
        assertThat(store.mailboxes().list(bob)).anyMatch(b -> "\\Junk".equals(b.specialUse()));
    }

    @Test
    void aWeightOverrideToTheRejectScoreRefusesNamingTheCheck() {
        Content c = new Content(LOOKALIKE);
        assertThatThrownBy(() -> policy(true, Map.of("lookalike_domain", 20.0)).apply(DkimSigningPolicyTest.session(ListenerKind.MX, null), TX, c))
                .isInstanceOfSatisfying(SmtpRejection.class, r -> {
                    assertThat(r.reply().toString()).contains("550").contains("5.7.1").contains("score 20.0").contains("lookalike_domain");
                });
    }

    @Test
    void submissionAndDisabledAreNotFilteredButForeignVerdictFieldsAreRemoved() throws Exception {
        Content c = new Content(LOOKALIKE);
        assertThat(policy(true, Map.of()).apply(DkimSigningPolicyTest.session(ListenerKind.SUBMISSION, "bob@example.test"), TX, c)).isEmpty();
        assertThat(policy(false, Map.of()).apply(DkimSigningPolicyTest.session(ListenerKind.MX, null), TX, c)).isEmpty();
        assertThat(c.folders).isEmpty();
        FilterPolicy off = policy(false, Map.of());
        var mx = DkimSigningPolicyTest.session(ListenerKind.MX, null);
        var sub = DkimSigningPolicyTest.session(ListenerKind.SUBMISSION, "bob@example.test");
        assertThat(off.removeHeader(mx, "x-sealpost-filter", "inbox")).isTrue();
        assertThat(off.removeHeader(sub, "X-Sealpost-Filter", "quarantine")).isTrue();
        assertThat(off.removeHeader(mx, "X-Spam-Status", "No")).isTrue();
        assertThat(off.removeHeader(mx, "X-Spam-Flag", "YES")).isTrue();
        assertThat(off.removeHeader(sub, "X-Spam-Status", "No")).isFalse();
        assertThat(off.removeHeader(mx, "Subject", "x")).isFalse();
    }

    static dev.sealpost.filter.net.MalwareCheck scanner(dev.sealpost.filter.net.ScanResult result) {
        return new dev.sealpost.filter.net.MalwareCheck(new dev.sealpost.filter.net.MalwareScanner() {
            public dev.sealpost.filter.net.ScanResult scan(byte[] data) { return result; }
            public long maxBytes() { return 1 << 20; }
        }, dev.sealpost.filter.net.MalwareCheck.Settings.defaults());
    }

    static final String EXE = "From: bob@example.test\r\nTo: x@remote.test\r\nSubject: tool\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhere\r\n"
            + "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"run.exe\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n--b--\r\n";

    @Test
    void malwareIs554WithTheSignatureAndAScannerOutage451AtBothListeners() throws Exception {
        var sub = DkimSigningPolicyTest.session(ListenerKind.SUBMISSION, "bob@example.test");
        var mx = DkimSigningPolicyTest.session(ListenerKind.MX, null);
        FilterPolicy p = policy(true, Map.of()).withNetChecks(scanner(new dev.sealpost.filter.net.ScanResult.Infected("Test.Sig")), null, List.of())
                .withOutbound(new OutboundGuard(new OutboundGuard.Settings(0, 0, 6, 50), Clock.systemUTC(), (a, w) -> { }));
        for (var s : List.of(mx, sub)) {
            assertThatThrownBy(() -> p.apply(s, TX, new Content(LOOKALIKE))).isInstanceOf(SmtpRejection.class)
                    .hasMessage("554 5.7.1 Message refused: malware found (Test.Sig in message)");
        }
        FilterPolicy down = policy(true, Map.of()).withNetChecks(scanner(new dev.sealpost.filter.net.ScanResult.Unavailable("refused")), null, List.of())
                .withOutbound(new OutboundGuard(new OutboundGuard.Settings(0, 0, 6, 50), Clock.systemUTC(), (a, w) -> { }));
        for (var s : List.of(mx, sub)) {
            assertThatThrownBy(() -> down.apply(s, TX, new Content(LOOKALIKE))).isInstanceOf(SmtpRejection.class)
                    .hasMessage("451 4.3.0 Message could not be scanned for malware, try again later");
        }
        // clean: the MX pipeline goes on as before
        FilterPolicy clean = policy(true, Map.of()).withNetChecks(scanner(dev.sealpost.filter.net.ScanResult.CLEAN), null, List.of());
        assertThat(clean.apply(mx, TX, new Content(LOOKALIKE))).anyMatch(f -> f.startsWith("X-Spam-Status: "));
    }

    @Test
    void submissionIsScoredWithoutFieldsAndHeldWhenTheAccountIsOverTheBound() throws Exception {
        var sub = DkimSigningPolicyTest.session(ListenerKind.SUBMISSION, "bob@example.test");
        List<String> told = new ArrayList<>();
        FilterPolicy p = policy(true, Map.of()).withOutbound(new OutboundGuard(new OutboundGuard.Settings(0, 0, 6, 2), Clock.systemUTC(),
                (a, w) -> told.add(a)));
        Content plain = new Content("From: bob@example.test\r\nSubject: hi\r\n\r\nSee you tomorrow.\r\n");
        assertThat(p.apply(sub, TX, plain)).as("no X-Spam-* on outgoing mail").isEmpty();
        assertThat(plain.later).isFalse();
        Content exe = new Content(EXE); // dangerous_attachment 8.0 >= outbound_spam_score 6: one spam-scored recipient
        assertThat(p.apply(sub, TX, exe)).isEmpty();
        Content second = new Content(EXE); // the second one reaches the bound of 2
        List<String> fields = p.apply(sub, TX, second);
        assertThat(fields).hasSize(1);
        FilterMark mark = FilterMark.parse(fields.getFirst().replace("\r\n", "").substring(FilterMark.FIELD.length() + 1)).orElseThrow();
        assertThat(mark.quarantined()).isTrue();
        assertThat(mark.hits()).contains("dangerous_attachment").contains("outbound_hold 0 account bob@example.test is held");
        assertThat(second.later).isTrue();
        assertThat(told).containsExactly("bob@example.test");
        // without an outbound guard (or unauthenticated) submission is not scored
        assertThat(policy(true, Map.of()).apply(sub, TX, new Content(EXE))).isEmpty();
    }

    @Test
    void recipientOverridesChangeTheThresholdsWhenAllRecipientsShareThem() throws Exception {
        var mx = DkimSigningPolicyTest.session(ListenerKind.MX, null);
        FilterSettings d = FilterSettings.defaults();
        store.directory().addAccount("ceo@example.test", "pw".toCharArray());
        // the lookalike From scores 6.0 (junk under the global junk_score 6)
        FilterPolicy p = policy(true, Map.of()).withOverrides(Map.of(
                "example.test", new FilterSettings(30, 10, Map.of(), d.actions()),
                "CEO@example.test", new FilterSettings(5, 2, Map.of(), d.actions())));
        Content c = new Content(LOOKALIKE);
        List<String> domain = p.apply(mx, TX, c); // bob@: the domain's thresholds, junk at 10
        assertThat(domain.getFirst()).startsWith("X-Spam-Status: No, score=6.0 required=10.0");
        assertThat(c.folders).isEmpty();
        MailTransaction ceo = new MailTransaction(TX.reversePath(), null, false, false, -1, null, null,
                List.of(new MailTransaction.Recipient(EmailAddress.parse("ceo@example.test").orElseThrow(), List.of(), null)));
        assertThatThrownBy(() -> p.apply(mx, ceo, new Content(LOOKALIKE))).isInstanceOf(SmtpRejection.class)
                .hasMessageStartingWith("550 5.7.1"); // the address beats its domain: reject at 5
        MailTransaction both = new MailTransaction(TX.reversePath(), null, false, false, -1, null, null,
                List.of(TX.recipients().getFirst(), ceo.recipients().getFirst()));
        assertThat(p.apply(mx, both, new Content(LOOKALIKE)).getFirst()).as("different thresholds: the global ones")
                .startsWith("X-Spam-Status: Yes, score=6.0 required=6.0");
    }

    @Test
    void theClientsDnsListHitsCountWithTheMessage() throws Exception {
        var mx = DkimSigningPolicyTest.session(ListenerKind.MX, null);
        ClientChecks.ClientHits client = new ClientChecks.ClientHits(List.of(
                new dev.sealpost.filter.Hit("dnsbl_bl_lists_test", 5.0, "192.0.2.9 listed in bl.lists.test (127.0.0.2)")));
        Content c = new Content("From: someone@elsewhere.test\r\nSubject: hi\r\n\r\nHello.\r\n") {
            @Override
            public <T> T attachment(Class<T> type) {
                return type == ClientChecks.ClientHits.class ? type.cast(client) : null;
            }
        };
        List<String> fields = policy(true, Map.of("dnsbl_bl_lists_test", 7.0)).apply(mx, TX, c);
        // the weight override by hit name applies to the list's hit too; TX's envelope sender is a lookalike (6.0)
        assertThat(fields.getFirst()).startsWith("X-Spam-Status: Yes, score=13.0 required=6.0 tests=dnsbl_bl_lists_test,\r\n\tlookalike_domain");
        assertThat(c.folders).containsExactly("\\Junk");
    }
}
