package dev.sealpost.store;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.SieveScripts.Outcome;
import dev.sealpost.store.SieveScripts.Quota;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Sieve script store's behaviour on every backend (subclasses give a fresh database per test). */
abstract class SieveScriptsContract {
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final Quota NONE = Quota.unlimited();

    @TempDir
    Path dataDir;
    MutableClock clock;
    Store store;
    long alice, bob;

    protected abstract StoreConfig freshConfig(Path dataDir, MutableClock clock) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        clock = new MutableClock(T0);
        store = JdbcStore.open(freshConfig(dataDir, clock), pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.test");
        alice = store.directory().addAccount("alice@example.test", "pw alice 123".toCharArray()).id();
        bob = store.directory().addAccount("bob@example.test", "pw bob 123456".toCharArray()).id();
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    SieveScripts s() {
        return store.sieveScripts();
    }

    @Test
    void putGetListAndReplace() {
        assertThat(s().put(alice, "vacation", "keep;", NONE)).isEqualTo(new Outcome.Done());
        assertThat(s().put(alice, "Ünïcode", "discard;", NONE)).isEqualTo(new Outcome.Done());
        assertThat(s().list(alice)).extracting(SieveScripts.Summary::name).containsExactlyInAnyOrder("vacation", "Ünïcode");
        assertThat(s().list(bob)).isEmpty();
        SieveScripts.Script v = s().get(alice, "vacation").orElseThrow();
        assertThat(v.content()).isEqualTo("keep;");
        assertThat(v.size()).isEqualTo(5);
        assertThat(v.active()).isFalse();
        assertThat(v.updatedAt()).isEqualTo(T0);
        // replacing keeps one row and the active flag (RFC 5804 §2.6)
        s().setActive(alice, "vacation");
        clock.advance(java.time.Duration.ofMinutes(1));
        assertThat(s().put(alice, "vacation", "# é\nstop;", NONE)).isEqualTo(new Outcome.Done());
        SieveScripts.Script v2 = s().get(alice, "vacation").orElseThrow();
        assertThat(v2.content()).isEqualTo("# é\nstop;");
        assertThat(v2.size()).isEqualTo(10); // UTF-8 octets, not characters
        assertThat(v2.active()).isTrue();
        assertThat(s().list(alice)).hasSize(2);
        assertThat(s().get(bob, "vacation")).isEmpty();
    }

    @Test
    void oneActiveScriptAtMost() {
        s().put(alice, "a", "keep;", NONE);
        s().put(alice, "b", "keep;", NONE);
        s().put(bob, "a", "keep;", NONE);
        assertThat(s().active(alice)).isEmpty();
        assertThat(s().setActive(alice, "a")).isEqualTo(new Outcome.Done());
        assertThat(s().setActive(bob, "a")).isEqualTo(new Outcome.Done());
        assertThat(s().setActive(alice, "b")).isEqualTo(new Outcome.Done());
        assertThat(s().active(alice).orElseThrow().name()).isEqualTo("b");
        assertThat(s().list(alice)).filteredOn(SieveScripts.Summary::active).extracting(SieveScripts.Summary::name).containsExactly("b");
        assertThat(s().active(bob).orElseThrow().name()).isEqualTo("a");
        assertThat(s().setActive(alice, "missing")).isEqualTo(new Outcome.NonExistent());
        assertThat(s().active(alice).orElseThrow().name()).isEqualTo("b"); // unchanged by the failure
        assertThat(s().setActive(alice, null)).isEqualTo(new Outcome.Done()); // RFC 5804 §2.8: "" deactivates
        assertThat(s().active(alice)).isEmpty();
        assertThat(s().active(bob)).isPresent();
    }

    @Test
    void deleteRefusesTheActiveScript() {
        s().put(alice, "a", "keep;", NONE);
        s().put(alice, "b", "keep;", NONE);
        s().setActive(alice, "a");
        assertThat(s().delete(alice, "a")).isEqualTo(new Outcome.Active());
        assertThat(s().delete(alice, "b")).isEqualTo(new Outcome.Done());
        assertThat(s().delete(alice, "b")).isEqualTo(new Outcome.NonExistent());
        assertThat(s().list(alice)).extracting(SieveScripts.Summary::name).containsExactly("a");
    }

    @Test
    void renameKeepsActiveAndRefusesTakenNames() {
        s().put(alice, "a", "keep;", NONE);
        s().put(alice, "b", "discard;", NONE);
        s().setActive(alice, "a");
        assertThat(s().rename(alice, "a", "b")).isEqualTo(new Outcome.AlreadyExists());
        assertThat(s().rename(alice, "x", "y")).isEqualTo(new Outcome.NonExistent());
        assertThat(s().rename(alice, "a", "c")).isEqualTo(new Outcome.Done());
        assertThat(s().active(alice).orElseThrow().name()).isEqualTo("c");
        assertThat(s().get(alice, "a")).isEmpty();
        assertThat(s().get(alice, "c").orElseThrow().content()).isEqualTo("keep;");
    }

    @Test
    void quotasOnCountAndSize() {
        Quota q = new Quota(2, 10);
        assertThat(s().put(alice, "a", "keep;", q)).isEqualTo(new Outcome.Done());
        assertThat(s().put(alice, "big", "# 12345678901", q)).isEqualTo(new Outcome.TooLarge(10));
        assertThat(s().get(alice, "big")).isEmpty();
        assertThat(s().put(alice, "b", "keep;", q)).isEqualTo(new Outcome.Done());
        assertThat(s().haveSpace(alice, "c", 5, q)).isEqualTo(new Outcome.TooManyScripts(2));
        assertThat(s().put(alice, "c", "keep;", q)).isEqualTo(new Outcome.TooManyScripts(2));
        // replacing an existing script adds nothing to the count
        assertThat(s().haveSpace(alice, "b", 10, q)).isEqualTo(new Outcome.Done());
        assertThat(s().haveSpace(alice, "b", 11, q)).isEqualTo(new Outcome.TooLarge(10));
        assertThat(s().put(alice, "b", "discard;", q)).isEqualTo(new Outcome.Done());
        assertThat(s().list(alice)).hasSize(2);
        // quotas are per account
        assertThat(s().put(bob, "c", "keep;", q)).isEqualTo(new Outcome.Done());
    }

    @Test
    void badNamesAreRefusedAndScriptsGoWithTheAccount() {
        assertThatThrownBy(() -> s().put(alice, "", "keep;", NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s().put(alice, "x".repeat(SieveScripts.MAX_NAME + 1), "keep;", NONE))
                .isInstanceOf(IllegalArgumentException.class);
        s().put(alice, "a", "keep;", NONE);
        s().setActive(alice, "a");
        store.directory().removeAccount("alice@example.test");
        assertThat(s().list(alice)).isEmpty();
        assertThat(s().active(alice)).isEmpty();
    }

    @Test
    void vacationMemoryPerAccountHandleAndSenderUntilExpiry() {
        Instant until = T0.plus(java.time.Duration.ofDays(7));
        assertThat(s().vacationReplied(alice, "h1", "carol@remote.test", T0)).isFalse();
        s().rememberVacation(alice, "h1", "Carol@Remote.Test", until);
        assertThat(s().vacationReplied(alice, "h1", "carol@remote.test", T0)).isTrue();
        assertThat(s().vacationReplied(alice, "h1", "CAROL@remote.test", until.minusMillis(1))).isTrue();
        assertThat(s().vacationReplied(alice, "h1", "carol@remote.test", until)).isFalse(); // the period ended
        assertThat(s().vacationReplied(alice, "h2", "carol@remote.test", T0)).isFalse();
        assertThat(s().vacationReplied(bob, "h1", "carol@remote.test", T0)).isFalse();
        // remembered again: the new expiry replaces the old one
        s().rememberVacation(alice, "h1", "carol@remote.test", until.plus(java.time.Duration.ofDays(1)));
        assertThat(s().vacationReplied(alice, "h1", "carol@remote.test", until)).isTrue();
    }

    @Test
    void globalScriptsInRunOrderPerDomain() {
        s().putGlobal("", SieveScripts.Phase.AFTER, "z-server-after", "keep;");
        s().putGlobal("", SieveScripts.Phase.BEFORE, "b-server", "keep;");
        s().putGlobal("", SieveScripts.Phase.BEFORE, "a-server", "keep;");
        s().putGlobal("Example.TEST", SieveScripts.Phase.BEFORE, "0-domain", "keep;");
        s().putGlobal("example.test", SieveScripts.Phase.AFTER, "domain-after", "discard;");
        s().putGlobal("other.test", SieveScripts.Phase.BEFORE, "other", "keep;");
        // the server's before scripts, the domain's before, the domain's after, the server's after
        assertThat(s().globalScripts("example.test")).extracting(SieveScripts.GlobalScript::name)
                .containsExactly("a-server", "b-server", "0-domain", "domain-after", "z-server-after");
        assertThat(s().globalScripts("nowhere.test")).extracting(SieveScripts.GlobalScript::name)
                .containsExactly("a-server", "b-server", "z-server-after");
        // replacing keeps one row
        clock.advance(java.time.Duration.ofMinutes(1));
        s().putGlobal("example.test", SieveScripts.Phase.AFTER, "domain-after", "stop;");
        assertThat(s().listGlobal("example.test")).extracting(SieveScripts.GlobalScript::content).containsExactly("keep;", "stop;");
        assertThat(s().listGlobal(null)).hasSize(6);
        assertThat(s().removeGlobal("EXAMPLE.test", SieveScripts.Phase.AFTER, "domain-after")).isTrue();
        assertThat(s().removeGlobal("example.test", SieveScripts.Phase.BEFORE, "domain-after")).isFalse();
        assertThat(s().listGlobal("example.test")).extracting(SieveScripts.GlobalScript::name).containsExactly("0-domain");
        assertThat(SieveScripts.Phase.parse("After")).contains(SieveScripts.Phase.AFTER);
        assertThat(SieveScripts.Phase.parse("during")).isEmpty();
    }

    @Test
    void enqueueOnceQueuesOncePerKey() throws Exception {
        BlobRef blob = store.blobs().put("Subject: x\r\n\r\nbody\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Spool.Envelope env = new Spool.Envelope("", java.util.List.of(new Spool.Recipient("carol@far.test", null, null)), null, null, null,
                "sieve-notify", false, false, "7BIT", null, null, T0);
        java.util.OptionalLong first = store.spool().enqueueOnce("notify:1:2:0", env, blob);
        assertThat(first).isPresent();
        assertThat(store.spool().enqueueOnce("notify:1:2:0", env, blob)).isEmpty(); // a redo queues nothing
        assertThat(store.spool().enqueueOnce("notify:1:2:1", env, blob)).isPresent();
        assertThat(store.spool().list(10)).hasSize(2);
        assertThat(store.spool().get(first.getAsLong()).orElseThrow().envelope().recipients().getFirst().address()).isEqualTo("carol@far.test");
        // keys are forgotten after their retention: then the same key queues again
        clock.advance(java.time.Duration.ofDays(31));
        assertThat(store.spool().purgeSendKeys(clock.instant().minus(java.time.Duration.ofDays(30)))).isEqualTo(2);
        assertThat(store.spool().enqueueOnce("notify:1:2:0", env, blob)).isPresent();
    }

    @Test
    void mailboxExistsWithoutCounting() {
        store.mailboxes().create(alice, "Lists/News", null);
        assertThat(store.mailboxes().exists(alice, "INBOX")).isTrue();
        assertThat(store.mailboxes().exists(alice, "inbox")).isTrue(); // INBOX is case-insensitive (RFC 9051 §5.1)
        assertThat(store.mailboxes().exists(alice, "Lists/News")).isTrue();
        assertThat(store.mailboxes().exists(alice, "Lists/Other")).isFalse();
        assertThat(store.mailboxes().exists(bob, "Lists/News")).isFalse();
    }
}
