package dev.sealpost.store;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lists and groups (migration V16) on every backend: members by role, state, pending items, group expansion. */
abstract class MailingListsContract {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dataDir;
    Store store;

    protected abstract StoreConfig freshConfig(Path dataDir, MutableClock clock) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = JdbcStore.open(freshConfig(dataDir, new MutableClock(T0)), pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.org");
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    @Test
    void listsMembersRolesAndSettings() {
        MailingLists l = store.lists();
        l.create("Dev@example.org", "Developers", "members");
        assertThatThrownBy(() -> l.create("dev@example.org", "", "open")).isInstanceOf(DirectoryException.class).hasMessageContaining("exists");
        assertThatThrownBy(() -> l.create("x@elsewhere.test", "", "open")).isInstanceOf(DirectoryException.class).hasMessageContaining("not a local domain");
        assertThatThrownBy(() -> l.create("y@example.org", "", "sometimes")).isInstanceOf(DirectoryException.class).hasMessageContaining("posting");
        assertThat(l.addMember("dev@example.org", MailingLists.Role.MEMBER, "Bob@Far.test")).isTrue();
        assertThat(l.addMember("dev@example.org", MailingLists.Role.MEMBER, "bob@far.test")).isFalse();
        assertThat(l.addMember("dev@example.org", MailingLists.Role.OWNER, "bob@far.test")).isTrue();
        assertThat(l.members("dev@example.org", MailingLists.Role.MEMBER)).extracting(MailingLists.Member::address).containsExactly("bob@far.test");
        assertThat(l.members("dev@example.org", MailingLists.Role.MEMBER).getFirst().enabled()).isTrue();
        l.update("dev@example.org", "Devs", "moderated", Map.of("subject_prefix", "[dev]"));
        MailingLists.MailingList got = l.find("DEV@example.org").orElseThrow();
        assertThat(got.posting()).isEqualTo("moderated");
        assertThat(got.setting("subject_prefix", "")).isEqualTo("[dev]");
        MailingLists.BounceState b = new MailingLists.BounceState(5.5, T0, "2026-03-02", 1.0, "disabled", 1, T0);
        assertThat(l.setMemberState("dev@example.org", "bob@far.test", false, b)).isTrue();
        MailingLists.Member m = l.members("dev@example.org", MailingLists.Role.MEMBER).getFirst();
        assertThat(m.enabled()).isFalse();
        assertThat(m.bounce()).isEqualTo(b);
        l.setMemberState("dev@example.org", "bob@far.test", true, MailingLists.BounceState.NEW);
        assertThat(l.members("dev@example.org", MailingLists.Role.MEMBER).getFirst().bounce()).isEqualTo(MailingLists.BounceState.NEW);
        // own copies: on by default, per member, kept across state changes, members only
        assertThat(l.members("dev@example.org", MailingLists.Role.MEMBER).getFirst().ownPosts()).isTrue();
        assertThat(l.setSelfCopy("dev@example.org", "BOB@far.test", false)).isTrue();
        l.setMemberState("dev@example.org", "bob@far.test", true, MailingLists.BounceState.NEW);
        assertThat(l.members("dev@example.org", MailingLists.Role.MEMBER).getFirst().ownPosts()).isFalse();
        assertThat(l.members("dev@example.org", MailingLists.Role.OWNER).getFirst().ownPosts()).isTrue();
        assertThat(l.setSelfCopy("dev@example.org", "nobody@far.test", false)).isFalse();
        assertThat(l.setSelfCopy("dev@example.org", "bob@far.test", true)).isTrue();
        assertThat(l.members("dev@example.org", MailingLists.Role.MEMBER).getFirst().ownPosts()).isTrue();
        assertThat(l.removeMember("dev@example.org", MailingLists.Role.MEMBER, "bob@far.test")).isTrue();
        assertThat(l.members("dev@example.org", MailingLists.Role.OWNER)).hasSize(1);
        assertThat(l.remove("dev@example.org")).isTrue();
        assertThat(l.find("dev@example.org")).isEmpty();
    }

    @Test
    void disabledMembersAreThoseBouncesDisabled() {
        MailingLists l = store.lists();
        l.create("dev@example.org", "", "open");
        l.create("ops@example.org", "", "open");
        for (String a : new String[] {"ann@far.test", "bob@far.test", "cy@far.test"}) l.addMember("dev@example.org", MailingLists.Role.MEMBER, a);
        l.addMember("ops@example.org", MailingLists.Role.MEMBER, "bob@far.test");
        l.addMember("dev@example.org", MailingLists.Role.OWNER, "cy@far.test");
        assertThat(l.disabledMembers("dev@example.org")).isEmpty();
        MailingLists.BounceState disabled = new MailingLists.BounceState(5.0, T0, "2026-03-02", 1.0, "disabled", 1, T0);
        l.setMemberState("dev@example.org", "cy@far.test", false, disabled);
        l.setMemberState("dev@example.org", "bob@far.test", false, disabled);
        // enabled=false without a bounce status of disabled (not the bounce pass's business), and another list's member
        l.setMemberState("dev@example.org", "ann@far.test", false, MailingLists.BounceState.NEW);
        l.setMemberState("ops@example.org", "bob@far.test", false, disabled);
        assertThat(l.disabledMembers("DEV@example.org")).extracting(MailingLists.Member::address).containsExactly("bob@far.test", "cy@far.test");
        assertThat(l.disabledMembers("dev@example.org")).allSatisfy(m -> {
            assertThat(m.role()).isEqualTo(MailingLists.Role.MEMBER);
            assertThat(m.bounce()).isEqualTo(disabled);
        });
        l.setMemberState("dev@example.org", "bob@far.test", true, MailingLists.BounceState.NEW);
        l.removeMember("dev@example.org", MailingLists.Role.MEMBER, "cy@far.test");
        assertThat(l.disabledMembers("dev@example.org")).isEmpty();
        assertThat(l.disabledMembers("ops@example.org")).hasSize(1);
        assertThatThrownBy(() -> l.disabledMembers("none@example.org")).isInstanceOf(DirectoryException.class);
    }

    @Test
    void pendingItemsAreTakenOnceAndExpire() {
        MailingLists l = store.lists();
        long id = l.create("dev@example.org", "", "open").id();
        l.putPending(new MailingLists.Pending("tok1", id, "subscribe", "carol@far.test", null, T0, T0.plusSeconds(60)));
        l.putPending(new MailingLists.Pending("tok2", id, "held", "dave@far.test", new byte[] {1, 2}, T0, T0.plusSeconds(10)));
        assertThat(l.pending("dev@example.org", "held")).extracting(MailingLists.Pending::token).containsExactly("tok2");
        assertThat(l.takePending("tok1")).map(MailingLists.Pending::address).contains("carol@far.test");
        assertThat(l.takePending("tok1")).isEmpty();
        assertThat(l.purgePending(T0.plusSeconds(11))).isEqualTo(1);
        assertThat(l.takePending("tok2")).isEmpty();
    }

    @Test
    void groupsExpandWithAliasesWithoutDuplicatesOrLoops() {
        store.directory().addAccount("ann@example.org", "pw-ann-123456".toCharArray());
        store.directory().addAccount("ben@example.org", "pw-ben-123456".toCharArray());
        store.directory().addAlias("a@example.org", "ann@example.org");
        MailingLists l = store.lists();
        l.createGroup("team@example.org");
        l.createGroup("all@example.org");
        l.addGroupMember("team@example.org", "ann@example.org");
        l.addGroupMember("team@example.org", "a@example.org");
        l.addGroupMember("team@example.org", "out@far.test");
        l.addGroupMember("all@example.org", "team@example.org");
        l.addGroupMember("all@example.org", "ben@example.org");
        l.addGroupMember("all@example.org", "all@example.org"); // a loop
        l.addGroupMember("team@example.org", "all@example.org"); // another
        Directory.Resolution r = store.directory().resolve(new dev.sealpost.core.mail.EmailAddress("all", "example.org"));
        assertThat(r.accounts()).extracting(Directory.Account::address).containsExactlyInAnyOrder("ann@example.org", "ben@example.org");
        assertThat(r.remoteAddresses()).containsExactly("out@far.test");
        assertThat(l.groups()).containsExactly("all@example.org", "team@example.org");
        assertThat(l.isGroup("Team@example.org")).isTrue();
        assertThat(l.removeGroupMember("team@example.org", "out@far.test")).isTrue();
        assertThat(l.groupMembers("team@example.org")).containsExactly("a@example.org", "all@example.org", "ann@example.org");
        assertThat(l.removeGroup("team@example.org")).isTrue();
        assertThatThrownBy(() -> l.create("all@example.org", "", "open")).isInstanceOf(DirectoryException.class);
    }
}
