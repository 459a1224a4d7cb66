package dev.sealpost.message.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Collects one header section, bounded in octets and fields, and splits it into unfolded fields.
 * Only one header section is held at a time; the parser discards it once the fields are read.
 */
final class HeaderBlock {
    /** One unfolded header field; {@code name} in lower case, {@code value} without the colon, not trimmed. */
    record Field(String name, String value) {}

    private final int maxBytes;
    private final int maxFields;
    private byte[] data = new byte[1024];
    private int size;
    private int fields;
    private boolean dropping;
    boolean limitHit;

    HeaderBlock(int maxBytes, int maxFields) {
        this.maxBytes = maxBytes;
        this.maxFields = maxFields;
    }

    /** Adds the reader's current (non-empty) line. */
    void add(LineReader r) {
        boolean continuation = r.stored > 0 && (r.line[0] == ' ' || r.line[0] == '\t');
        if (!continuation) {
            fields++;
            if (fields > maxFields) {
                limitHit = true;
                dropping = true;
            }
        }
        if (dropping) return; // a continuation of a dropped field is dropped too
        long need = (long) size + r.contentLength + 1;
        if (!r.complete() || need > maxBytes) {
            // the rest of this section is skipped: a half-kept field would be misleading
            limitHit = true;
            dropping = true;
            return;
        }
        if (need > data.length) data = Arrays.copyOf(data, (int) Math.min(maxBytes, Math.max(need, (long) data.length * 2)));
        System.arraycopy(r.line, 0, data, size, r.stored);
        size += r.stored;
        data[size++] = '\n';
    }

    /**
     * The fields in order. RFC 5322 §2.2.3 unfolding: a line starting with WSP continues the
     * previous field (the line end is removed, the WSP kept). Leniency: a line that is neither a
     * field nor a continuation is skipped, and white space before the colon is allowed (RFC 5322
     * §4.5 obsolete syntax).
     */
    List<Field> fields() {
        List<Field> out = new ArrayList<>();
        int i = 0;
        String name = null;
        StringBuilder value = null;
        while (i < size) {
            int eol = i;
            while (data[eol] != '\n') eol++;
            boolean continuation = data[i] == ' ' || data[i] == '\t';
            if (continuation) {
                if (value != null) value.append(Text.headerText(data, i, eol - i));
            } else {
                if (name != null) out.add(new Field(name, value.toString()));
                name = null;
                value = null;
                int colon = -1;
                for (int j = i; j < eol; j++) {
                    if (data[j] == ':') {
                        colon = j;
                        break;
                    }
                }
                if (colon > i) {
                    String n = Text.headerText(data, i, colon - i).strip();
                    if (!n.isEmpty() && n.chars().noneMatch(c -> c == ' ' || c == '\t')) {
                        name = n.toLowerCase(Locale.ROOT);
                        value = new StringBuilder(Text.headerText(data, colon + 1, eol - colon - 1));
                    }
                }
            }
            i = eol + 1;
        }
        if (name != null) out.add(new Field(name, value.toString()));
        return out;
    }
}
