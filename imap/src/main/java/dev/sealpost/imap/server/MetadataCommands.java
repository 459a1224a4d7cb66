package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.server.MailboxResolver.Target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * RFC 5464 METADATA: GETMETADATA and SETMETADATA, for server entries and the account's own
 * mailboxes.
 */
final class MetadataCommands extends CommandFamily {
    MetadataCommands(ImapSession session) {
        super(session);
    }

    static final int MAX_METADATA_VALUE = 64 * 1024;
    /** Entries per mailbox (or server entries per account). */
    static final int MAX_METADATA_ENTRIES = 500;

    String getMetadata(List<Arg> a) throws IOException, CommandFailed {
        int i = 0;
        long maxSize = -1;
        String depth = "0";
        if (!a.isEmpty() && a.get(0) instanceof Arg.ListArg opts) { // RFC 5464 §4.2
            List<Arg> o = opts.items();
            for (int k = 0; k < o.size(); k += 2) {
                if (k + 1 >= o.size()) throw bad("GETMETADATA option without value");
                String n = text(o.get(k)).toUpperCase(Locale.ROOT);
                if (n.equals("MAXSIZE")) maxSize = number(o.get(k + 1));
                else if (n.equals("DEPTH")) depth = text(o.get(k + 1)).toLowerCase(Locale.ROOT);
                else throw bad("Unknown GETMETADATA option");
            }
            if (!Set.of("0", "1", "infinity").contains(depth)) throw bad("DEPTH must be 0, 1 or infinity");
            i++;
        }
        if (a.size() != i + 2) throw bad("GETMETADATA [(options)] mailbox entries");
        String wire = text(a.get(i));
        Long mbId = metadataMailbox(a.get(i));
        List<String> entries = new ArrayList<>();
        if (a.get(i + 1) instanceof Arg.ListArg el) for (Arg x : el.items()) entries.add(entryName(x));
        else entries.add(entryName(a.get(i + 1)));
        Map<String, String> found = new TreeMap<>();
        long longest = 0;
        for (String e : entries) {
            for (Map.Entry<String, String> kv : mailboxes().metadata(account().id(), mbId, e).entrySet()) {
                String k = kv.getKey();
                boolean ok = k.equals(e) || (!depth.equals("0") && k.startsWith(e + "/")
                        && (depth.equals("infinity") || k.indexOf('/', e.length() + 1) < 0));
                if (!ok) continue;
                long len = kv.getValue().getBytes(StandardCharsets.UTF_8).length;
                if (maxSize >= 0 && len > maxSize) {
                    longest = Math.max(longest, len);
                    continue;
                }
                found.put(k, kv.getValue());
            }
        }
        if (!found.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, String> kv : found.entrySet()) {
                if (!sb.isEmpty()) sb.append(' ');
                sb.append(q(kv.getKey())).append(' ').append(q(kv.getValue()));
            }
            untagged("METADATA " + (mbId == null ? "\"\"" : mbox(mailboxName(a.get(i)))) + " (" + sb + ")");
        }
        return (longest > 0 ? "[METADATA LONGENTRIES " + longest + "] " : "") + "GETMETADATA completed";
    }

    String setMetadata(List<Arg> a) throws CommandFailed {
        argc(a, 2);
        Long mbId = metadataMailbox(a.get(0));
        if (!(a.get(1) instanceof Arg.ListArg l) || l.items().isEmpty() || l.items().size() % 2 != 0) {
            throw bad("SETMETADATA mailbox (entry value ...)");
        }
        List<Arg> kv = l.items();
        if (mailboxes().metadata(account().id(), mbId, "").size() + kv.size() / 2 > MAX_METADATA_ENTRIES) {
            throw no("[METADATA TOOMANY] Too many metadata entries"); // RFC 5464 §4.3
        }
        for (int k = 0; k < kv.size(); k += 2) {
            entryName(kv.get(k));
            Arg v = kv.get(k + 1);
            if (v instanceof Arg.Str s && s.value().length > MAX_METADATA_VALUE) {
                throw no("[METADATA MAXSIZE " + MAX_METADATA_VALUE + "] Value too large"); // RFC 5464 §4.3
            }
            if (v instanceof Arg.ListArg) throw bad("Metadata values are strings or NIL");
            if (v instanceof Arg.Atom at && !at.is("NIL")) throw bad("Metadata values are strings or NIL");
        }
        for (int k = 0; k < kv.size(); k += 2) {
            String value = kv.get(k + 1) instanceof Arg.Str s ? s.text() : null;
            mailboxes().setMetadata(account().id(), mbId, entryName(kv.get(k)), value);
        }
        return "SETMETADATA completed";
    }

    /** The mailbox id of a METADATA command, or null for server entries ({@code ""}); own mailboxes only. */
    private Long metadataMailbox(Arg a) throws CommandFailed {
        if (text(a).isEmpty()) return null;
        Target t = existing(a, 'r');
        if (!t.own()) throw no("[NOPERM] Metadata of other users' mailboxes is not available");
        return t.info().id();
    }

    /** RFC 5464 §3.2 entry names: /private/... or /shared/..., case-insensitive (kept lower case). */
    static String entryName(Arg a) throws CommandFailed {
        String e = text(a).toLowerCase(Locale.ROOT);
        if (!(e.startsWith("/private/") || e.startsWith("/shared/") || e.equals("/private") || e.equals("/shared"))) {
            throw bad("Entry names start with /private or /shared");
        }
        if (e.length() > 1024 || e.endsWith("/") || e.contains("//") || e.contains("*") || e.contains("%")) throw bad("Invalid entry name");
        for (int k = 0; k < e.length(); k++) if (e.charAt(k) < 0x21 || e.charAt(k) > 0x7e) throw bad("Invalid entry name");
        return e;
    }
}
