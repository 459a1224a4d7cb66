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
import java.util.Arrays;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Account roles and API tokens (V14) on every backend (subclasses give a fresh database per test). */
abstract class ApiAccessContract {
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path dataDir;
    Store store;

    protected abstract StoreConfig freshConfig(Path dataDir, MutableClock clock) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = JdbcStore.open(freshConfig(dataDir, new MutableClock(T0)), pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("a.test");
        store.directory().addDomain("b.test");
        store.directory().addAccount("root@a.test", "x".toCharArray());
        store.directory().addAccount("dom@a.test", "x".toCharArray());
        store.directory().addAccount("user@b.test", "x".toCharArray());
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    ApiAccess access() {
        return store.apiAccess();
    }

    private static byte[] hash(int fill) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void rolesAreGrantedClearedAndListed() {
        assertThat(access().roles("root@a.test")).isEqualTo(ApiAccess.Roles.USER);
        access().grantAdmin("Root@A.test");
        access().grantAdmin("root@a.test"); // twice: still one row
        access().grantDomainAdmin("dom@a.test", "A.TEST");
        access().grantDomainAdmin("dom@a.test", "b.test");
        assertThat(access().roles("root@a.test")).isEqualTo(new ApiAccess.Roles(true, Set.of()));
        assertThat(access().roles("dom@a.test")).isEqualTo(new ApiAccess.Roles(false, Set.of("a.test", "b.test")));
        assertThat(access().roles("dom@a.test").describe()).isEqualTo("domain-admin:a.test, domain-admin:b.test");
        assertThat(access().roleHolders().keySet()).containsExactly("dom@a.test", "root@a.test");
        access().clearRoles("dom@a.test");
        assertThat(access().roles("dom@a.test")).isEqualTo(ApiAccess.Roles.USER);
        assertThat(access().roles("nobody@a.test")).isEqualTo(ApiAccess.Roles.USER);
        assertThatThrownBy(() -> access().grantAdmin("nobody@a.test")).isInstanceOf(DirectoryException.class).hasMessageContaining("no such account");
        assertThatThrownBy(() -> access().grantDomainAdmin("dom@a.test", "c.test")).isInstanceOf(DirectoryException.class).hasMessageContaining("no such local domain");
    }

    @Test
    void tokensAreFoundByHashRevokedAndGoWithTheirAccount() {
        ApiAccess.Token t = access().addToken("user@b.test", "laptop", ApiAccess.Scope.SELF, hash(7));
        access().addToken("root@a.test", "ci", ApiAccess.Scope.ADMIN, hash(8));
        assertThat(t.address()).isEqualTo("user@b.test");
        assertThat(access().tokenByHash(hash(7))).get().satisfies(x -> {
            assertThat(x.id()).isEqualTo(t.id());
            assertThat(x.scope()).isEqualTo(ApiAccess.Scope.SELF);
            assertThat(x.name()).isEqualTo("laptop");
            assertThat(x.revoked()).isFalse();
            assertThat(x.createdAt()).isEqualTo(T0);
        });
        assertThat(access().tokenByHash(hash(9))).isEmpty();
        access().tokenUsed(t.id(), T0.plusSeconds(5));
        assertThat(access().tokens("user@b.test")).singleElement().satisfies(x -> assertThat(x.lastUsedAt()).isEqualTo(T0.plusSeconds(5)));
        assertThat(access().revokeToken(t.id(), T0.plusSeconds(9))).isTrue();
        assertThat(access().revokeToken(t.id(), T0.plusSeconds(10))).isFalse();
        assertThat(access().tokenByHash(hash(7))).get().satisfies(x -> assertThat(x.revokedAt()).isEqualTo(T0.plusSeconds(9)));
        store.directory().removeAccount("user@b.test");
        assertThat(access().tokenByHash(hash(7))).isEmpty();
        assertThat(access().tokenByHash(hash(8))).isPresent();
    }

    @Test
    void traceOfAnUnknownMessageIsEmpty() {
        assertThat(store.trace().byQueueId(12345)).isEmpty();
        assertThat(store.trace().byMessageId("<nothing@a.test>", 10)).isEmpty();
        assertThat(store.trace().byMessageId("", 10)).isEmpty();
    }
}
