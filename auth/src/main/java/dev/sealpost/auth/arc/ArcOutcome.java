package dev.sealpost.auth.arc;

import dev.sealpost.auth.results.AuthenticationResults.MethodResult;
import dev.sealpost.auth.results.AuthenticationResults.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The result of ARC chain validation (RFC 8617 §5.2).
 *
 * @param cv             the Chain Validation Status
 * @param instances      the number of ARC Sets seen (the highest valid instance), 0 for none
 * @param reason         why the chain failed, "" otherwise
 * @param oldestPass     RFC 8617 §5.2 step 5: when {@code cv} is PASS, 0 when every
 *                       ARC-Message-Signature validated, else the lowest instance whose AMS (and
 *                       every newer one) validated; -1 when {@code cv} is not PASS
 * @param sealers        the ARC-Seal {@code d=} of each instance, index 0 for i=1; filled when
 *                       the chain structure was valid, empty otherwise
 * @param authResults    the ARC-Authentication-Results payload of each instance ("authserv-id;
 *                       results", unfolded), index 0 for i=1; filled like {@code sealers}
 * @param temporaryError true when the failure came from a DNS failure worth retrying (a key
 *                       could not be fetched), so that a caller may defer instead of acting on FAIL
 */
public record ArcOutcome(ArcResult cv, int instances, String reason, int oldestPass, List<String> sealers,
                         List<String> authResults, boolean temporaryError) {
    public ArcOutcome {
        Objects.requireNonNull(cv);
        Objects.requireNonNull(reason);
        sealers = List.copyOf(sealers);
        authResults = List.copyOf(authResults);
    }

    /** No ARC Sets. */
    public static ArcOutcome none() {
        return new ArcOutcome(ArcResult.NONE, 0, "", -1, List.of(), List.of(), false);
    }

    static ArcOutcome fail(int instances, String reason) {
        return new ArcOutcome(ArcResult.FAIL, instances, reason, -1, List.of(), List.of(), false);
    }

    /** The sealer of the newest instance ({@code d=} of the ARC-Seal with i=N), or "" when not known. */
    public String newestSealer() {
        return sealers.isEmpty() ? "" : sealers.getLast();
    }

    /**
     * The Authentication-Results entry (RFC 8617 §10.1): {@code arc=<cv>}, with
     * {@code header.oldest-pass} when the chain passed but older AMSes did not validate, and
     * {@code smtp.remote-ip} (RFC 8617 §10.2) when {@code remoteIp} is not null.
     */
    public MethodResult toMethodResult(String remoteIp) {
        List<Property> props = new ArrayList<>();
        if (cv == ArcResult.PASS && oldestPass > 0) props.add(new Property("header", "oldest-pass", Integer.toString(oldestPass)));
        if (remoteIp != null) props.add(new Property("smtp", "remote-ip", remoteIp));
        return new MethodResult("arc", null, cv.tag(), null, props);
    }
}
