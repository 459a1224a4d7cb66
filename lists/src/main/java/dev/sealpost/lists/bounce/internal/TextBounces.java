package dev.sealpost.lists.bounce.internal;

import dev.sealpost.lists.bounce.Bounce;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heuristics for bounces that are not RFC 3464 reports: find the report text (cut where the
 * returned message starts), name the format by its signature, and take the failed addresses from
 * the places each format puts them. Heuristic by nature: it can miss an address or, rarely, take a
 * wrong one; the list code only counts a bounce for an address that is a member anyway.
 *
 * <p>All patterns are linear (no nested quantifiers over the same characters) and run on text
 * bounded by the caller.
 */
public final class TextBounces {
    private TextBounces() {}

    /** A mailbox as bounces print it (ASCII; quoted local parts do not occur in practice). */
    static final String ADDR = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63}){1,10}";

    /** Where the returned original (or its header) starts: nothing after it is report text. */
    private static final Pattern ORIGINAL = Pattern.compile("(?im)^[ \t]*(?:"
            + "-+ ?Below this line is a copy of the message"
            + "|-+ ?Original message follows"
            + "|Original message follows"
            + "|-+ ?This is a copy of the message"
            + "|-+ ?The header of the original message is following"
            + "|-+ ?Message header follows"
            + "|-+ ?Original message -+"
            + "|-+ ?Returned mail follows"
            + "|-+RETURNED MAIL FOLLOWS"
            + "|-+ ?Unsent message below"
            + "|The first \\d+ lines of your original message follow"
            + "|-+ ?Start of returned message"
            + "|Return-Path: "
            + "|Received: from "
            + ")");

    private static final Pattern TEMPORARY = Pattern.compile("(?i)not yet been delivered|will continue to (?:try|attempt)"
            + "|warning message only|just a warning|has been delayed|been postponed|will be retried"
            + "|delivery attempts will continue|is a warning|still trying|will keep trying");

    private record Family(Bounce.Format format, Pattern signature) {}

    private static final List<Family> FAMILIES = List.of(
            new Family(Bounce.Format.POSTFIX, Pattern.compile("(?i)This is the (?:Postfix program|mail system) at host")),
            new Family(Bounce.Format.QMAIL, Pattern.compile("(?i)This is the qmail-send program|--- Below this line is a copy of the message")),
            new Family(Bounce.Format.YAHOO, Pattern.compile("(?i)Message from +yahoo\\.|unable to deliver (?:your )?message to the following address")),
            new Family(Bounce.Format.EXIM, Pattern.compile("(?i)following address\\(es\\) failed")),
            new Family(Bounce.Format.SENDMAIL, Pattern.compile("(?i)-+ The following addresses had (?:permanent fatal|transient non-fatal) errors")),
            new Family(Bounce.Format.MICROSOFT, Pattern.compile("(?i)did not reach the following recipient")),
            new Family(Bounce.Format.SMTP32, Pattern.compile("(?i)Delivery failed \\d+ attempts|undeliverable to " + ADDR)));

    /** Lines after which the failed addresses are listed, one per line. */
    private static final Pattern INTRO = Pattern.compile("(?i)(?:following (?:e-?mail )?(?:address|recipient|user)"
            + "|address\\(es\\) failed|could not be delivered to|message to:|could not deliver to|to this address"
            + "|not yet been delivered is|delivery to the following|did not reach the following|fatal errors"
            + "|undeliverable to the following|was not delivered to|addresses? (?:was|were) rejected|unknown user:?$"
            + "|following destination|permanent error|recipient\\(s\\):?$|delivery has failed to these"
            + "|failed addresses follow|addressed to email address)");

    /** Sentences that name the failed address inline. */
    private static final List<Pattern> INLINE = List.of(
            Pattern.compile("(?i)Delivery failed \\d+ attempts?: *(" + ADDR + ")"),
            Pattern.compile("(?i)undeliverable +to (" + ADDR + ")"),
            Pattern.compile("(?i)(?:Intended recipient|Undeliverable Address|Invalid final delivery userid|Unknown user"
                    + "|Failed Recipient|Error-for|User's mailbox is full|did not reach the following recipient)"
                    + ": *<?(" + ADDR + ")"),
            Pattern.compile("(?i)\\((?:expanded|generated) from:? *<?(" + ADDR + ")>?\\)"),
            Pattern.compile("(?i)\\(Originally addressed to <?(" + ADDR + ")>?\\)"),
            Pattern.compile("(?i)addressed to '(" + ADDR + ")'"),
            Pattern.compile("(?i)The address to\\s+which your message was\\s+addressed,\\s+(" + ADDR + "),"),
            Pattern.compile("(?i)unable to deliver (?:your )?message to <?(" + ADDR + ")>?"),
            Pattern.compile("(?i)Your message to <?(" + ADDR + ")>? (?:has reached|was automatically rejected)"),
            Pattern.compile("(?i)Local mailbox (" + ADDR + ") is unavailable"),
            Pattern.compile("(?i)Recipient: \\[SMTP:(" + ADDR + ")\\]"),
            Pattern.compile("(?i)Quota violation for (" + ADDR + ")"),
            // Exchange's X.400 form "c=US;a= ;p=...;dda:SMTP=a@b;" (an X.400 address with the SMTP one inside)
            Pattern.compile("(?i)dda:SMTP=(" + ADDR + ");"));

    /**
     * A line that starts with an address ({@code <a@b>:}, {@code a@b:}, {@code a@b}, {@code "a@b"},
     * {@code a@b on DATE}, {@code a@b ... reason}, {@code a@b - reason}), after an optional list
     * marker ({@code >}, {@code *}, {@code --}).
     */
    private static final Pattern LEADING = Pattern.compile("^[ \t]*(?:[>*][ \t]*|--[ \t]+)?[<\"']?(" + ADDR
            + ")[>\"']?(?:[ \t]*:|[ \t]*$|[ \t]+on |[ \t]*\\(|[ \t]*\\.\\.\\.|[ \t]+-[ \t]|[ \t]+<)");

    private static final Pattern SUMMARY = Pattern.compile("(?i)wasn't able to deliver the following message");
    private static final Pattern SUMMARY_TO = Pattern.compile("(?im)^To: *<?(" + ADDR + ")>? *$");

    /** After a leading address, a shape that only a failure line has: {@code a@b ... reason}, {@code a@b - reason}. */
    private static final Pattern STRONG_SUFFIX = Pattern.compile("[>\"']?(?:[ \t]*\\.\\.\\.[ \t]|[ \t]+-[ \t]+\\S)");

    public static Bounce scan(String subject, List<String> texts) {
        for (String full : texts) {
            String text = reportPart(full);
            Bounce.Format format = Bounce.Format.SIMPLE;
            for (Family f : FAMILIES) {
                if (f.signature().matcher(text).find()) { format = f.format(); break; }
            }
            List<String> found = addresses(text);
            if (found.isEmpty()) continue;
            Bounce.Kind kind = TEMPORARY.matcher(text).find() ? Bounce.Kind.TEMPORARY : Bounce.Kind.PERMANENT;
            List<Bounce.FailedRecipient> out = new ArrayList<>();
            for (String a : found) out.add(new Bounce.FailedRecipient(a, kind, null, null));
            return new Bounce(format, out);
        }
        return Bounce.NONE;
    }

    static String reportPart(String text) {
        Matcher m = ORIGINAL.matcher(text);
        return m.find() ? text.substring(0, m.start()) : text;
    }

    static List<String> addresses(String text) {
        List<String> out = new ArrayList<>();
        for (Pattern p : INLINE) {
            Matcher m = p.matcher(text);
            while (m.find()) add(out, m.group(1));
        }
        if (SUMMARY.matcher(text).find()) {
            // Yahoo's summary form: the failed recipient is the To line of the summary above the copy
            Matcher m = SUMMARY_TO.matcher(text);
            while (m.find()) add(out, m.group(1));
        }
        String[] lines = text.split("\r?\n");
        boolean inList = false;
        for (String line : lines) {
            Matcher lead = LEADING.matcher(line);
            if (lead.lookingAt() && (inList || line.stripLeading().startsWith("<") || line.strip().endsWith(":")
                    || STRONG_SUFFIX.matcher(line.substring(lead.end(1))).lookingAt())) {
                add(out, lead.group(1));
                continue;
            }
            if (INTRO.matcher(line).find()) {
                inList = true;
            } else if (line.isBlank()) {
                // blank lines inside a list are allowed; the list ends at the next sentence
            } else if (inList && !line.startsWith(" ") && !line.startsWith("\t")) {
                inList = !out.isEmpty() ? false : inList;
            }
        }
        return out;
    }

    private static void add(List<String> out, String a) {
        String s = a;
        while (s.endsWith(".")) s = s.substring(0, s.length() - 1);
        if (s.regionMatches(true, 0, "postmaster@", 0, 11) || s.regionMatches(true, 0, "mailer-daemon@", 0, 14)) return;
        for (String o : out) if (o.equalsIgnoreCase(s)) return;
        out.add(s);
    }
}
