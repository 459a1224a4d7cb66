package dev.sealpost.core.sasl;

import java.io.IOException;
import java.util.Base64;
import java.util.Locale;

/**
 * One SASL dialogue (RFC 4422 §3), the same for SMTP AUTH, IMAP AUTHENTICATE and POP3 AUTH:
 * decodes the initial response, runs the mechanism's exchange over a protocol's
 * {@link Io}, sends additional data with success as one more challenge, and returns the
 * result as an {@link Outcome}. The protocol then replies, logs and throttles (through
 * {@code core.login.LoginGate}); the dialogue itself writes no reply and no log line.
 */
public final class SaslDialog {
    /** Challenges one exchange may send before it is cut off; SCRAM needs 2 (3 with the final message). */
    public static final int MAX_ROUNDS = 10;

    private SaslDialog() {}

    /** How one protocol carries a challenge and the client's answer. */
    @FunctionalInterface
    public interface Io {
        /**
         * Sends {@code data} as a challenge (SMTP {@code 334 base64}, IMAP and POP3 {@code + base64})
         * and reads the client's answer line.
         */
        Answer challenge(byte[] data) throws IOException;
    }

    /** The client's answer to a challenge, as the protocol read it. */
    public sealed interface Answer {
        /** A line without its CRLF: base64, empty, or {@code *} to cancel. */
        record Line(String text) implements Answer {}

        /** The connection closed (or timed out) before an answer came. */
        record Closed() implements Answer {}

        /** The line could not be read as one (too long, bare LF); {@code reason} is a short token such as {@code line-too-long}. */
        record Unreadable(String reason) implements Answer {}
    }

    /** How a dialogue ended. {@code claimedUser} is the identity the client named, unchecked, or null. */
    public sealed interface Outcome {
        String mechanism();

        /** Credentials verified; {@code user} is the account's canonical name. */
        record Authenticated(String mechanism, String user) implements Outcome {}

        /** Well-formed, but the credentials (or channel binding, or authorization identity) were wrong. */
        record Failed(String mechanism, String claimedUser, String reason) implements Outcome {}

        /** Not valid for the mechanism or the protocol (bad base64, syntax, an unreadable line). */
        record Malformed(String mechanism, String claimedUser, String reason) implements Outcome {}

        /** The client sent {@code *} (RFC 4954 §4, RFC 9051 §6.2.2, RFC 5034 §4). */
        record Cancelled(String mechanism, String claimedUser) implements Outcome {}

        /** More than {@link #MAX_ROUNDS} challenges. */
        record TooManyRounds(String mechanism, String claimedUser) implements Outcome {}

        /** The connection closed in the middle of the dialogue; the session should end. */
        record Disconnected(String mechanism, String claimedUser) implements Outcome {}
    }

    /**
     * Runs one dialogue.
     *
     * @param initialResponse the initial response as the client sent it (base64; {@code =} for
     *                        an empty one: RFC 4954 §4, RFC 4959 §3, RFC 5034 §4), or null for none
     * @param binding         the connection's channel binding, or null
     */
    public static Outcome run(SaslMechanism mechanism, ChannelBinding binding, String initialResponse, Io io)
            throws IOException {
        String mech = mechanism.name();
        byte[] response;
        if (initialResponse == null || initialResponse.equals("=")) {
            response = new byte[0];
        } else {
            response = decode(initialResponse);
            if (response == null) return new Outcome.Malformed(mech, null, "bad-base64");
        }
        SaslExchange exchange = mechanism.start(binding);
        for (int round = 0; ; round++) {
            SaslExchange.SaslStep step = exchange.evaluate(response);
            switch (step) {
                case SaslExchange.SaslStep.Challenge c -> {
                    if (round >= MAX_ROUNDS) return new Outcome.TooManyRounds(mech, exchange.claimedUser());
                    Object r = read(io, c.data());
                    if (r instanceof Outcome o) return with(o, mech, exchange.claimedUser());
                    response = (byte[]) r;
                }
                case SaslExchange.SaslStep.Success s -> {
                    if (s.finalData() != null && s.finalData().length > 0) {
                        // RFC 4954 §4, RFC 9051 §6.2.2, RFC 5034 §4: additional data with success
                        // goes in one more challenge; the client answers with an empty line
                        Object r = read(io, s.finalData());
                        if (r instanceof Outcome o) return with(o, mech, s.user());
                        if (((byte[]) r).length != 0) return new Outcome.Malformed(mech, s.user(), "non-empty-final-response");
                    }
                    return new Outcome.Authenticated(mech, s.user());
                }
                case SaslExchange.SaslStep.Failure f -> {
                    String user = f.user() != null ? f.user() : exchange.claimedUser();
                    return f.malformed() ? new Outcome.Malformed(mech, user, token(f.reason()))
                            : new Outcome.Failed(mech, user, token(f.reason()));
                }
            }
        }
    }

    /** The decoded answer (byte[]), or an Outcome with placeholder names that {@link #with} fills in. */
    private static Object read(Io io, byte[] challenge) throws IOException {
        return switch (io.challenge(challenge)) {
            case Answer.Closed x -> new Outcome.Disconnected(null, null);
            case Answer.Unreadable u -> new Outcome.Malformed(null, null, u.reason());
            case Answer.Line l when l.text().equals("*") -> new Outcome.Cancelled(null, null);
            case Answer.Line l -> {
                byte[] d = decode(l.text());
                yield d != null ? d : new Outcome.Malformed(null, null, "bad-base64");
            }
        };
    }

    private static Outcome with(Outcome o, String mech, String user) {
        return switch (o) {
            case Outcome.Disconnected x -> new Outcome.Disconnected(mech, user);
            case Outcome.Malformed m -> new Outcome.Malformed(mech, user, m.reason());
            case Outcome.Cancelled x -> new Outcome.Cancelled(mech, user);
            default -> o;
        };
    }

    /** A mechanism's reason text as a log token: "bad credentials" becomes {@code bad-credentials}. */
    static String token(String reason) {
        if (reason == null || reason.isBlank()) return "unspecified";
        return reason.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    private static byte[] decode(String b64) {
        if (b64.isEmpty()) return new byte[0];
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
