package dev.sealpost.store;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.store.internal.JdbcStore;
import dev.sealpost.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The quarantine table's behaviour on every backend: hold once, list, show, delete, purge by expiry. */
abstract class QuarantineContract {
    @TempDir
    Path dataDir;
    Store store;
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    protected abstract StoreConfig freshConfig(Path dataDir, MutableClock clock) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = JdbcStore.open(freshConfig(dataDir, new MutableClock(T0)), pw -> PasswordHasher.hash(pw, 1000, 4096));
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
    }

    private static Quarantine.NewEntry entry(long queueId, long account, String rcpt, int days) {
        return new Quarantine.NewEntry(queueId, account, rcpt, "evil@example.net", "Evil <evil@example.net>", "Invoice\r\nX: y",
                "quarantine", "14.0", "dangerous_attachment 8.0 exe: a.zip/a.exe", "s1",
                "Subject: Invoice\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII), T0, T0.plus(Duration.ofDays(days)));
    }

    @Test
    void holdsOncePerQueueMessageAndAccount() {
        Quarantine q = store.quarantine();
        assertThat(q.hold(entry(7, 1, "Ana@Example.com", 30))).isTrue();
        assertThat(q.hold(entry(7, 1, "ana@example.com", 30))).as("a redo").isFalse();
        assertThat(q.hold(entry(7, 2, "ana@example.com", 30))).isTrue();
        assertThat(q.hold(entry(8, 3, "bob@example.com", 30))).isTrue();
        assertThat(q.list(null, 10)).hasSize(3);
        assertThat(q.list("ANA@example.com", 10)).hasSize(2).allSatisfy(e -> {
            assertThat(e.recipient()).isEqualTo("ana@example.com");
            assertThat(e.hits()).isEqualTo("dangerous_attachment 8.0 exe: a.zip/a.exe");
            assertThat(e.subject()).isEqualTo("Invoice X: y");
            assertThat(e.size()).isEqualTo(26);
            assertThat(e.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
        });
        long id = q.list("bob@example.com", 10).getFirst().id();
        assertThat(q.get(id)).get().extracting(Quarantine.Entry::accountId).isEqualTo(3L);
        assertThat(new String(q.content(id).orElseThrow(), StandardCharsets.US_ASCII)).startsWith("Subject: Invoice");
        assertThat(q.delete(id)).isTrue();
        assertThat(q.delete(id)).isFalse();
        assertThat(q.get(id)).isEmpty();
    }

    @Test
    void purgeDeletesExpiredOnly() {
        Quarantine q = store.quarantine();
        q.hold(entry(1, 1, "a@example.com", 1));
        q.hold(entry(2, 1, "a@example.com", 30));
        assertThat(q.purge(T0.plus(Duration.ofHours(23)))).isZero();
        assertThat(q.purge(T0.plus(Duration.ofDays(1)))).isEqualTo(1);
        assertThat(q.list(null, 10)).singleElement().extracting(Quarantine.Entry::queueMessageId).isEqualTo(2L);
    }
}
