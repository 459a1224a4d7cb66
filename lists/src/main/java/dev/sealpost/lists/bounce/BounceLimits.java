package dev.sealpost.lists.bounce;

/**
 * Bounds on what the bounce parser reads. A bounce is untrusted input from anywhere; these keep the
 * work per message small whatever it contains.
 *
 * @param maxMessageBytes octets of the message that are parsed at all (the reports come first; a
 *                        returned original beyond this is never read)
 * @param maxTextBytes    octets of one decoded text or report part that are scanned
 * @param maxParts        MIME parts examined
 * @param maxRecipients   failed recipients reported (the rest are dropped)
 */
public record BounceLimits(int maxMessageBytes, int maxTextBytes, int maxParts, int maxRecipients) {

    public BounceLimits {
        if (maxMessageBytes < 1 || maxTextBytes < 1 || maxParts < 1 || maxRecipients < 1) {
            throw new IllegalArgumentException("bounce limits must be positive");
        }
    }

    /**
     * 1 MiB parsed, 32 KiB per text part (a report of 100 recipients is about 15 KiB; the
     * explanation of a text bounce comes first), 100 parts, 100 recipients.
     */
    public static BounceLimits defaults() {
        return new BounceLimits(1 << 20, 32 * 1024, 100, 100);
    }
}
