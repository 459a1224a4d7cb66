package dev.sealpost.auth.arc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The three header fields of one ARC Set made by {@link ArcSealer}: each a whole field
 * ({@code "Name: value"}, folded with CRLF unless made in canonical output mode), without the final CRLF.
 *
 * @param instance              the {@code i=} of the set
 * @param authenticationResults the ARC-Authentication-Results field
 * @param messageSignature      the ARC-Message-Signature field
 * @param seal                  the ARC-Seal field
 */
public record ArcSet(int instance, String authenticationResults, String messageSignature, String seal) {
    public ArcSet {
        Objects.requireNonNull(authenticationResults);
        Objects.requireNonNull(messageSignature);
        Objects.requireNonNull(seal);
    }

    /** The fields top first, in the order they are prepended: ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results. */
    public List<String> fields() {
        return List.of(seal, messageSignature, authenticationResults);
    }

    /** The value of a field (the text after {@code "Name: "}). */
    static String valueOf(String field) {
        int colon = field.indexOf(':');
        return field.substring(colon + 1).stripLeading();
    }

    /** The message with the three fields on top (RFC 8617 §5.1: added, never reordering others). */
    public byte[] prependTo(byte[] message) {
        StringBuilder b = new StringBuilder();
        for (String f : fields()) b.append(f).append("\r\n");
        byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + message.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(message, 0, out, head.length, message.length);
        return out;
    }
}
