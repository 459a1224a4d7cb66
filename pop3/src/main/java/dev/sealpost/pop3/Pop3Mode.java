package dev.sealpost.pop3;

import dev.sealpost.store.Mailboxes;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a POP3 DELE means for one account, read from the account's metadata entry
 * {@link #METADATA_ENTRY} (RFC 5464 server/account entry, {@code mailboxId} null).
 */
public enum Pop3Mode {
    /** RFC 1939 §6: messages marked with DELE are expunged when the client sends QUIT. The default. */
    DELETE("delete"),
    /**
     * Leave mail on the server: messages marked with DELE get {@code \Seen} and the keyword
     * {@link #DELETED_KEYWORD} at QUIT. POP3 does not show them again; IMAP still sees them in INBOX.
     */
    KEEP("keep");

    /** The account metadata entry holding {@code keep} or {@code delete} (absent: {@code delete}). */
    public static final String METADATA_ENTRY = "/private/vendor/sealpost/pop3-mode";
    /** The IMAP keyword marking messages a POP3 client deleted in KEEP mode; hidden from later POP3 sessions. */
    public static final String DELETED_KEYWORD = "$POP3Deleted";

    private final String value;

    Pop3Mode(String value) {
        this.value = value;
    }

    /** The metadata value: {@code delete} or {@code keep}. */
    public String value() {
        return value;
    }

    /** Parses a metadata value (case-insensitive); empty when it is neither {@code keep} nor {@code delete}. */
    public static Optional<Pop3Mode> parse(String value) {
        if (value == null) return Optional.empty();
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "delete" -> Optional.of(DELETE);
            case "keep" -> Optional.of(KEEP);
            default -> Optional.empty();
        };
    }

    /**
     * The account's mode: DELETE when the entry is absent. Leniency, a decision: an entry with
     * another value (the user can write {@code /private} entries with IMAP SETMETADATA) counts as
     * KEEP, the choice that never loses mail.
     */
    public static Pop3Mode of(Mailboxes mailboxes, long accountId) {
        Map<String, String> m = mailboxes.metadata(accountId, null, METADATA_ENTRY);
        String v = m.get(METADATA_ENTRY);
        if (v == null) return DELETE;
        return parse(v).orElse(KEEP);
    }

    /** Sets an account's mode (for the CLI {@code account pop3-mode} and the admin API). */
    public static void set(Mailboxes mailboxes, long accountId, Pop3Mode mode) {
        Objects.requireNonNull(mode, "mode");
        mailboxes.setMetadata(accountId, null, METADATA_ENTRY, mode.value);
    }
}
