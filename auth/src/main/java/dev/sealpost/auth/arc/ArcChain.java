package dev.sealpost.auth.arc;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.AuthMessage.HeaderField;
import dev.sealpost.auth.TagList;

import java.util.ArrayList;
import java.util.List;

/**
 * The ARC header fields of a message grouped into ARC Sets by instance (RFC 8617 §4.2), with
 * the structure checks of RFC 8617 §5.2 step 3.1 and 3.2. Shared by the verifier and the sealer.
 */
final class ArcChain {
    /** One ARC Set: the raw fields, null where missing. */
    static final class Set {
        HeaderField aar;
        HeaderField ams;
        HeaderField as;
    }

    /** The sets, index 0 for i=1; size is the highest instance seen. */
    final List<Set> sets;
    /** Why the structure is not valid, or null when it is. */
    final String structureError;
    /** True when the message has any ARC header field. */
    final boolean present;

    private ArcChain(List<Set> sets, String structureError, boolean present) {
        this.sets = sets;
        this.structureError = structureError;
        this.present = present;
    }

    static boolean isArcField(HeaderField f) {
        return f.is(ArcSeal.FIELD_NAME) || f.is(ArcMessageSignature.FIELD_NAME) || f.is(ArcAuthenticationResults.FIELD_NAME);
    }

    static ArcChain of(AuthMessage msg) {
        List<HeaderField> fields = msg.headers().stream().filter(ArcChain::isArcField).toList();
        if (fields.isEmpty()) return new ArcChain(List.of(), null, false);
        List<Set> sets = new ArrayList<>();
        String error = null;
        if (msg.headerLimitExceeded()) error = "the header section exceeds the limits, the ARC fields cannot all be seen";
        // RFC 8617 §5.2 step 1: at most 50 sets, so at most 150 fields
        if (error == null && fields.size() > 3 * ArcTags.MAX_INSTANCE) error = "more than " + ArcTags.MAX_INSTANCE + " ARC Sets";
        for (HeaderField f : fields) {
            int i;
            String what;
            String why;
            if (f.is(ArcAuthenticationResults.FIELD_NAME)) {
                what = ArcAuthenticationResults.FIELD_NAME;
                switch (ArcAuthenticationResults.parse(f.value())) {
                    case ArcAuthenticationResults.Parsed(ArcAuthenticationResults a) -> {
                        i = a.instance();
                        why = null;
                    }
                    case ArcAuthenticationResults.Invalid(String reason) -> {
                        i = -1;
                        why = reason;
                    }
                }
            } else {
                what = f.is(ArcSeal.FIELD_NAME) ? ArcSeal.FIELD_NAME : ArcMessageSignature.FIELD_NAME;
                switch (ArcTags.tagList(f.value())) {
                    case TagList.Parsed(TagList tags) -> {
                        i = ArcTags.instance(tags.get("i").orElse(null));
                        why = tags.has("i") ? "i= is not an instance from 1 to " + ArcTags.MAX_INSTANCE : "no i= tag";
                    }
                    case TagList.Invalid(String reason) -> {
                        i = -1;
                        why = "malformed tag list: " + reason;
                    }
                }
            }
            if (i < 0) {
                // RFC 8617 §5.2 step 3: a field that belongs to no set breaks the structure
                if (error == null) error = what + ": " + why;
                continue;
            }
            while (sets.size() < i) sets.add(new Set());
            Set s = sets.get(i - 1);
            // RFC 8617 §5.2 step 3.1: exactly one of each field per instance
            if (what.equals(ArcSeal.FIELD_NAME)) {
                if (s.as != null && error == null) error = "more than one ARC-Seal with i=" + i;
                if (s.as == null) s.as = f;
            } else if (what.equals(ArcMessageSignature.FIELD_NAME)) {
                if (s.ams != null && error == null) error = "more than one ARC-Message-Signature with i=" + i;
                if (s.ams == null) s.ams = f;
            } else {
                if (s.aar != null && error == null) error = "more than one ARC-Authentication-Results with i=" + i;
                if (s.aar == null) s.aar = f;
            }
        }
        // RFC 8617 §5.2 step 3.2: instances 1..N without gaps
        for (int k = 0; k < sets.size() && error == null; k++) {
            Set s = sets.get(k);
            if (s.aar == null) error = "no ARC-Authentication-Results with i=" + (k + 1);
            else if (s.ams == null) error = "no ARC-Message-Signature with i=" + (k + 1);
            else if (s.as == null) error = "no ARC-Seal with i=" + (k + 1);
        }
        return new ArcChain(List.copyOf(sets), error, true);
    }

    /** The highest instance seen (N), 0 when none. */
    int highest() {
        return sets.size();
    }

    /** The ARC-Seal of the highest instance, parsed, or null. */
    ArcSeal latestSeal() {
        if (sets.isEmpty() || sets.getLast().as == null) return null;
        return ArcSeal.parse(sets.getLast().as.value()) instanceof ArcSeal.Parsed(ArcSeal s) ? s : null;
    }
}
