package dev.sealpost.auth.bimi;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.TagList;
import dev.sealpost.auth.dkim.DkimResult;
import dev.sealpost.auth.dmarc.AuthIdentity;
import dev.sealpost.auth.dmarc.DmarcOutcome;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The {@code BIMI-Selector} header field (BIMI draft §6.1): {@code v=BIMI1; s=<selector>}, and
 * the choice of selector for a message (§8.2 step 2: the header's, else {@code default}).
 *
 * <pre>
 * bimi-selector-header = bimi-header-version bimi-sep bimi-selector [bimi-sep]
 * bimi-header-version  = "v" *WSP "=" *WSP "BIMI" 1DIGIT
 * bimi-selector        = "s" *WSP "=" *WSP selector
 * selector             = sub-domain *( "." sub-domain )   ; RFC 5321 sub-domain
 * </pre>
 */
public final class BimiSelector {
    /** The selector used without a (usable) BIMI-Selector header (§5.3). */
    public static final String DEFAULT = "default";
    /** The header field name. */
    public static final String FIELD_NAME = "BIMI-Selector";
    /** Longest header value parsed. */
    public static final int MAX_LENGTH = 1024;
    /** Longest selector accepted: it must leave room for {@code ._bimi.<domain>} within 253 octets (RFC 1035 §2.3.4). */
    public static final int MAX_SELECTOR_LENGTH = 128;

    // RFC 5321 §4.1.2: sub-domain = Let-dig [Ldh-str]; labels of at most 63 octets (RFC 1035 §2.3.4)
    private static final Pattern SELECTOR = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    private BimiSelector() {}

    /** The outcome of {@link #parse}. */
    public sealed interface Parsed permits Valid, Invalid {}

    /** A usable header: the selector, lower-cased (DNS names compare without case). */
    public record Valid(String selector) implements Parsed {}

    /** Not usable, with the reason. */
    public record Invalid(String reason) implements Parsed {}

    /** Parses a BIMI-Selector field value (unfolded or folded); never throws. */
    public static Parsed parse(String value) {
        if (value == null) return new Invalid("no value");
        if (value.length() > MAX_LENGTH) return new Invalid("longer than " + MAX_LENGTH);
        // §6.1 v=: "It MUST be the first tag in the list" and "MUST have the value of BIMI1"
        if (!BimiRecord.isBimiRecord(value)) return new Invalid("does not start with v=BIMI1");
        TagList tags;
        switch (TagList.parse(value)) {
            case TagList.Invalid inv -> { return new Invalid(inv.reason()); }
            case TagList.Parsed p -> tags = p.tags();
        }
        String s = tags.get("s").orElse(null);
        if (s == null) return new Invalid("no s= tag"); // §6.1 s=: REQUIRED
        if (s.length() > MAX_SELECTOR_LENGTH || !SELECTOR.matcher(s).matches()) {
            return new Invalid("bad selector " + BimiRecord.clip(s));
        }
        return new Valid(s.toLowerCase(Locale.ROOT));
    }

    /**
     * The selector to use for a message (§8.2 step 2): the one in its single BIMI-Selector field
     * when that field is covered by a passing DKIM signature whose {@code d=} is DMARC-aligned
     * (§6.4: "If it is not included in the DMARC-compliant DKIM signature, the header SHOULD be
     * ignored"), otherwise {@link #DEFAULT}. Several BIMI-Selector fields, or a malformed one, also
     * give {@link #DEFAULT}: the sender's intent is not clear.
     *
     * @param dkim  the DKIM results for the message (their {@code headerB} identifies the signature field)
     * @param dmarc the DMARC outcome (its aligned identities say which DKIM domains align)
     */
    public static String forMessage(AuthMessage message, List<DkimResult> dkim, DmarcOutcome dmarc) {
        List<AuthMessage.HeaderField> fields = message.headers(FIELD_NAME);
        if (fields.size() != 1) return DEFAULT;
        if (!(parse(fields.getFirst().unfoldedValue()) instanceof Valid v)) return DEFAULT;
        return signedByAlignedDkim(message, dkim, dmarc) ? v.selector() : DEFAULT;
    }

    /** True when some DKIM-Signature that passed, with an aligned {@code d=}, lists bimi-selector in {@code h=}. */
    static boolean signedByAlignedDkim(AuthMessage message, List<DkimResult> dkim, DmarcOutcome dmarc) {
        if (dmarc == null) return false;
        for (AuthMessage.HeaderField f : message.headers("DKIM-Signature")) {
            if (!(TagList.parse(f.unfoldedValue()) instanceof TagList.Parsed p)) continue;
            TagList t = p.tags();
            String d = t.get("d").orElse("").toLowerCase(Locale.ROOT);
            String b = TagList.stripWhitespace(t.get("b").orElse(""));
            if (d.isEmpty() || b.isEmpty()) continue;
            boolean passed = dkim.stream().anyMatch(r -> r.passed() && r.domain().equalsIgnoreCase(d) && r.headerB().equals(b));
            boolean aligned = dmarc.alignedIdentities().stream()
                    .anyMatch(i -> i.method() == AuthIdentity.Method.DKIM && i.pass() && i.domain().equalsIgnoreCase(d));
            if (!passed || !aligned) continue;
            for (String h : TagList.splitColon(t.get("h").orElse(""))) {
                if (h.equalsIgnoreCase(FIELD_NAME)) return true;
            }
        }
        return false;
    }
}
