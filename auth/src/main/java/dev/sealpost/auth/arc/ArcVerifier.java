package dev.sealpost.auth.arc;

import dev.sealpost.auth.AuthMessage;
import dev.sealpost.auth.AuthMessage.HeaderField;
import dev.sealpost.auth.dkim.Canonicalization;
import dev.sealpost.auth.dkim.DkimAlgorithm;
import dev.sealpost.auth.dkim.DkimHasher;
import dev.sealpost.auth.dkim.DkimKeyRecord;
import dev.sealpost.auth.dkim.DkimPolicy;
import dev.sealpost.auth.dkim.DkimVerifier;
import dev.sealpost.dns.Resolver;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Validates the Authenticated Received Chain of a message (RFC 8617 §5.2). Thread-safe; at most
 * one DNS TXT query per distinct key per message (at most 51 keys: N seals and one AMS, plus the
 * older AMSes for {@code oldest-pass}).
 *
 * <p>Keys are checked as DKIM keys are (RFC 6376 §3.6.1, RFC 8301): not revoked, key type matching
 * {@code a=}, hash allowed, service type email, RSA of at least
 * {@link DkimPolicy#minRsaBits()} bits. rsa-sha1 is refused (RFC 8301 §3.1).
 * {@code t=} more than {@link DkimPolicy#clockSkew()} in the future fails, as for DKIM.
 */
public final class ArcVerifier {
    private final Clock clock;
    private final DkimPolicy policy;
    private final DkimVerifier keys;

    public ArcVerifier(Resolver resolver, Clock clock) {
        this(resolver, clock, DkimPolicy.DEFAULT);
    }

    /** With a DKIM policy for key size, clock skew and {@code l=}. */
    public ArcVerifier(Resolver resolver, Clock clock, DkimPolicy policy) {
        this.clock = Objects.requireNonNull(clock);
        this.policy = Objects.requireNonNull(policy);
        this.keys = new DkimVerifier(Objects.requireNonNull(resolver), clock, policy);
    }

    /** Validates the chain of {@code msg}. */
    public ArcOutcome verify(AuthMessage msg) {
        ArcChain chain = ArcChain.of(msg);
        // RFC 8617 §5.2 step 1: no ARC Sets, "none"
        if (!chain.present) return ArcOutcome.none();
        int n = chain.highest();
        // RFC 8617 §5.2 step 2: a chain already marked failed stays failed
        ArcSeal latest = chain.latestSeal();
        if (latest != null && latest.cv() == ArcResult.FAIL) return ArcOutcome.fail(n, "ARC-Seal i=" + n + " has cv=fail");
        // RFC 8617 §5.2 step 3: structure
        if (chain.structureError != null) return ArcOutcome.fail(n, chain.structureError);
        List<ArcSeal> seals = new ArrayList<>(n);
        List<String> aars = new ArrayList<>(n);
        for (int k = 1; k <= n; k++) {
            ArcChain.Set set = chain.sets.get(k - 1);
            ArcSeal seal;
            switch (ArcSeal.parse(set.as.value())) {
                case ArcSeal.Invalid(String reason) -> {
                    return ArcOutcome.fail(n, "ARC-Seal i=" + k + ": " + reason);
                }
                case ArcSeal.Parsed(ArcSeal s) -> seal = s;
            }
            // RFC 8617 §5.2 step 3.3: cv=none at i=1, cv=pass above it, never cv=fail
            ArcResult want = k == 1 ? ArcResult.NONE : ArcResult.PASS;
            if (seal.cv() != want) return ArcOutcome.fail(n, "ARC-Seal i=" + k + " has cv=" + seal.cv().tag() + ", expected " + want.tag());
            seals.add(seal);
            aars.add(((ArcAuthenticationResults.Parsed) ArcAuthenticationResults.parse(set.aar.value())).aar().payload());
        }
        Map<String, KeyCheck> keyCache = new HashMap<>();
        // RFC 8617 §5.2 step 4: the newest AMS must validate
        Check ams = verifyAms(msg, chain.sets.get(n - 1).ams, keyCache);
        if (!ams.ok()) return new ArcOutcome(ArcResult.FAIL, n, "ARC-Message-Signature i=" + n + ": " + ams.reason(), -1,
                List.of(), List.of(), ams.temporary());
        // RFC 8617 §5.2 step 6: every AS, newest first
        for (int k = n; k >= 1; k--) {
            Check as = verifySeal(chain, k, seals.get(k - 1), keyCache);
            if (!as.ok()) return new ArcOutcome(ArcResult.FAIL, n, "ARC-Seal i=" + k + ": " + as.reason(), -1,
                    List.of(), List.of(), as.temporary());
        }
        // RFC 8617 §5.2 step 5 (optional): oldest-pass, the older AMSes newest first
        int oldestPass = 0;
        for (int k = n - 1; k >= 1; k--) {
            if (!verifyAms(msg, chain.sets.get(k - 1).ams, keyCache).ok()) {
                oldestPass = k + 1;
                break;
            }
        }
        // RFC 8617 §5.2 step 7
        return new ArcOutcome(ArcResult.PASS, n, "", oldestPass, seals.stream().map(ArcSeal::domain).toList(), aars, false);
    }

    private record Check(boolean ok, String reason, boolean temporary) {
        static final Check OK = new Check(true, "", false);

        static Check fail(String reason) {
            return new Check(false, reason, false);
        }
    }

    private record KeyCheck(DkimKeyRecord key, String error, boolean temporary) {}

    private Check verifyAms(AuthMessage msg, HeaderField field, Map<String, KeyCheck> keyCache) {
        ArcMessageSignature sig;
        switch (ArcMessageSignature.parse(field.value())) {
            case ArcMessageSignature.Invalid(String reason) -> {
                return Check.fail(reason);
            }
            case ArcMessageSignature.Parsed(ArcMessageSignature s) -> sig = s;
        }
        Check pre = algorithmAndTime(sig.algorithm(), sig.timestamp());
        if (pre != null) return pre;
        long now = clock.instant().getEpochSecond();
        // RFC 6376 §3.5 x=, as for DKIM
        if (sig.expiration() >= 0 && sig.expiration() != Long.MAX_VALUE && sig.expiration() < now - policy.clockSkew().toSeconds()) {
            return Check.fail("signature expired");
        }
        // RFC 6376 §8.2: l= lets anyone append content; accepted only by explicit policy
        if (sig.bodyLength() >= 0 && !policy.allowBodyLength()) return Check.fail("l= body length limit not accepted");
        KeyCheck key = key(sig.keyName(), sig.algorithm(), keyCache);
        if (key.key() == null) return new Check(false, key.error(), key.temporary());
        // RFC 6376 §6.1.3 (RFC 8617 §5.2 step 4: the AMS is validated as a DKIM signature)
        Canonicalization.BodyHash bh = sig.bodyCanon().bodyHash(msg.bytes(), msg.bodyOffset(), msg.bodyLength(),
                sig.bodyLength(), sig.algorithm().hash());
        if (sig.bodyLength() >= 0 && sig.bodyLength() > bh.canonicalLength()) return Check.fail("body shorter than l=");
        if (!MessageDigest.isEqual(bh.hash(), sig.bodyHash())) return Check.fail("body hash did not verify");
        String blanked = DkimHasher.blankTag(field.rawLatin1(), "b");
        if (blanked == null) return Check.fail("cannot blank b=");
        byte[] data = DkimHasher.headerData(msg.headers(), sig.signedHeaders(), sig.headerCanon(), blanked);
        if (!DkimHasher.verify(sig.algorithm(), key.key().publicKey(), data, sig.signature())) return Check.fail("signature did not verify");
        return Check.OK;
    }

    private Check verifySeal(ArcChain chain, int instance, ArcSeal seal, Map<String, KeyCheck> keyCache) {
        Check pre = algorithmAndTime(seal.algorithm(), seal.timestamp());
        if (pre != null) return pre;
        KeyCheck key = key(seal.keyName(), seal.algorithm(), keyCache);
        if (key.key() == null) return new Check(false, key.error(), key.temporary());
        String blanked = DkimHasher.blankTag(chain.sets.get(instance - 1).as.rawLatin1(), "b");
        if (blanked == null) return Check.fail("cannot blank b=");
        byte[] data = sealData(chain.sets.subList(0, instance - 1), chain.sets.get(instance - 1).aar.rawLatin1(),
                chain.sets.get(instance - 1).ams.rawLatin1(), blanked);
        if (!DkimHasher.verify(seal.algorithm(), key.key().publicKey(), data, seal.signature())) return Check.fail("seal did not verify");
        return Check.OK;
    }

    /**
     * The ARC-Seal hash input (RFC 8617 §5.1.1): the fields of the earlier sets in increasing
     * instance order, each AAR, AMS, AS, then this set's AAR, AMS and AS (its {@code b=} value
     * blanked, without the final CRLF), all with relaxed header canonicalisation.
     */
    static byte[] sealData(List<ArcChain.Set> earlier, String aar, String ams, String blankedSeal) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        Canonicalization relaxed = Canonicalization.RELAXED;
        for (ArcChain.Set s : earlier) {
            out.writeBytes(relaxed.headerBytes(s.aar.rawLatin1()));
            out.writeBytes(relaxed.headerBytes(s.ams.rawLatin1()));
            out.writeBytes(relaxed.headerBytes(s.as.rawLatin1()));
        }
        out.writeBytes(relaxed.headerBytes(aar));
        out.writeBytes(relaxed.headerBytes(ams));
        String last = relaxed.header(blankedSeal);
        out.writeBytes(last.substring(0, last.length() - 2).getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Null when the algorithm and timestamp are acceptable, else the failure. */
    private Check algorithmAndTime(DkimAlgorithm alg, long timestamp) {
        // RFC 8301 §3.1: SHA-1 signatures are not valid
        if (alg == DkimAlgorithm.RSA_SHA1) return Check.fail("rsa-sha1 is not accepted (RFC 8301)");
        long now = clock.instant().getEpochSecond();
        // RFC 6376 §3.5 t=: a timestamp in the future (beyond skew) is not believable
        if (timestamp >= 0 && (timestamp == Long.MAX_VALUE || timestamp > now + policy.clockSkew().toSeconds())) {
            return Check.fail("timestamp in the future");
        }
        return null;
    }

    private KeyCheck key(String name, DkimAlgorithm alg, Map<String, KeyCheck> cache) {
        KeyCheck fetched = cache.computeIfAbsent(name, n -> switch (keys.fetchKey(n)) {
            case DkimVerifier.KeyOutcome.Found(DkimKeyRecord r) -> new KeyCheck(r, null, false);
            case DkimVerifier.KeyOutcome.TempError(String why) -> new KeyCheck(null, why, true);
            case DkimVerifier.KeyOutcome.PermError(String why) -> new KeyCheck(null, why, false);
        });
        DkimKeyRecord key = fetched.key();
        if (key == null) return fetched;
        // RFC 6376 §3.6.1: the key record's constraints
        if (key.revoked()) return new KeyCheck(null, "key revoked", false);
        if (!key.keyType().equals(alg.keyType())) return new KeyCheck(null, "key type " + key.keyType() + " does not match a=" + alg.tag(), false);
        if (!key.allowsHash(alg.hash())) return new KeyCheck(null, "key h= does not allow " + alg.hash(), false);
        if (!key.forEmail()) return new KeyCheck(null, "key not for email", false);
        // RFC 8301 §3.2: RSA keys under 1024 bits are not valid
        if (key.keyType().equals("rsa") && key.keyBits() < policy.minRsaBits()) {
            return new KeyCheck(null, "RSA key of " + key.keyBits() + " bits is too small", false);
        }
        return fetched;
    }
}
