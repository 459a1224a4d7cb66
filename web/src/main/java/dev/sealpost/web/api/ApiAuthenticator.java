package dev.sealpost.web.api;

import dev.sealpost.core.login.LoginGate;
import dev.sealpost.core.mail.EmailAddress;
import dev.sealpost.store.ApiAccess;
import dev.sealpost.store.Directory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns an {@code Authorization} header into a {@link Principal}, through the login path every
 * protocol shares (ADR 0007): {@link LoginGate} throttles and logs each attempt
 * ({@code auth failed proto=http mech=BASIC ...}), and a password is checked with
 * {@link Directory#authenticate}, which costs the same for unknown accounts. Never logs a
 * password or a token; the answer to a bad password, an unknown account, a bad, unknown or
 * revoked token is the same 401.
 */
public final class ApiAuthenticator {
    /** Protocol name in the login log lines and metrics. */
    public static final String PROTOCOL = "http";
    /** How often a token's last use is written at most. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    /** The result of authenticating a request. */
    public sealed interface Outcome {
        record Ok(Principal principal) implements Outcome {}

        /** Refused: 401 (no or bad credentials) or 429 (throttled), with an error code and text for the client. */
        record Refused(int status, String error, String message) implements Outcome {}
    }

    private final Directory directory;
    private final ApiAccess access;
    private final LoginGate gate;
    private final Clock clock;

    public ApiAuthenticator(Directory directory, ApiAccess access, LoginGate gate, Clock clock) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.access = Objects.requireNonNull(access, "access");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static Outcome.Refused unauthorized(String message) {
        return new Outcome.Refused(401, "unauthorized", message);
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param ip            the client's address (throttling, log)
     * @param sessionId     an id for the log line
     */
    public Outcome authenticate(String authorization, InetAddress ip, String sessionId) throws IOException {
        if (authorization == null || authorization.isBlank()) return unauthorized("credentials required: HTTP Basic or a bearer token");
        String h = authorization.strip();
        int sp = h.indexOf(' ');
        String scheme = (sp < 0 ? h : h.substring(0, sp)).toLowerCase(Locale.ROOT);
        String rest = sp < 0 ? "" : h.substring(sp + 1).strip();
        LoginGate.Client client = new LoginGate.Client(PROTOCOL, sessionId, ip);
        return switch (scheme) {
            case "basic" -> basic(rest, client);
            case "bearer" -> bearer(rest, client);
            default -> unauthorized("unsupported authentication scheme: use Basic or Bearer");
        };
    }

    /** RFC 7617 §2: base64 of {@code user-id ":" password}, here in UTF-8 (§2.1 charset). */
    private Outcome basic(String credentials, LoginGate.Client client) throws IOException {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(credentials);
        } catch (IllegalArgumentException e) {
            gate.aborted(client, "BASIC", null, "malformed");
            return unauthorized("malformed Basic credentials");
        }
        char[] text;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw));
            text = new char[cb.remaining()];
            cb.get(text);
        } catch (CharacterCodingException e) {
            gate.aborted(client, "BASIC", null, "malformed");
            return unauthorized("malformed Basic credentials");
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        int colon = -1;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= 0) {
            Arrays.fill(text, '\0');
            gate.aborted(client, "BASIC", null, "malformed");
            return unauthorized("malformed Basic credentials");
        }
        String user = new String(text, 0, colon);
        char[] password = Arrays.copyOfRange(text, colon + 1, text.length);
        Arrays.fill(text, '\0');
        try {
            if (gate.blocked(client, "BASIC")) return new Outcome.Refused(429, "throttled", "too many failed logins from this address: try later");
            Optional<String> canonical = EmailAddress.parse(user.strip()).map(EmailAddress::canonical);
            Optional<Directory.Account> account = canonical.isEmpty() ? Optional.empty() : directory.authenticate(canonical.get(), password);
            if (account.isEmpty()) {
                gate.failed(client, "BASIC", user, "bad-credentials", () -> {});
                return unauthorized("invalid credentials");
            }
            String address = account.get().address();
            gate.succeeded(client, "BASIC", address);
            return new Outcome.Ok(Principal.of(address, access.roles(address), null, 0));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** RFC 6750 §2.1: {@code Bearer <token>}. */
    private Outcome bearer(String token, LoginGate.Client client) throws IOException {
        if (gate.blocked(client, "BEARER")) return new Outcome.Refused(429, "throttled", "too many failed logins from this address: try later");
        Optional<byte[]> hash = ApiToken.parse(token);
        Optional<ApiAccess.Token> stored = hash.flatMap(access::tokenByHash);
        if (stored.isEmpty() || stored.get().revoked()) {
            gate.failed(client, "BEARER", stored.map(ApiAccess.Token::address).orElse(null),
                    hash.isEmpty() ? "malformed-token" : stored.isEmpty() ? "unknown-token" : "revoked-token", () -> {});
            return unauthorized("invalid or revoked token");
        }
        ApiAccess.Token t = stored.get();
        gate.succeeded(client, "BEARER", t.address());
        Instant now = clock.instant();
        if (t.lastUsedAt() == null || t.lastUsedAt().plus(TOUCH_INTERVAL).isBefore(now)) access.tokenUsed(t.id(), now);
        return new Outcome.Ok(Principal.of(t.address(), access.roles(t.address()), t.scope(), t.id()));
    }
}
