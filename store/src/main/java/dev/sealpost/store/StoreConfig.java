package dev.sealpost.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Where the store keeps its data.
 *
 * @param dataDir    the data directory; blobs always live in {@code dataDir/blobs/}, and with SQLite the
 *                   database is {@code dataDir/sealpost.db}
 * @param jdbcUrl    {@code null} for SQLite in {@code dataDir}, or a {@code jdbc:postgresql:...} URL
 * @param dbUser     PostgreSQL user (ignored for SQLite; may be {@code null} when the URL carries it)
 * @param dbPassword PostgreSQL password (ignored for SQLite; may be {@code null})
 * @param clock      the clock for timestamps and UIDVALIDITY
 */
public record StoreConfig(Path dataDir, String jdbcUrl, String dbUser, String dbPassword, Clock clock) {
    public StoreConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:sqlite:")) {
            throw new IllegalArgumentException("store.jdbc-url: expected jdbc:postgresql:... or empty for SQLite, got " + jdbcUrl);
        }
    }

    /** SQLite in {@code dataDir/sealpost.db} with the system clock. */
    public static StoreConfig sqlite(Path dataDir) {
        return new StoreConfig(dataDir, null, null, null, Clock.systemUTC());
    }

    /** True when this configuration selects PostgreSQL. */
    public boolean postgres() {
        return jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:");
    }
}
