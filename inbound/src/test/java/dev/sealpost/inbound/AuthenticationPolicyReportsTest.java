package dev.sealpost.inbound;

import dev.sealpost.auth.MessageAuthenticator;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.core.net.Cidr;
import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.dns.ZoneResolver;
import dev.sealpost.smtp.proto.SmtpRejection;
import dev.sealpost.smtp.server.ListenerKind;
import dev.sealpost.smtp.server.MailTransaction;
import dev.sealpost.store.Reports;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The MX hands each DMARC-evaluated message to the report sink, with the disposition it applied. */
class AuthenticationPolicyReportsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-02T23:59:30Z"), ZoneOffset.UTC);
    static final ZoneResolver ZONE = ZoneResolver.builder()
            .txt("sender.test", "v=spf1 ip4:127.0.0.1 -all")
            .txt("_dmarc.sender.test", "v=DMARC1; p=reject; sp=quarantine; adkim=s; rua=mailto:dmarc@sender.test")
            .txt("other.test", "v=spf1 -all")
            .txt("_dmarc.other.test", "v=DMARC1; p=reject; rua=mailto:dmarc@other.test")
            .build();

    final List<Reports.Observation> seen = new ArrayList<>();

    AuthenticationPolicy policy(boolean enforceReject, List<Cidr> forwarders) {
        MessageAuthenticator auth = new MessageAuthenticator(ZONE, PublicSuffixList.bundled(), CLOCK,
                MessageAuthenticator.Settings.defaults("mx.example.test"));
        return new AuthenticationPolicy(auth, "mx.example.test", new AuthenticationPolicy.Settings(enforceReject, forwarders), seen::add);
    }

    static MailTransaction tx(String mailFrom) {
        return new MailTransaction(mailFrom.isEmpty() ? null : EmailAddress.parse(mailFrom).orElseThrow(), null, false, false, -1,
                null, null, List.of());
    }

    @Test
    void aligningSpfPassIsObservedWithThePublishedPolicy() throws Exception {
        policy(true, List.of()).apply(DkimSigningPolicyTest.session(ListenerKind.MX, null), tx("bounce@sender.test"),
                DkimSigningPolicyTest.content(DkimSigningPolicyTest.message("a@sender.test")));
        assertThat(seen).hasSize(1);
        Reports.Observation o = seen.getFirst();
        assertThat(o.day()).isEqualTo(LocalDate.parse("2026-11-02"));
        assertThat(o.policyDomain()).isEqualTo("sender.test");
        assertThat(o.sourceIp()).isEqualTo("127.0.0.1");
        assertThat(o.headerFrom()).isEqualTo("sender.test");
        assertThat(o.envelopeFrom()).isEqualTo("sender.test");
        assertThat(List.of(o.spfDomain(), o.spfScope(), o.spfResult())).containsExactly("sender.test", "mfrom", "pass");
        assertThat(o.dkim()).isEmpty();
        assertThat(o.disposition()).isEqualTo("none");
        assertThat(o.overrideReason()).isNull();
        assertThat(o.dmarcSpfAligned()).isTrue();
        assertThat(o.dmarcDkimAligned()).isFalse();
        assertThat(o.policy()).isEqualTo(new Reports.PublishedPolicy("s", "r", "reject", "quarantine", null, 100, "0"));
    }

    @Test
    void rejectedMessageIsObservedBeforeTheRejection() {
        AuthenticationPolicy p = policy(true, List.of());
        assertThatThrownBy(() -> p.apply(DkimSigningPolicyTest.session(ListenerKind.MX, null), tx("x@other.test"),
                DkimSigningPolicyTest.content(DkimSigningPolicyTest.message("a@other.test"))))
                .isInstanceOf(SmtpRejection.class);
        assertThat(seen).singleElement().satisfies(o -> {
            assertThat(o.disposition()).isEqualTo("reject");
            assertThat(o.spfResult()).isEqualTo("fail");
            assertThat(o.dmarcSpfAligned()).isFalse();
        });
    }

    @Test
    void rejectNotAppliedIsReportedAsNoneWithTheReason() throws Exception {
        policy(false, List.of()).apply(DkimSigningPolicyTest.session(ListenerKind.MX, null), tx("x@other.test"),
                DkimSigningPolicyTest.content(DkimSigningPolicyTest.message("a@other.test")));
        policy(true, List.of(Cidr.parse("127.0.0.0/8").orElseThrow())).apply(DkimSigningPolicyTest.session(ListenerKind.MX, null),
                tx(""), DkimSigningPolicyTest.content(DkimSigningPolicyTest.message("a@other.test")));
        assertThat(seen).extracting(Reports.Observation::disposition).containsExactly("none", "none");
        assertThat(seen).extracting(Reports.Observation::overrideReason).containsExactly("local_policy", "trusted_forwarder");
        Reports.Observation nullSender = seen.get(1);
        assertThat(nullSender.envelopeFrom()).isNull();
        assertThat(nullSender.spfScope()).isEqualTo("helo");
        assertThat(nullSender.spfDomain()).isEqualTo("client.example.test");
    }

    @Test
    void noRecordNoObservationAndSinkFailuresDoNotCostTheMessage() throws Exception {
        policy(true, List.of()).apply(DkimSigningPolicyTest.session(ListenerKind.MX, null), tx("x@nodmarc.test"),
                DkimSigningPolicyTest.content(DkimSigningPolicyTest.message("a@nodmarc.test")));
        assertThat(seen).isEmpty();
        MessageAuthenticator auth = new MessageAuthenticator(ZONE, PublicSuffixList.bundled(), CLOCK,
                MessageAuthenticator.Settings.defaults("mx.example.test"));
        AuthenticationPolicy failing = new AuthenticationPolicy(auth, "mx.example.test",
                new AuthenticationPolicy.Settings(true, List.of()), o -> { throw new IllegalStateException("store is closed"); });
        List<String> fields = failing.apply(DkimSigningPolicyTest.session(ListenerKind.MX, null), tx("bounce@sender.test"),
                DkimSigningPolicyTest.content(DkimSigningPolicyTest.message("a@sender.test")));
        assertThat(fields).singleElement().asString().startsWith("Authentication-Results: mx.example.test");
    }
}
