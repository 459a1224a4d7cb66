package dev.sealpost.imap.server;

import dev.sealpost.imap.server.CommandSpec.Allowed;
import dev.sealpost.imap.server.ImapSession.State;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The command table's flags against RFC 9051 §6 (states), §6.4.9 (UID forms) and §7.5.1 (no EXPUNGE during FETCH, STORE, SEARCH). */
class CommandTableTest {
    private static Set<String> names(java.util.function.Predicate<CommandSpec> p) {
        return CommandTable.all().stream().filter(p).map(CommandSpec::name).collect(Collectors.toSet());
    }

    @Test
    void noExpungeDuringFetchStoreSearchButDuringTheirUidForms() {
        // RFC 9051 §7.5.1: "An EXPUNGE response MUST NOT be sent when no command is in progress, nor while
        // responding to a FETCH, STORE, or SEARCH command" ... "UID versions of these commands" may
        for (String n : Set.of("FETCH", "STORE", "SEARCH")) {
            CommandSpec c = CommandTable.find(n);
            assertThat(c.usesSeqs()).as(n).isTrue();
            assertThat(c.mayExpunge(false)).as(n).isFalse();
            assertThat(c.mayExpunge(true)).as("UID " + n).isTrue();
        }
        // the same for SORT and THREAD (RFC 5256, their results are sequence numbers) and COPY (as Dovecot's USES_SEQS)
        assertThat(names(CommandSpec::usesSeqs)).containsExactlyInAnyOrder("FETCH", "STORE", "SEARCH", "SORT", "THREAD", "COPY");
        // EXPUNGE and MOVE report expunges themselves; NOOP and IDLE are how a client gets them
        for (String n : Set.of("EXPUNGE", "MOVE", "NOOP", "IDLE", "CHECK", "STATUS")) {
            assertThat(CommandTable.find(n).mayExpunge(false)).as(n).isTrue();
        }
    }

    @Test
    void uidForms() {
        // RFC 9051 §6.4.9 (FETCH, STORE, SEARCH, COPY, MOVE, EXPUNGE), RFC 5256 §3 (SORT, THREAD)
        assertThat(names(CommandSpec::uidForm)).containsExactlyInAnyOrder("FETCH", "STORE", "SEARCH", "COPY", "MOVE", "EXPUNGE", "SORT", "THREAD");
    }

    @Test
    void states() {
        // RFC 9051 §6.1 any state, §6.2 not authenticated
        assertThat(names(c -> c.validIn(State.NOT_AUTHENTICATED)))
                .containsExactlyInAnyOrder("CAPABILITY", "NOOP", "LOGOUT", "ID", "STARTTLS", "LOGIN", "AUTHENTICATE");
        assertThat(names(c -> c.allowed() == Allowed.NOT_AUTHENTICATED)).containsExactlyInAnyOrder("STARTTLS", "LOGIN", "AUTHENTICATE");
        // RFC 9051 §6.4 (and CHECK from RFC 3501 §6.4.1, UNSELECT RFC 3691, CANCELUPDATE RFC 5267)
        assertThat(names(c -> c.allowed() == Allowed.SELECTED)).containsExactlyInAnyOrder("CHECK", "CLOSE", "UNSELECT", "EXPUNGE",
                "FETCH", "STORE", "SEARCH", "COPY", "MOVE", "SORT", "THREAD", "CANCELUPDATE");
        // every selected-state command is also a command there; none of them is valid when only authenticated
        for (CommandSpec c : CommandTable.all()) {
            if (c.allowed() != Allowed.NOT_AUTHENTICATED) assertThat(c.validIn(State.SELECTED)).as(c.name()).isTrue();
            if (c.allowed() == Allowed.SELECTED) assertThat(c.validIn(State.AUTHENTICATED)).as(c.name()).isFalse();
            assertThat(c.validIn(State.LOGOUT)).as(c.name()).isEqualTo(c.allowed() == Allowed.ANY);
        }
    }

    @Test
    void everyCommandHasAnUpperCaseNameAndAHandler() {
        assertThat(CommandTable.all()).hasSize(46);
        for (CommandSpec c : CommandTable.all()) {
            assertThat(c.name()).isEqualTo(c.name().toUpperCase(java.util.Locale.ROOT));
            assertThat(c.handler()).as(c.name()).isNotNull();
            assertThat(CommandTable.find(c.name())).isSameAs(c);
        }
        assertThat(CommandTable.find("UID")).isNull(); // a prefix, handled before the lookup
        assertThat(CommandTable.find("XYZZY")).isNull();
    }
}
