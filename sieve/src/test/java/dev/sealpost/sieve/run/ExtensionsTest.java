package dev.sealpost.sieve.run;

import dev.sealpost.sieve.script.SieveCompiler;
import dev.sealpost.sieve.script.SieveError;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The extensions beyond the base language, each against a small message. */
class ExtensionsTest {
    static final String MAIL = """
            From: Alice <alice@example.org>
            To: bob@example.com
            Subject: lunch?
            Message-ID: <m1@example.org>
            References: <m0@example.org>
            Date: Tue, 1 Jul 2025 10:20:30 -0700
            X-Spam: 7

            hello
            """;

    /** An environment with memory, includes and a fixed clock. */
    static class Env implements Environment {
        final MessageEnvironment m;
        final Set<String> replied = new HashSet<>();
        final Set<String> seen = new HashSet<>();
        final Map<String, String> scripts;

        Env(String mail, String from, Map<String, String> scripts) {
            m = new MessageEnvironment(mail.getBytes(StandardCharsets.UTF_8), Map.of("from", List.of(from), "to", List.of("bob@example.com")));
            this.scripts = scripts;
        }

        @Override public List<String> header(String name) { return m.header(name); }
        @Override public List<String> envelope(String part) { return m.envelope(part); }
        @Override public long size() { return m.size(); }
        @Override public String body() { return m.body(); }
        @Override public boolean vacationAlreadyReplied(String sender, String handle, Duration period) { return !replied.add(sender + handle); }
        @Override public boolean duplicate(String handle, String value, Duration period, boolean last) { return !seen.add(handle + value); }
        @Override public ZonedDateTime now() { return ZonedDateTime.of(2026, 12, 7, 12, 0, 0, 0, ZoneOffset.UTC); }
        @Override public Optional<String> includeScript(String name, boolean global) { return Optional.ofNullable(scripts.get((global ? "g:" : "") + name)); }
        @Override public boolean mailboxIdExists(String id) { return id.equals("F123"); }
        @Override public boolean specialUseExists(String mailbox, String flag) { return flag.equalsIgnoreCase("\\Junk"); }
        @Override public Optional<Integer> spamScore(boolean percent) { return Optional.of(percent ? 70 : 8); }
        @Override public boolean mailboxExists(String name) { return true; }
    }

    static Result run(String script, Environment env) {
        SieveCompiler.Result c = SieveCompiler.compile(script);
        assertThat(c).as("compiles: %s", c).isInstanceOf(SieveCompiler.Ok.class);
        return new Interpreter().run(((SieveCompiler.Ok) c).script(), env);
    }

    /** The vacation replies a run sends. */
    static List<Action> replies(Result r) {
        return r.actions().stream().filter(a -> a instanceof Action.Vacation v && v.sends()).toList();
    }

    static Env env() { return new Env(MAIL, "alice@example.org", Map.of()); }

    @Test
    void vacationRepliesOncePerSenderWithThreadingFields() {
        Env e = env();
        String script = "require \"vacation\"; vacation :days 3 :subject \"Away\" \"I am away\";";
        Result r = run(script, e);
        Action.Vacation v = (Action.Vacation) r.actions().getFirst();
        assertThat(v.sends()).isTrue();
        assertThat(v.to()).isEqualTo("alice@example.org");
        assertThat(v.period()).isEqualTo(Duration.ofDays(3));
        String reply = new String(v.reply(), StandardCharsets.UTF_8);
        assertThat(reply).contains("Auto-Submitted: auto-replied", "In-Reply-To: <m1@example.org>",
                "References: <m0@example.org> <m1@example.org>", "Subject: Away", "To: Alice <alice@example.org>");
        assertThat(r.implicitKeep()).isTrue();
        assertThat(replies(run(script, e))).isEmpty(); // already replied in this period
    }

    @Test
    void vacationSecondsZeroAlwaysReplies() {
        Env e = env();
        String script = "require [\"vacation\", \"vacation-seconds\"]; vacation :seconds 0 \"x\";";
        assertThat(replies(run(script, e))).hasSize(1);
        assertThat(replies(run(script, e))).hasSize(1);
    }

    @Test
    void vacationNeverAnswersListsBouncesAutomaticMailOrMailNotToTheUser() {
        String script = "require \"vacation\"; vacation \"away\";";
        assertThat(replies(run(script, new Env(MAIL, "", Map.of())))).as("null path").isEmpty();
        assertThat(replies(run(script, new Env(MAIL, "MAILER-DAEMON@example.org", Map.of())))).isEmpty();
        assertThat(replies(run(script, new Env(MAIL, "owner-list@example.org", Map.of())))).isEmpty();
        assertThat(replies(run(script, new Env(MAIL, "bob@example.com", Map.of())))).as("own address").isEmpty();
        assertThat(replies(run(script, new Env("Auto-Submitted: auto-generated\n" + MAIL, "a@example.org", Map.of())))).isEmpty();
        assertThat(replies(run(script, new Env("Auto-Submitted: no\n" + MAIL, "a@example.org", Map.of())))).hasSize(1);
        assertThat(replies(run(script, new Env("List-Id: <l.example.org>\n" + MAIL, "a@example.org", Map.of())))).isEmpty();
        assertThat(replies(run(script, new Env("Precedence: bulk\n" + MAIL, "a@example.org", Map.of())))).isEmpty();
        assertThat(replies(run(script, new Env(MAIL.replace("To: bob@example.com", "To: other@example.com"), "a@example.org", Map.of()))))
                .as("user not a recipient").isEmpty();
        assertThat(replies(run("require \"vacation\"; vacation :addresses \"other@example.com\" \"away\";",
                new Env(MAIL.replace("To: bob@example.com", "To: other@example.com"), "a@example.org", Map.of())))).hasSize(1);
    }

    @Test
    void dateCurrentdateAndIndex() {
        Env e = env();
        assertThat(run("require [\"date\", \"fileinto\"]; if date :zone \"+0000\" \"date\" \"hour\" \"17\" { fileinto \"a\"; }", e).actions()).hasSize(1);
        assertThat(run("require [\"date\", \"fileinto\"]; if date :originalzone \"date\" \"zone\" \"-0700\" { fileinto \"a\"; }", e).actions()).hasSize(1);
        assertThat(run("require [\"date\", \"fileinto\"]; if currentdate :zone \"+0000\" \"date\" \"2026-12-07\" { fileinto \"a\"; }", e).actions()).hasSize(1);
        assertThat(run("require [\"date\", \"fileinto\"]; if currentdate \"weekday\" \"1\" { fileinto \"a\"; }", e).actions()).hasSize(1);
        Env two = new Env("Received: from a; Mon, 7 Dec 2026 10:00:00 +0000\nReceived: from b; Sun, 6 Dec 2026 10:00:00 +0000\n" + MAIL, "a@example.org", Map.of());
        assertThat(run("require [\"date\", \"index\", \"fileinto\"]; if date :index 1 :last \"received\" \"day\" \"06\" { fileinto \"a\"; }", two).actions()).hasSize(1);
        assertThat(run("require [\"index\", \"fileinto\"]; if header :index 2 \"received\" \"from a*\" { fileinto \"a\"; }", two).actions()).isEmpty();
    }

    @Test
    void includeWithGlobalsReturnOnceAndLoops() {
        Env e = new Env(MAIL, "a@example.org", Map.of(
                "sub", "require [\"include\", \"variables\", \"fileinto\"]; global \"box\"; fileinto \"${box}\"; return; fileinto \"never\";",
                "g:loop", "require \"include\"; include :global \"loop\";"));
        Result r = run("require [\"include\", \"variables\"]; global \"box\"; set \"box\" \"Lists\"; include \"sub\"; include :once \"sub\"; include :optional \"none\";", e);
        assertThat(r.failed()).isFalse();
        assertThat(r.actions()).containsExactly(new Action.FileInto("Lists", false, List.of(), false));
        Result loop = run("require \"include\"; include :global \"loop\";", e);
        assertThat(loop.error().kind()).isEqualTo(SieveError.Kind.LIMIT_INCLUDE);
        assertThat(loop.implicitKeep()).isTrue();
        assertThat(run("require \"include\"; include \"missing\";", e).error().message()).contains("not found");
        // checked before the run too, as at upload
        SieveCompiler.Ok ok = (SieveCompiler.Ok) SieveCompiler.compile("require \"include\"; include \"missing\"; include :optional \"none\"; include :global \"loop\";");
        assertThat(IncludeCheck.check(ok.script(), e, 10)).extracting(SieveError::kind)
                .containsExactly(SieveError.Kind.COMPILE, SieveError.Kind.LIMIT_INCLUDE);
    }

    @Test
    void ihaveAndError() {
        Env e = env();
        assertThat(run("require [\"ihave\", \"fileinto\"]; if ihave \"x-unknown\" { xunknowncommand; } elsif ihave \"date\" { if currentdate \"year\" \"2026\" { fileinto \"y\"; } }", e)
                .actions()).hasSize(1);
        assertThat(run("require \"ihave\"; error \"custom\";", e).error().message()).contains("custom");
        assertThat(run("require \"ihave\"; if ihave \"variables\" { discard; }", e).actions()).isEmpty();
    }

    @Test
    void environmentRegexEditheaderDuplicate() {
        Env e = env();
        assertThat(run("require [\"environment\", \"fileinto\"]; if environment \"location\" \"MDA\" { fileinto \"a\"; }", e).actions()).hasSize(1);
        assertThat(run("require [\"environment\", \"fileinto\"]; if environment \"remote-ip\" \"*\" { fileinto \"a\"; }", e).actions()).isEmpty();
        Result rx = run("require [\"regex\", \"variables\", \"fileinto\"]; if header :regex \"subject\" \"^(l[a-z]+)\\\\?$\" { fileinto \"${1}\"; }", e);
        assertThat(rx.actions()).containsExactly(new Action.FileInto("lunch", false, List.of(), false));
        Result eh = run("require [\"editheader\", \"fileinto\"]; addheader \"X-Seen\" \"yes\"; deleteheader \"subject\"; deleteheader \"received\";"
                + " if allof (header \"x-seen\" \"yes\", not exists \"subject\") { fileinto \"a\"; }", e);
        assertThat(eh.actions()).containsExactly(new Action.AddHeader("X-Seen", "yes", false),
                new Action.DeleteHeader("subject", List.of("lunch?")), new Action.FileInto("a", false, List.of(), false));
        String dup = "require [\"duplicate\", \"fileinto\"]; if duplicate { fileinto \"dups\"; }";
        assertThat(run(dup, e).actions()).isEmpty();
        assertThat(run(dup, e).actions()).hasSize(1);
    }

    @Test
    void regexIsBoundedAndInvalidPatternsDoNotCompile() {
        assertThat(SieveCompiler.compile("require \"regex\"; if header :regex \"s\" \"(a\" { keep; }")).isInstanceOf(SieveCompiler.Errors.class);
        String evil = "x".repeat(22) + "a".repeat(25) + "!"; // plain java.util.regex takes over 30 s on this pattern
        Env e = new Env("Subject: " + evil + "\n\nx\n", "a@example.org", Map.of());
        Result r = run("require \"regex\"; if header :regex \"subject\" \"(.*a){12}$\" { discard; }", e);
        assertThat(r.failed()).isTrue();
        assertThat(r.error().kind()).isEqualTo(SieveError.Kind.LIMIT_REGEX);
        assertThat(r.implicitKeep()).isTrue();
    }

    @Test
    void mailboxidSpecialUseSpamtestAndNotify() {
        Env e = env();
        assertThat(run("require [\"mailboxid\", \"fileinto\"]; if mailboxidexists \"F123\" { fileinto :mailboxid \"F123\" \"Lists\"; }", e).actions())
                .containsExactly(new Action.FileInto("Lists", false, List.of(), false, "F123", null));
        assertThat(run("require [\"special-use\", \"fileinto\"]; if specialuse_exists \"\\\\Junk\" { fileinto :specialuse \"\\\\Junk\" \"Spam\"; }", e).actions())
                .containsExactly(new Action.FileInto("Spam", false, List.of(), false, null, "\\Junk"));
        assertThat(run("require [\"spamtest\", \"relational\", \"comparator-i;ascii-numeric\", \"fileinto\"];"
                + " if spamtest :value \"ge\" :comparator \"i;ascii-numeric\" \"8\" { fileinto \"Junk\"; }", e).actions()).hasSize(1);
        assertThat(run("require [\"spamtestplus\", \"relational\", \"comparator-i;ascii-numeric\", \"fileinto\"];"
                + " if spamtest :percent :value \"eq\" :comparator \"i;ascii-numeric\" \"70\" { fileinto \"Junk\"; }", e).actions()).hasSize(1);
        assertThat(run("require [\"virustest\", \"fileinto\"]; if virustest \"0\" { fileinto \"untested\"; }", e).actions()).hasSize(1);
        Result n = run("require [\"enotify\", \"variables\"]; set :encodeurl \"s\" \"a b&c\"; notify :importance \"1\" :message \"new: ${s}\" \"mailto:bob@example.net\";", e);
        assertThat(n.actions()).containsExactly(new Action.Notify("mailto:bob@example.net", null, "1", List.of(), "new: a%20b%26c"));
        assertThat(SieveCompiler.compile("require \"enotify\"; notify \"xmpp:bob@example.net\";")).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(SieveCompiler.compile("require \"enotify\"; notify :from \"x#example.org\" \"mailto:b@example.net\";")).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(SieveCompiler.compile("require \"enotify\"; notify :options \"_x=\" \"mailto:b@example.net\";")).isInstanceOf(SieveCompiler.Errors.class);
        assertThat(run("require \"enotify\"; if valid_notify_method \"mailto:a@example.org?header:=x\" { discard; }", e).actions()).isEmpty();
        assertThat(run("require \"enotify\"; if notify_method_capability \"mailto:a@example.net\" \"online\" \"maybe\" { discard; }", e).actions()).hasSize(1);
    }
}
