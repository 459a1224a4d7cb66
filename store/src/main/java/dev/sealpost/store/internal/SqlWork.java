package dev.sealpost.store.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of database work on a connection the caller does not own. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection c) throws SQLException;
}
