package dev.sealpost.dns;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A TLSA record (RFC 6698 §2.1): usage, selector, matching type and the association data.
 * The data array is copied in and out, and equality compares its contents.
 */
public record TlsaRecord(int usage, int selector, int matchingType, byte[] data) {
    public TlsaRecord {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsaRecord t && t.usage == usage && t.selector == selector
                && t.matchingType == matchingType && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return ((usage * 31 + selector) * 31 + matchingType) * 31 + Arrays.hashCode(data);
    }

    /** Presentation form, as in a zone file: {@code 3 1 1 <hex>} (RFC 6698 §2.2). */
    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data);
    }
}
