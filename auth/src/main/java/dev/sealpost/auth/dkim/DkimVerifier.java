package dev.sealpost.auth.dkim;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.AuthMessage.HeaderField;
import dev.sealpost.auth.dkim.DkimResult.Status;
import dev.sealpost.dns.DnsAnswer;
import dev.sealpost.dns.Resolver;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Verifies every DKIM-Signature of a message (RFC 6376 §6, RFC 8301, RFC 8463), one result per
 * field, top first. Thread-safe; one DNS TXT query per evaluated signature.
 */
public final class DkimVerifier {
    /** At most this many TXT records at a key name are tried. */
    private static final int MAX_KEY_RECORDS = 5;

    private final Resolver resolver;
    private final Clock clock;
    private final DkimPolicy policy;

    public DkimVerifier(Resolver resolver, Clock clock, DkimPolicy policy) {
        this.resolver = Objects.requireNonNull(resolver);
        this.clock = Objects.requireNonNull(clock);
        this.policy = Objects.requireNonNull(policy);
    }

    /** One result per DKIM-Signature field, in message order (empty: the message is unsigned, "none"). */
    public List<DkimResult> verify(AuthMessage msg) {
        List<DkimResult> out = new ArrayList<>();
        int n = 0;
        for (HeaderField f : msg.headers()) {
            if (!f.is("DKIM-Signature")) continue;
            n++;
            if (msg.headerLimitExceeded()) {
                out.add(invalid(f, Status.PERMERROR, "message header section exceeds limits"));
            } else if (n > policy.maxSignatures()) {
                out.add(invalid(f, Status.POLICY, "not evaluated: more than " + policy.maxSignatures() + " signatures"));
            } else {
                out.add(verify(msg, f));
            }
        }
        return out;
    }

    private static DkimResult invalid(HeaderField f, Status status, String reason) {
        return switch (DkimSignature.parse(f.value())) {
            case DkimSignature.Parsed(DkimSignature s) -> result(status, s, reason, false, 0);
            case DkimSignature.Invalid i -> new DkimResult(status, i.domain(), i.selector(), i.algorithm(), reason, false);
        };
    }

    private static DkimResult result(Status status, DkimSignature s, String reason, boolean testing, int bits) {
        return new DkimResult(status, s.domain(), s.selector(), s.algorithm().tag(), reason, testing, s.identity(), s.bTag(), bits);
    }

    /** Verifies one DKIM-Signature field of {@code msg}. */
    public DkimResult verify(AuthMessage msg, HeaderField field) {
        DkimSignature sig;
        switch (DkimSignature.parse(field.value())) {
            case DkimSignature.Invalid i -> {
                return new DkimResult(Status.PERMERROR, i.domain(), i.selector(), i.algorithm(), i.reason(), false);
            }
            case DkimSignature.Parsed(DkimSignature s) -> sig = s;
        }
        if (sig.algorithm() == DkimAlgorithm.RSA_SHA1) {
            // RFC 8301 §3.1: verifiers MUST NOT consider signatures using SHA-1 valid
            return result(Status.PERMERROR, sig, "rsa-sha1 is not accepted (RFC 8301)", false, 0);
        }
        if (sig.bodyLength() >= 0 && !policy.allowBodyLength()) {
            // RFC 6376 §8.2: l= lets anyone append content; accepted only by explicit policy
            return result(Status.POLICY, sig, "l= body length limit not accepted", false, 0);
        }
        long now = clock.instant().getEpochSecond();
        long skew = policy.clockSkew().toSeconds();
        // RFC 6376 §3.5 x=: signatures MAY be considered invalid after the expiration time
        if (sig.expiration() >= 0 && sig.expiration() != Long.MAX_VALUE && sig.expiration() < now - skew) {
            return result(Status.FAIL, sig, "signature expired", false, 0);
        }
        // RFC 6376 §3.5 t=: a timestamp in the future (beyond skew) is not believable
        if (sig.timestamp() >= 0 && (sig.timestamp() == Long.MAX_VALUE || sig.timestamp() > now + skew)) {
            return result(Status.FAIL, sig, "signature timestamp in the future", false, 0);
        }
        DkimKeyRecord key;
        switch (fetchKey(sig.keyName())) {
            case KeyOutcome.TempError(String why) -> {
                return result(Status.TEMPERROR, sig, why, false, 0);
            }
            case KeyOutcome.PermError(String why) -> {
                return result(Status.PERMERROR, sig, why, false, 0);
            }
            case KeyOutcome.Found(DkimKeyRecord k) -> key = k;
        }
        boolean testing = key.testing();
        if (key.revoked()) return result(Status.PERMERROR, sig, "key revoked", testing, 0); // RFC 6376 §3.6.1 p=
        if (!key.keyType().equals(sig.algorithm().keyType())) {
            return result(Status.PERMERROR, sig, "key type " + key.keyType() + " does not match a=" + sig.algorithm().tag(), testing, 0);
        }
        // RFC 6376 §3.6.1 h=: hash algorithms the key may be used with
        if (!key.allowsHash(sig.algorithm().hash())) {
            return result(Status.FAIL, sig, "key h= does not allow " + sig.algorithm().hash(), testing, 0);
        }
        // RFC 6376 §3.6.1 s=, RFC 8460 §3: a tlsrpt-only key signs TLS reports only
        if (policy.tlsrpt() ? !key.forTlsRpt() : !key.forEmail()) {
            return result(Status.FAIL, sig, policy.tlsrpt() ? "key not for TLS-RPT" : "key not for email", testing, 0);
        }
        // RFC 6376 §3.6.1 t=s: i= must be in d= itself, not a subdomain
        if (key.strictIdentity() && !sig.identityDomain().equalsIgnoreCase(sig.domain())) {
            return result(Status.PERMERROR, sig, "key t=s: i= domain must equal d=", testing, 0);
        }
        // RFC 8301 §3.2: RSA keys under 1024 bits are not valid
        if (key.keyType().equals("rsa") && key.keyBits() < policy.minRsaBits()) {
            return result(Status.PERMERROR, sig, "RSA key of " + key.keyBits() + " bits is too small", testing, key.keyBits());
        }
        // RFC 6376 §8.15: a From field not covered by h= (one added above or below the signed one) is not trusted
        long fromFields = msg.headers().stream().filter(x -> x.is("From")).count();
        long fromSigned = sig.signedHeaders().stream().filter(x -> x.equalsIgnoreCase("From")).count();
        if (fromFields > fromSigned) {
            return result(Status.FAIL, sig, "a From field is not signed", testing, key.keyBits());
        }
        // RFC 6376 §6.1.3: body hash
        Canonicalization.BodyHash bh = sig.bodyCanon().bodyHash(msg.bytes(), msg.bodyOffset(), msg.bodyLength(),
                sig.bodyLength(), sig.algorithm().hash());
        if (sig.bodyLength() >= 0 && sig.bodyLength() > bh.canonicalLength()) {
            return result(Status.FAIL, sig, "body shorter than l=", testing, key.keyBits());
        }
        if (!DkimHasher.equal(bh.hash(), sig.bodyHash())) {
            return result(Status.FAIL, sig, "body hash did not verify", testing, key.keyBits());
        }
        // RFC 6376 §3.7: the header hash, with this field's b= value blanked
        String blanked = DkimHasher.blankTag(field.rawLatin1(), "b");
        if (blanked == null) return result(Status.PERMERROR, sig, "cannot blank b=", testing, key.keyBits());
        byte[] data = DkimHasher.headerData(msg.headers(), sig.signedHeaders(), sig.headerCanon(), blanked);
        if (!DkimHasher.verify(sig.algorithm(), key.publicKey(), data, sig.signature())) {
            return result(Status.FAIL, sig, "signature did not verify", testing, key.keyBits());
        }
        return result(Status.PASS, sig, "", testing, key.keyBits());
    }

    /** The outcome of a key look-up. */
    public sealed interface KeyOutcome permits KeyOutcome.Found, KeyOutcome.TempError, KeyOutcome.PermError {
        /** A usable (possibly revoked) key record. */
        record Found(DkimKeyRecord record) implements KeyOutcome {}

        /** A DNS failure worth retrying. */
        record TempError(String reason) implements KeyOutcome {}

        /** No record, or none that parses. */
        record PermError(String reason) implements KeyOutcome {}
    }

    /** Fetches and parses the key record at {@code name} (RFC 6376 §3.6.2); reused by ARC. */
    public KeyOutcome fetchKey(String name) {
        DnsAnswer<String> answer = resolver.txt(name);
        if (answer.temporaryFailure()) return new KeyOutcome.TempError("key lookup failed: " + answer.status());
        // RFC 6376 §6.1.2: no key record is PERMFAIL
        if (answer.empty()) return new KeyOutcome.PermError("no key record at " + name);
        String firstError = null;
        // RFC 6376 §3.6.2.2: with several TXT records, we take the first that parses
        for (String txt : answer.records().subList(0, Math.min(MAX_KEY_RECORDS, answer.records().size()))) {
            switch (DkimKeyRecord.parse(txt)) {
                case DkimKeyRecord.Parsed(DkimKeyRecord r) -> {
                    return new KeyOutcome.Found(r);
                }
                case DkimKeyRecord.Invalid(String reason) -> {
                    if (firstError == null) firstError = reason;
                }
            }
        }
        return new KeyOutcome.PermError(firstError);
    }
}
