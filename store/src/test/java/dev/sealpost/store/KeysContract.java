package dev.sealpost.store;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.Keys.Origin;
import dev.sealpost.store.Keys.Type;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key store's behaviour on every backend (subclasses give a fresh database per test). */
abstract class KeysContract {
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final String FPR_A = "0123456789ABCDEF0123456789ABCDEF01234567";
    static final String FPR_B = "89ABCDEF0123456789ABCDEF0123456789ABCDEF";
    static final byte[] SECRET = "-----BEGIN PGP PRIVATE KEY BLOCK----- very secret".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dataDir;
    MutableClock clock;
    Store store;

    protected abstract StoreConfig freshConfig(Path dataDir, MutableClock clock) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        clock = new MutableClock(T0);
        lastConfig = freshConfig(dataDir, clock);
        store = JdbcStore.open(lastConfig, pw -> PasswordHasher.hash(pw, 1000, 4096));
        store.directory().addDomain("example.test");
        store.directory().addAccount("alice@example.test", "pw alice 123".toCharArray());
        store.directory().addAccount("bob@example.test", "pw bob 123456".toCharArray());
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    Keys k() {
        return store.keys();
    }

    @Test
    void ownKeysAreSealedAtRestAndOpenWithTheKek() throws Exception {
        Keys.OwnKey a = k().addOwn("Alice@Example.test", Type.OPENPGP, FPR_A.toLowerCase(), new byte[] {1, 2, 3}, SECRET);
        assertThat(a.address()).isEqualTo("alice@example.test");
        assertThat(a.fingerprint()).isEqualTo(FPR_A);
        assertThat(k().privateKey(a)).isEqualTo(SECRET);
        // the KEK: 32 octets, owner-only, outside the database
        Path kek = dataDir.resolve("keys/kek");
        assertThat(Files.readAllBytes(kek)).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kek))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kek.getParent()))).isEqualTo("rwx------");
        // nothing of the secret in the SQLite files
        try (var files = Files.list(dataDir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1)).doesNotContain("very secret");
            }
        }
        assertThatThrownBy(() -> k().addOwn("alice@example.test", Type.OPENPGP, FPR_A, new byte[] {1}, SECRET))
                .isInstanceOf(DirectoryException.class);
        assertThatThrownBy(() -> k().addOwn("nobody@example.test", Type.OPENPGP, FPR_B, new byte[] {1}, SECRET))
                .isInstanceOf(DirectoryException.class);
    }

    @Test
    void theNewestNonRevokedKeyIsCurrent() {
        Keys.OwnKey first = k().addOwn("alice@example.test", Type.OPENPGP, FPR_A, new byte[] {1}, SECRET);
        clock.advance(Duration.ofMinutes(1));
        Keys.OwnKey second = k().addOwn("alice@example.test", Type.OPENPGP, FPR_B, new byte[] {2}, SECRET);
        k().addOwn("bob@example.test", Type.SMIME, FPR_A, new byte[] {3}, SECRET);
        assertThat(k().currentOwn("alice@example.test", Type.OPENPGP).orElseThrow().id()).isEqualTo(second.id());
        assertThat(k().currentOwn("alice@example.test", Type.SMIME)).isEmpty();
        assertThat(k().own("alice@example.test")).extracting(Keys.OwnKey::id).containsExactly(second.id(), first.id());
        assertThat(k().revokeOwn(second.id())).isTrue();
        assertThat(k().revokeOwn(second.id())).isFalse();
        assertThat(k().currentOwn("alice@example.test", Type.OPENPGP).orElseThrow().id()).isEqualTo(first.id());
        assertThat(k().currentOwnInDomain("example.test", Type.OPENPGP)).extracting(Keys.OwnKey::id).containsExactly(first.id());
        assertThat(k().currentOwnInDomain("example.test", Type.SMIME)).extracting(Keys.OwnKey::address).containsExactly("bob@example.test");
        assertThat(k().ownByFingerprint(Type.SMIME, FPR_A).orElseThrow().address()).isEqualTo("bob@example.test");
        assertThat(k().own("alice@example.test").getFirst().revoked()).isTrue();
    }

    @Test
    void peerKeysKeepOriginAndValidity() {
        Instant until = T0.plus(Duration.ofDays(365));
        Keys.PeerKey p = k().putPeer("Carol@Elsewhere.test", Type.OPENPGP, FPR_A, new byte[] {9}, Origin.AUTOCRYPT, T0, until);
        assertThat(p.address()).isEqualTo("carol@elsewhere.test");
        assertThat(p.origin()).isEqualTo(Origin.AUTOCRYPT);
        assertThat(p.validAt(T0)).isTrue();
        assertThat(p.validAt(until)).isFalse();
        clock.advance(Duration.ofHours(1));
        Keys.PeerKey again = k().putPeer("carol@elsewhere.test", Type.OPENPGP, FPR_A, new byte[] {9}, Origin.WKD, T0, null);
        assertThat(again.id()).isEqualTo(p.id());
        assertThat(again.addedAt()).isEqualTo(T0);
        assertThat(again.lastSeen()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(again.origin()).isEqualTo(Origin.WKD);
        assertThat(again.validUntil()).isNull();
        k().putPeer("carol@elsewhere.test", Type.SMIME, FPR_B, new byte[] {8}, Origin.SIGNATURE, null, null);
        assertThat(k().peers("carol@elsewhere.test")).hasSize(2);
        assertThat(k().peers(null)).hasSize(2);
        assertThat(k().revokePeer(p.id())).isTrue();
        assertThat(k().peers("carol@elsewhere.test").stream().filter(Keys.PeerKey::revoked).count()).isEqualTo(1);
    }

    @Test
    void domainCaPrivateKeyIsSealedToo() {
        assertThat(k().ca("example.test")).isEmpty();
        Keys.DomainCa ca = k().putCa("example.test", new byte[] {4, 5}, "ca secret".getBytes(StandardCharsets.US_ASCII));
        assertThat(k().ca("EXAMPLE.test").orElseThrow().certificate()).isEqualTo(new byte[] {4, 5});
        assertThat(new String(k().caPrivateKey(ca), StandardCharsets.US_ASCII)).isEqualTo("ca secret");
        assertThatThrownBy(() -> k().putCa("example.test", new byte[] {1}, new byte[] {1})).isInstanceOf(DirectoryException.class);
        assertThatThrownBy(() -> k().putCa("nowhere.test", new byte[] {1}, new byte[] {1})).isInstanceOf(DirectoryException.class);
    }

    @Test
    void rotationResealsEveryPrivateKeyAndDropsTheOldKek() throws Exception {
        Keys.OwnKey a = k().addOwn("alice@example.test", Type.OPENPGP, FPR_A, new byte[] {1}, SECRET);
        Keys.DomainCa ca = k().putCa("example.test", new byte[] {4}, "ca secret".getBytes(StandardCharsets.US_ASCII));
        String before = k().kekId();
        byte[] oldKek = Files.readAllBytes(dataDir.resolve("keys/kek"));
        assertThat(k().rotateKek()).isEqualTo(2);
        assertThat(k().kekId()).isNotEqualTo(before);
        assertThat(Files.readAllBytes(dataDir.resolve("keys/kek"))).isNotEqualTo(oldKek);
        try (var files = Files.list(dataDir.resolve("keys"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("kek");
        }
        assertThat(k().privateKey(a)).isEqualTo(SECRET);
        assertThat(k().caPrivateKey(ca)).isEqualTo("ca secret".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aLostOrLooseKekIsRefusedByName() throws Exception {
        Keys.OwnKey a = k().addOwn("alice@example.test", Type.OPENPGP, FPR_A, new byte[] {1}, SECRET);
        Path kek = dataDir.resolve("keys/kek");
        Files.setPosixFilePermissions(kek, PosixFilePermissions.fromString("rw-r--r--"));
        store.close();
        store = JdbcStore.open(freshConfigSame(), pw -> PasswordHasher.hash(pw, 1000, 4096));
        assertThatThrownBy(() -> store.keys().privateKey(a)).isInstanceOf(StoreException.class).hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(kek, PosixFilePermissions.fromString("rw-------"));
        store.close();
        store = JdbcStore.open(freshConfigSame(), pw -> PasswordHasher.hash(pw, 1000, 4096));
        assertThat(store.keys().privateKey(a)).isEqualTo(SECRET);
        store.close();
        Files.write(kek, new byte[32]); // another KEK: the sealed key does not open
        store = JdbcStore.open(freshConfigSame(), pw -> PasswordHasher.hash(pw, 1000, 4096));
        assertThatThrownBy(() -> store.keys().privateKey(a)).isInstanceOf(StoreException.class).hasMessageContaining("not in");
    }

    /** The same database again, to reopen it. */
    StoreConfig freshConfigSame() {
        return lastConfig;
    }

    StoreConfig lastConfig;
    @Test
    void policiesPerScopeKeepUnsetFieldsAndRefuseBadValues() {
        assertThat(k().policy("example.test")).isEmpty();
        Keys.Policy d = k().putPolicy("@Example.TEST", "always", null, null);
        assertThat(d.scope()).isEqualTo("example.test");
        assertThat(d.sign()).isEqualTo("always");
        assertThat(d.encrypt()).isNull();
        clock.advance(Duration.ofMinutes(1));
        Keys.Policy d2 = k().putPolicy("example.test", null, "required", "decrypt");
        assertThat(d2.sign()).isEqualTo("always"); // kept
        assertThat(d2.encrypt()).isEqualTo("required");
        assertThat(d2.inbound()).isEqualTo("decrypt");
        assertThat(k().policy("example.test")).contains(new Keys.Policy("example.test", "always", "required", "decrypt", T0.plus(Duration.ofMinutes(1))));
        k().putPolicy("Bob@Example.test", "never", "when-possible", null);
        assertThat(k().policies()).extracting(Keys.Policy::scope).containsExactly("bob@example.test", "example.test");
        assertThatThrownBy(() -> k().putPolicy("example.test", "sometimes", null, null)).isInstanceOf(DirectoryException.class)
                .hasMessageContaining("sign must be one of never, always");
        assertThatThrownBy(() -> k().putPolicy("example.test", null, "encrypt-at-rest", null)).isInstanceOf(DirectoryException.class);
        assertThatThrownBy(() -> k().putPolicy("not a domain", null, "never", null)).isInstanceOf(DirectoryException.class);
        assertThat(k().removePolicy("bob@example.test")).isTrue();
        assertThat(k().removePolicy("bob@example.test")).isFalse();
        assertThat(k().policies()).hasSize(1);
    }
}
