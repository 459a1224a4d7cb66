package dev.sealpost.store;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;

/**
 * A storage failure (database or file system): an I/O problem or a bug, never the peer's fault.
 * Its {@link #kind()} tells a full disk apart from other failures, so that protocol code can
 * answer "insufficient storage" (SMTP 452 4.3.1, RFC 3463 §3.4 X.3.1) rather than a generic
 * temporary error; either way the failure is temporary and the session goes on.
 */
public class StoreException extends RuntimeException {

    /** What went wrong, as far as the protocol reply is concerned. */
    public enum Kind {
        /** No space left: SQLITE_FULL, PostgreSQL disk_full (53100), ENOSPC / EDQUOT on a file. */
        FULL,
        /** Any other storage failure (I/O error, lost connection, closed store): try again later. */
        TEMPORARY
    }

    private final Kind kind;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
        this.kind = kindOf(cause);
    }

    public StoreException(String message) {
        super(message);
        this.kind = Kind.TEMPORARY;
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** True when this failure means the storage is full. */
    public boolean full() {
        return kind == Kind.FULL;
    }

    /** SQLite result code SQLITE_FULL (primary code; extended codes keep it in the low byte). */
    private static final int SQLITE_FULL = 13;
    /** Operating-system messages for ENOSPC and EDQUOT as the JDK reports them. */
    private static final Set<String> FULL_MESSAGES = Set.of("no space left on device", "disk quota exceeded");

    /**
     * {@link Kind#FULL} when {@code t} or one of its causes says the storage is full, else
     * {@link Kind#TEMPORARY}. Suppressed exceptions are not consulted: they are follow-up
     * failures (e.g. releasing a statement), never the reason.
     */
    public static Kind kindOf(Throwable t) {
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof StoreException se) return se.kind; // already classified from its own cause
            if (t instanceof SQLException e) {
                if ("53100".equals(e.getSQLState())) return Kind.FULL; // PostgreSQL disk_full
                String msg = e.getMessage() == null ? "" : e.getMessage();
                if (e.getClass().getName().startsWith("org.sqlite.") && (e.getErrorCode() & 0xff) == SQLITE_FULL) return Kind.FULL;
                if (msg.contains("[SQLITE_FULL]")) return Kind.FULL;
            }
            if (t instanceof IOException e && fullMessage(e)) return Kind.FULL;
        }
        return Kind.TEMPORARY;
    }

    /** ENOSPC/EDQUOT: {@code FileSystemException.getReason()} or the message of a plain IOException from a write. */
    private static boolean fullMessage(IOException e) {
        String text = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
        if (text == null) return false;
        String lower = text.toLowerCase(Locale.ROOT);
        for (String m : FULL_MESSAGES) if (lower.contains(m)) return true;
        return false;
    }
}
