package dev.sealpost.core.sasl;

import dev.sealpost.core.auth.PasswordHasher;
import dev.sealpost.core.sasl.SaslExchange.SaslStep;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Helpers shared by the mechanisms: bounded strict UTF-8 decoding and the plaintext password check. */
final class SaslSupport {
    /** Upper bound on any one client response, in octets (after base64 decoding). */
    static final int MAX_RESPONSE = 4096;

    static final byte[] EMPTY = new byte[0];

    private SaslSupport() {}

    static SaslStep.Failure malformed(String reason) {
        return new SaslStep.Failure(true, reason);
    }

    /** A syntax error after the client named {@code user} (may be null). */
    static SaslStep.Failure malformed(String reason, String user) {
        return new SaslStep.Failure(true, reason, user);
    }

    static SaslStep.Failure invalidCredentials(String user) {
        // One reason text for "no such user" and "wrong password": no user enumeration.
        return new SaslStep.Failure(false, "bad credentials", user);
    }

    /** {@code failure} with {@code user} filled in when it has none. */
    static SaslStep withUser(SaslStep step, String user) {
        if (user != null && step instanceof SaslStep.Failure f && f.user() == null) {
            return new SaslStep.Failure(f.malformed(), f.reason(), user);
        }
        return step;
    }

    static SaslStep.Failure finished() {
        return malformed("the exchange is already finished");
    }

    private static CharsetDecoder strictUtf8() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Strict UTF-8 decoding (RFC 3629): overlong forms and lone surrogates are errors. Empty when invalid. */
    static Optional<String> utf8(byte[] b, int off, int len) {
        try {
            return Optional.of(strictUtf8().decode(ByteBuffer.wrap(b, off, len)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    static Optional<String> utf8(byte[] b) {
        return utf8(b, 0, b.length);
    }

    /** Decodes a password into a char array without making a String of it; null when not valid UTF-8. */
    static char[] utf8Chars(byte[] b, int off, int len) {
        CharBuffer cb;
        try {
            cb = strictUtf8().decode(ByteBuffer.wrap(b, off, len));
        } catch (CharacterCodingException e) {
            return null;
        }
        char[] out = new char[cb.remaining()];
        cb.get(out);
        if (cb.hasArray()) Arrays.fill(cb.array(), '\0');
        return out;
    }

    /**
     * The authorization identity check shared by all mechanisms: we do not support acting as
     * another user (no proxy authorization), so an authzid must name the authenticated user,
     * either as the client wrote the authentication identity or as the account's canonical name.
     */
    static boolean authzidAllowed(String authzid, String authcid, String accountName) {
        if (authzid == null || authzid.isEmpty()) return true;
        return authzid.equals(authcid) || authzid.toLowerCase(Locale.ROOT).equals(accountName.toLowerCase(Locale.ROOT));
    }

    /**
     * Checks a plaintext password (PLAIN, LOGIN) and wipes it. An unknown account still costs
     * one full hash verification against {@link PasswordHasher#decoyHash()}, so the answer
     * time does not tell whether the account exists.
     */
    static SaslStep verifyPlaintext(CredentialLookup lookup, String authcid, String authzid, char[] password) {
        try {
            Optional<CredentialLookup.Account> account = lookup.lookup(authcid);
            String hash = account.map(CredentialLookup.Account::credentials)
                    .map(StoredCredentials::passwordHash).orElse(null);
            boolean ok;
            if (hash != null) {
                ok = PasswordHasher.verify(hash, password);
            } else {
                PasswordHasher.verify(PasswordHasher.decoyHash(), password);
                ok = false;
            }
            if (!ok) return invalidCredentials(authcid);
            String name = account.get().name();
            if (!authzidAllowed(authzid, authcid, name)) {
                return new SaslStep.Failure(false, "authorization identity differs from the authentication identity", authcid);
            }
            return new SaslStep.Success(name, EMPTY);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
