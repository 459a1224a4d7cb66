package dev.sealpost.lists.bounce;

import dev.sealpost.lists.bounce.internal.BodyText;
import dev.sealpost.lists.bounce.internal.DsnReader;
import dev.sealpost.lists.bounce.internal.TextBounces;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the failed recipients in a bounce (a non-delivery report).
 *
 * <p>First the standard: every {@code message/delivery-status} part (RFC 3464 §2) outside a returned
 * original is read, and each per-recipient group whose Action is {@code failed} (permanent) or
 * {@code delayed} (temporary) gives one recipient. When the message has no such part, or its
 * report has no per-recipient group at all, the text parts are tried against the non-standard
 * formats that are still common (Postfix, qmail, Exim, Sendmail, Microsoft Exchange, Yahoo, SMTP32
 * and a set of "simple" phrasings), which is heuristic by nature.
 *
 * <p>Never throws on content; the work is bounded by {@link BounceLimits}. Thread-safe.
 */
public final class BounceParser {
    private final BounceLimits limits;

    public BounceParser(BounceLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    public BounceParser() {
        this(BounceLimits.defaults());
    }

    /** Parses one message (CRLF or bare LF line ends). */
    public Bounce parse(byte[] message) {
        byte[] bounded = message.length > limits.maxMessageBytes()
                ? java.util.Arrays.copyOf(message, limits.maxMessageBytes()) : message;
        MessageStructure structure;
        try {
            MessageStructure.Limits ml = new MessageStructure.Limits(64 * 1024, 500, 10, limits.maxParts(), 200);
            structure = MessageStructure.parse(new ByteArrayInputStream(bounded), ml);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        List<Part> reports = new ArrayList<>();
        List<Part> texts = new ArrayList<>();
        collect(structure.root(), reports, texts, new int[] {0});
        boolean sawRecipientGroups = false;
        List<Bounce.FailedRecipient> found = new ArrayList<>();
        for (Part report : reports) {
            DsnReader.Result r = DsnReader.read(BodyText.decode(bounded, report, limits.maxTextBytes()));
            sawRecipientGroups |= r.recipientGroups() > 0;
            found.addAll(r.failed());
        }
        if (sawRecipientGroups) return new Bounce(found.isEmpty() ? Bounce.Format.NONE : Bounce.Format.DSN, dedupe(found));
        List<String> textBodies = new ArrayList<>();
        for (Part t : texts) {
            String s = BodyText.decode(bounded, t, limits.maxTextBytes());
            if (t.subtype().equals("html")) s = BodyText.stripHtml(s);
            textBodies.add(s);
        }
        Bounce b = TextBounces.scan(BodyText.headerSubject(bounded, structure.root()), textBodies);
        return new Bounce(b.format(), dedupe(b.recipients()));
    }

    /** Report and text leaves, in order, outside any returned message (message/rfc822 is not entered). */
    private void collect(Part p, List<Part> reports, List<Part> texts, int[] seen) {
        if (++seen[0] > limits.maxParts()) return;
        if (p.isMultipart()) {
            for (Part c : p.children()) collect(c, reports, texts, seen);
            return;
        }
        if (p.isMessage()) {
            // a returned original is not read; but a report forwarded as an attachment (gateways
            // wrap them so) is: an embedded message that is itself a multipart/report
            Part inner = p.message();
            if (inner.mediaType().equals("multipart/report")) collect(inner, reports, texts, seen);
            return;
        }
        String mt = p.mediaType();
        if (mt.equals("message/delivery-status") || mt.equals("message/global-delivery-status")) {
            reports.add(p); // RFC 3464 §2; RFC 6533 (its UTF-8 form)
        } else if (mt.equals("text/plain") || mt.equals("text/html")) {
            texts.add(p);
        }
    }

    private List<Bounce.FailedRecipient> dedupe(List<Bounce.FailedRecipient> in) {
        java.util.LinkedHashMap<String, Bounce.FailedRecipient> out = new java.util.LinkedHashMap<>();
        for (Bounce.FailedRecipient r : in) {
            String key = r.address().toLowerCase(java.util.Locale.ROOT);
            Bounce.FailedRecipient old = out.get(key);
            if (old == null) {
                if (out.size() >= limits.maxRecipients()) continue;
                out.put(key, r);
            } else if (old.kind() == Bounce.Kind.TEMPORARY && r.kind() == Bounce.Kind.PERMANENT) {
                out.put(key, r); // permanent wins
            }
        }
        return List.copyOf(out.values());
    }
}
