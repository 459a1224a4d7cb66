package dev.sealpost.auth.dkim;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.TagList;
import dev.sealpost.auth.dkim.DkimTestSupport.MapResolver;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzz targets for the DKIM parsers of untrusted input: tag lists, signature fields, key records
 * and whole messages through the verifier. None may throw; parsed values keep their invariants.
 * Seeds: {@code src/test/resources/dev/sealpost/auth/dkim/DkimFuzzTestInputs/<method>/}.
 */
class DkimFuzzTest {
    private static final MapResolver DNS = new MapResolver()
            .put("test._domainkey.example.com", "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB")
            .put("brisbane._domainkey.football.example.com", "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    private static final DkimVerifier VERIFIER = new DkimVerifier(DNS, DkimTestSupport.CLOCK, DkimPolicy.DEFAULT.withAllowBodyLength(true));

    static void check(boolean ok, String what, Object... args) {
        if (!ok) throw new AssertionError(what.formatted(args));
    }

    @FuzzTest(maxDuration = "30s")
    void tagList(byte[] input) {
        String s = new String(input, StandardCharsets.ISO_8859_1);
        switch (TagList.parse(s)) {
            case TagList.Parsed(TagList t) -> {
                check(t.size() <= TagList.MAX_TAGS, "too many tags");
                for (TagList.Tag tag : t.tags()) {
                    check(!tag.name().isEmpty() && !tag.value().contains(";"), "bad tag %s", tag);
                    check(tag.rawStart() <= tag.rawEnd() && tag.rawEnd() <= s.length(), "bad span %s", tag);
                    check(s.substring(tag.rawStart(), tag.rawEnd()).strip().equals(tag.value().strip()), "span/value mismatch %s", tag);
                }
            }
            case TagList.Invalid(String reason) -> check(!reason.isEmpty(), "empty reason");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void signature(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        switch (DkimSignature.parse(s)) {
            case DkimSignature.Parsed(DkimSignature sig) -> {
                check(sig.signedHeaders().stream().anyMatch(h -> h.equalsIgnoreCase("from")), "h= without from");
                check(sig.identityDomain().equals(sig.domain()) || sig.identityDomain().endsWith("." + sig.domain()), "i= outside d=");
                check(sig.signature().length > 0 && sig.bodyHash().length > 0, "empty b/bh");
                check(sig.expiration() < 0 || sig.timestamp() < 0 || sig.expiration() > sig.timestamp(), "x<=t");
            }
            case DkimSignature.Invalid i -> check(!i.reason().isEmpty(), "empty reason");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void keyRecord(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        switch (DkimKeyRecord.parse(s)) {
            case DkimKeyRecord.Parsed(DkimKeyRecord r) -> {
                check(List.of("rsa", "ed25519").contains(r.keyType()), "key type %s", r.keyType());
                check(r.revoked() || r.keyBits() > 0 && r.keyBits() <= DkimKeys.MAX_RSA_BITS, "bits %s", r.keyBits());
            }
            case DkimKeyRecord.Invalid(String reason) -> check(!reason.isEmpty(), "empty reason");
        }
    }

    @FuzzTest(maxDuration = "30s")
    void message(byte[] input) {
        AuthMessage msg = AuthMessage.of(input);
        check(msg.bodyOffset() >= 0 && msg.bodyOffset() <= input.length, "body offset");
        int sigs = 0;
        long total = 0;
        for (AuthMessage.HeaderField f : msg.headers()) {
            if (f.is("DKIM-Signature")) sigs++;
            total += f.raw().length;
        }
        check(total <= msg.bodyOffset(), "fields longer than the header section");
        List<DkimResult> results = VERIFIER.verify(msg);
        check(results.size() == sigs, "one result per signature");
        for (DkimResult r : results) check(r.status() != DkimResult.Status.PASS || r.reason().isEmpty(), "pass with a reason");
    }
}
