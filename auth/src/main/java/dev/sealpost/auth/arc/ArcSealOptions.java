package dev.sealpost.auth.arc;

import java.util.List;
import java.util.Locale;

/**
 * How {@link ArcSealer} makes a set.
 *
 * @param headers         the fields the ARC-Message-Signature signs: in normal mode each name
 *                        once per instance present (absent ones are not listed); in canonical
 *                        mode the list exactly as given, lower-cased
 * @param canonicalOutput the ARC test suite's standard format (tags in alphabetical order,
 *                        lower-case values except {@code b=} and {@code bh=}, one space after
 *                        each {@code ;}, no folding, no trailing {@code ;}) so that output can be
 *                        compared byte for byte; normal mode folds at 78 columns in the usual tag order
 */
public record ArcSealOptions(List<String> headers, boolean canonicalOutput) {
    /** The fields signed by default: the DKIM defaults and the DKIM-Signature fields, so that a later hop can tell they were intact. */
    public static final List<String> DEFAULT_HEADERS = List.of("From", "To", "Cc", "Subject", "Date", "Message-ID",
            "In-Reply-To", "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Reply-To",
            "DKIM-Signature");
    /** Normal output, {@link #DEFAULT_HEADERS}. */
    public static final ArcSealOptions DEFAULT = new ArcSealOptions(DEFAULT_HEADERS, false);

    public ArcSealOptions {
        headers = List.copyOf(headers);
        if (headers.stream().noneMatch(h -> h.equalsIgnoreCase("from"))) throw new IllegalArgumentException("From must be signed (RFC 6376 §5.4)");
        for (String h : headers) {
            if (!ArcTags.FIELD_NAME.matcher(h).matches()) throw new IllegalArgumentException("not a field name: " + h);
            // RFC 8617 §4.1.2: the AMS MUST NOT sign ARC-Seal fields
            if (h.toLowerCase(Locale.ROOT).equals("arc-seal")) throw new IllegalArgumentException("ARC-Seal must not be signed by the AMS");
        }
    }

    /** Canonical output mode signing exactly {@code headers} (the test suite's {@code sig-headers}). */
    public static ArcSealOptions canonical(List<String> headers) {
        return new ArcSealOptions(headers, true);
    }
}
