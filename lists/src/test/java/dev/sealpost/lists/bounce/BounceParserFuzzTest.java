package dev.sealpost.lists.bounce;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the bounce parser (untrusted mail from anyone who can reach the VERP address).
 * Invariants: only a value comes out (no exception, no stack overflow), the recipient bound holds,
 * every reported address has an {@code @}, and a NONE result has no recipients. Seeds:
 * {@code src/test/resources/dev/sealpost/lists/bounce/BounceParserFuzzTestInputs/parse/}.
 */
class BounceParserFuzzTest {
    static final BounceParser PARSER = new BounceParser(new BounceLimits(64 * 1024, 8 * 1024, 20, 8));

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        Bounce b = PARSER.parse(data);
        if (b == null) throw new AssertionError("null");
        if (b.recipients().size() > 8) throw new AssertionError("recipient bound broken: " + b.recipients().size());
        if ((b.format() == Bounce.Format.NONE) != b.recipients().isEmpty()) throw new AssertionError("format and recipients disagree: " + b);
        for (Bounce.FailedRecipient r : b.recipients()) {
            if (r.address().indexOf('@') <= 0) throw new AssertionError("not an address: " + r.address());
        }
    }
}
