package dev.sealpost.lists.bounce.internal;

import dev.sealpost.lists.bounce.Bounce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The body of a {@code message/delivery-status} part: per-message and per-recipient field groups (RFC 3464 §2.1). */
public final class DsnReader {
    private DsnReader() {}

    /**
     * @param recipientGroups groups that carry a recipient field (Final-Recipient or Original-Recipient),
     *                        whatever their Action
     * @param failed          recipients whose Action is failed or delayed
     */
    public record Result(int recipientGroups, List<Bounce.FailedRecipient> failed) {}

    public static Result read(String body) {
        int groups = 0;
        List<Bounce.FailedRecipient> out = new ArrayList<>();
        // RFC 3464 §2.1: groups are separated by a blank line; the first is per-message. Leniency:
        // extra blank lines (empty groups) are skipped, and a group is taken as per-recipient by
        // its fields rather than by its position, as some MTAs put a blank line first.
        for (String group : body.split("\r?\n(?:[ \t]*\r?\n)+")) {
            Map<String, String> f = fields(group);
            if (!f.containsKey("final-recipient") && !f.containsKey("original-recipient")) continue;
            groups++;
            Bounce.Kind kind = kind(f.getOrDefault("action", ""));
            if (kind == null) continue;
            String address = address(f.get("original-recipient"));
            if (address == null) address = address(f.get("final-recipient"));
            if (address == null) continue;
            String status = f.get("status");
            if (status != null) status = status.split("[\\s(]", 2)[0];
            out.add(new Bounce.FailedRecipient(address, kind, status, f.get("diagnostic-code")));
        }
        return new Result(groups, out);
    }

    /** RFC 3464 §2.3.3: action-value = "failed" / "delayed" / "delivered" / "relayed" / "expanded". */
    static Bounce.Kind kind(String action) {
        String a = action.strip().toLowerCase(Locale.ROOT);
        if (a.startsWith("failed")) return Bounce.Kind.PERMANENT;
        if (a.startsWith("delayed")) return Bounce.Kind.TEMPORARY;
        // leniency: "failure" and "error" are not action-values, but some MTAs write them for failed
        if (a.startsWith("failure") || a.startsWith("error")) return Bounce.Kind.PERMANENT;
        return null; // delivered, relayed, expanded: not a failure
    }

    /**
     * RFC 3464 §2.3.2: {@code address-type ";" generic-address}; an {@code rfc822} (or RFC 6533
     * {@code utf-8}) address only, angle brackets removed; null for other types (x400, unknown).
     */
    static String address(String field) {
        if (field == null) return null;
        int semi = field.indexOf(';');
        // leniency: a bare "<a@b>" without its address-type is taken as rfc822 (seen from Exchange gateways)
        String type = semi < 0 ? "rfc822" : field.substring(0, semi).strip().toLowerCase(Locale.ROOT);
        if (!type.equals("rfc822") && !type.equals("utf-8")) return null;
        String a = field.substring(semi + 1).strip();
        if (a.startsWith("<") && a.endsWith(">")) a = a.substring(1, a.length() - 1).strip();
        if (a.isEmpty() || a.indexOf('@') <= 0 || a.length() > 320 || a.chars().anyMatch(c -> c <= ' ')) return null;
        return a;
    }

    /** Unfolded fields of one group, names lower case, the first occurrence wins; lines without a colon are skipped. */
    static Map<String, String> fields(String group) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : group.replaceAll("\r?\n[ \t]+", " ").split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            out.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return out;
    }
}
