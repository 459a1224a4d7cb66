package dev.sealpost.it.reliability;

import dev.sealpost.it.reliability.HostileClients.Outcome;
import dev.sealpost.it.reliability.Report.Status;
import dev.sealpost.it.reliability.ServerProcess.Port;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short form of the reliability battery (docs/reliability.md) in {@code make test}: repeated
 * SIGKILL under mixed load, and the hostile-client and fault checks whose outcome holds today.
 * Checks of features still being built (per-IP caps on SMTP and POP3, a header size limit, a
 * deadline for drip-fed commands) are measured by {@code make reliability} and reported there.
 */
class ReliabilityShortTest {
    @TempDir
    static Path dir;

    private static HostileClients hostile;
    private static final Report report = new Report();

    @BeforeAll
    static void start() throws Exception {
        hostile = new HostileClients(report, dir.resolve("hostile"), false);
        hostile.start();
    }

    @AfterAll
    static void stop() throws Exception {
        hostile.close();
    }

    @Test
    void everyAcknowledgedMessageSurvivesRepeatedSigkillUnderMixedLoad() throws Exception {
        Report r = new Report();
        DurabilityRun d = new DurabilityRun(r, dir.resolve("durability"));
        try {
            d.run(Duration.ofSeconds(30), 3, 6, 60);
        } finally {
            d.close();
        }
        assertThat(r.faults.get()).as("kills").isPositive();
        assertThat(r.acknowledged.get()).as("acknowledged").isPositive();
        assertThat(r.lost.get()).as("lost: " + r.rows).isZero();
        assertThat(r.errors).as("unexpected errors").isEmpty();
        assertThat(r.delivered.get()).isPositive();
    }

    @Test
    void overlongLinesAreRefusedAndTheServerKeepsServing() throws Exception {
        assertPass(hostile.endlessLine(Port.MX, "220", "EHLO ", "5", "421"));
        assertPass(hostile.endlessLine(Port.IMAP, "* OK", "a1 NOOP ", "a1 BAD", "* BYE"));
        assertPass(hostile.endlessLine(Port.POP3, "+OK", "USER ", "-ERR", "-ERR"));
        assertThat(hostile.normalClient()).isLessThan(30_000);
    }

    @Test
    void oversizedDeclarationsAreRefusedBeforeTheData() throws Exception {
        assertPass(hostile.smtpSize());
        assertPass(hostile.imapLiteral());
        assertPass(hostile.imapCommandLiteral());
    }

    @Test
    void unknownUserAndWrongPasswordGetTheSameReply() throws Exception {
        assertPass(hostile.sameReply());
    }

    @Test
    void aMimeBombIsAnsweredAndItsStructureServed() throws Exception {
        assertPass(hostile.mimeBomb());
    }

    @Test
    void connectionsFromManyLoopbackAddressesAreAllGreeted() throws Exception {
        assertPass(hostile.manyIps());
    }

    private static void assertPass(Outcome o) {
        assertThat(o.status()).as(o.observed()).isEqualTo(Status.PASS);
    }
}
