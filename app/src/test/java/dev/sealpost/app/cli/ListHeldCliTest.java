package dev.sealpost.app.cli;

import dev.sealpost.app.Main;
import dev.sealpost.store.MailingLists;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sealpost list held|approve|reject|discard} on a data directory with its sealpost.toml
 * (a zone file as its only DNS): the decisions go through the same engine path as a moderator's reply.
 */
class ListHeldCliTest {
    private static final String LIST = "dev@example.org";
    private static final String A = "a".repeat(32), B = "b".repeat(32), C = "c".repeat(32), OLD = "d".repeat(32);

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;
    private long seen;

    @BeforeEach
    void setUp() throws Exception {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("zone.txt"), """
                $TTL 300
                _dmarc.strict.test. IN TXT "v=DMARC1; p=reject"
                """);
        Files.writeString(dir.resolve("sealpost.toml"), """
                [server]
                hostname = "mx.example.org"
                data_dir = "."
                [dns]
                zone_file = "zone.txt"
                [listeners]
                submission = ""
                submissions = ""
                imap = ""
                imaps = ""
                pop3 = ""
                pop3s = ""
                """);
        Instant now = Instant.now();
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            s.directory().addDomain("example.org");
            long id = s.lists().create(LIST, "Developers", "moderated").id();
            long other = s.lists().create("ops@example.org", "", "moderated").id();
            s.lists().addMember(LIST, MailingLists.Role.MEMBER, "ann@far.test");
            s.lists().addMember(LIST, MailingLists.Role.MEMBER, "bob@far.test");
            s.lists().addMember(LIST, MailingLists.Role.MODERATOR, "mod@example.org");
            Instant held = now.minus(Duration.ofHours(2)).minusSeconds(30);
            s.lists().putPending(new MailingLists.Pending(A, id, "held", "carol@strict.test",
                    post("carol@strict.test", "=?utf-8?q?caf=C3=A9?= \u001b[31mred"), held, now.plus(Duration.ofDays(14))));
            s.lists().putPending(new MailingLists.Pending(B, id, "held", "dave@far.test", post("dave@far.test", "spam"), held,
                    now.plus(Duration.ofDays(14))));
            s.lists().putPending(new MailingLists.Pending(C, other, "held", "erin@far.test", post("erin@far.test", "ops post"), held,
                    now.plus(Duration.ofDays(14))));
            s.lists().putPending(new MailingLists.Pending(OLD, id, "held", "fred@far.test", post("fred@far.test", "late"),
                    now.minus(Duration.ofDays(15)), now.minusSeconds(60)));
            s.lists().putPending(new MailingLists.Pending("e".repeat(32), id, "subscribe", "gail@far.test", null, held, now.plus(Duration.ofDays(7))));
        }
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private static byte[] post(String from, String subject) {
        return ("From: <" + from + ">\r\nTo: <dev@example.org>\r\nSubject: " + subject + "\r\nMessage-ID: <" + subject.hashCode()
                + "@far.test>\r\n\r\nbody of " + subject + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        List<String> full = new ArrayList<>(List.of(args));
        full.add("--data");
        full.add(dir.toString());
        return Main.run(full.toArray(String[]::new));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Spooled since the last call: "rcpt|mailFrom|message". */
    private List<String> newMail() throws Exception {
        List<String> got = new ArrayList<>();
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            for (Spool.QueuedMessage m : s.spool().list(1000)) {
                if (m.id() <= seen) continue;
                seen = Math.max(seen, m.id());
                try (InputStream in = s.blobs().open(m.blob().id())) {
                    got.add(m.envelope().recipients().getFirst().address() + "|" + m.envelope().mailFrom() + "|"
                            + new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return got;
    }

    private List<String> heldTokens() {
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            return s.lists().pending(LIST, "held").stream().map(MailingLists.Pending::token).toList();
        }
    }

    @Test
    void heldListsIdPosterAgeAndSubjectOnly() {
        assertThat(run("list", "held", LIST)).isZero();
        List<String> lines = out().lines().toList();
        // the expired hold is still stored until the hourly purge; the other list's and the subscription are not shown
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith(OLD + "\tfred@far.test\t15d0h\t");
        assertThat(lines.get(1)).isEqualTo(A + "\tcarol@strict.test\t2h0m\tcafé  [31mred"); // decoded, the escape byte gone (a space for it)
        assertThat(lines.get(2)).startsWith(B + "\tdave@far.test\t2h0m\tspam");
        assertThat(out()).doesNotContain("ann@far.test", "bob@far.test", "mod@example.org", "gail@far.test", "\u001b");
        assertThat(run("list", "held", "ops@example.org")).isZero();
        assertThat(out()).startsWith(C + "\terin@far.test");
        assertThat(run("list", "held", "none@example.org")).isNotZero();
    }

    @Test
    void approveSendsEachMemberItsCopyAsAModeratorsReplyWould() throws Exception {
        newMail();
        assertThat(run("list", "approve", LIST, A.toUpperCase())).as(err.toString()).isZero();
        assertThat(out()).contains("approved");
        List<String> mail = newMail();
        assertThat(mail).hasSize(2);
        for (String member : List.of("ann@far.test", "bob@far.test")) {
            String copy = mail.stream().filter(m -> m.startsWith(member + "|")).findFirst().orElseThrow();
            String other = member.equals("ann@far.test") ? "bob@far.test" : "ann@far.test";
            assertThat(copy).startsWith(member + "|dev-bounces+" + member.replace('@', '=') + "@example.org|")
                    .contains("List-Id: Developers <dev.example.org>", "List-Unsubscribe: <https://mx.example.org/lists/unsubscribe/dev.example.org/",
                            "via Developers", "Reply-To: <carol@strict.test>") // p=reject in the zone file: From rewritten
                    .doesNotContain(other);
        }
        assertThat(heldTokens()).doesNotContain(A);
        // decided once
        assertThat(run("list", "approve", LIST, A)).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no held post");
        assertThat(newMail()).isEmpty();
    }

    @Test
    void rejectTellsThePosterAndDiscardTellsNobody() throws Exception {
        newMail();
        assertThat(run("list", "reject", LIST, B, "--reason", "off topic here")).as(err.toString()).isZero();
        assertThat(newMail()).singleElement().asString().startsWith("dave@far.test|dev-bounces@example.org|")
                .contains("Subject: Your post to dev@example.org was rejected", "off topic here").doesNotContain("ann@far.test", "bob@far.test");
        assertThat(run("list", "discard", LIST, OLD)).isNotZero(); // expired: dropped, nothing sent
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("expired");
        assertThat(heldTokens()).containsExactly(A);
        assertThat(run("list", "discard", LIST, A)).isZero();
        assertThat(newMail()).isEmpty();
        assertThat(heldTokens()).isEmpty();
    }

    @Test
    void anotherListsPostOrASubscriptionTokenIsNotDecidedAndStaysPending() throws Exception {
        newMail();
        assertThat(run("list", "approve", LIST, C)).isNotZero();
        assertThat(run("list", "approve", LIST, "e".repeat(32))).isNotZero();
        assertThat(run("list", "reject", LIST, B, "--reason", "two\nlines")).isNotZero();
        assertThat(newMail()).isEmpty();
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            assertThat(s.lists().pending("ops@example.org", "held")).extracting(MailingLists.Pending::token).containsExactly(C);
            assertThat(s.lists().pending(LIST, "subscribe")).hasSize(1);
            assertThat(s.lists().pending(LIST, "held")).hasSize(3);
        }
        assertThat(run("list", "approve", "ops@example.org", C)).isZero(); // no members: sent to nobody, but decided
        assertThat(newMail()).isEmpty();
    }

    @Test
    void memberSetChangesOwnCopiesAndDelivery() {
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            s.lists().setMemberState(LIST, "bob@far.test", false, new MailingLists.BounceState(5.0, Instant.now(), "2026-03-02", 1.0, "disabled", 2, Instant.now()));
        }
        assertThat(run("list", "member", "set", LIST, "Ann@far.test", "self_copy=false")).isZero();
        assertThat(run("list", "member", "set", LIST, "bob@far.test", "enabled=true")).isZero();
        assertThat(run("list", "member", "list", LIST)).isZero();
        assertThat(out()).contains("ann@far.test\tenabled\tbounce score 0.00\tself_copy=false\n", "bob@far.test\tenabled\tbounce score 0.00\n");
        try (Store s = Store.open(StoreConfig.sqlite(dir))) {
            assertThat(s.lists().disabledMembers(LIST)).isEmpty();
        }
        assertThat(run("list", "member", "set", LIST, "ann@far.test", "self_copy=maybe")).isNotZero();
        assertThat(run("list", "member", "set", LIST, "ann@far.test", "digest=true")).isNotZero();
        assertThat(run("list", "member", "set", LIST, "zed@far.test", "self_copy=true")).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not a member");
    }
}
