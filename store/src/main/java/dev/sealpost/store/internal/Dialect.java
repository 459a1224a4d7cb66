package dev.sealpost.store.internal;

/** The few differences between the SQL dialects; everything else is shared SQL. */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String migrationDir;

    Dialect(String migrationDir) {
        this.migrationDir = migrationDir;
    }

    /** Classpath folder of this dialect's migrations, under {@code db/migration/}. */
    public String migrationDir() {
        return migrationDir;
    }

    /** SQL that opens a write transaction on an auto-commit connection (SQLite) or null (PostgreSQL uses JDBC transactions). */
    String beginWrite() {
        // SQLite: take the write lock up front so that a batch never fails half-way with SQLITE_BUSY
        return this == SQLITE ? "BEGIN IMMEDIATE" : null;
    }
}
