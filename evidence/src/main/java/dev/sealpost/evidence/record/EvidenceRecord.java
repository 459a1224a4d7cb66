package dev.sealpost.evidence.record;

import dev.sealpost.evidence.json.CanonicalJson;
import dev.sealpost.evidence.json.JsonParser;

import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One evidence record. Its canonical bytes ({@link #canonicalBytes()}, RFC 8785) are what the log
 * leaf, the signature and the time stamp cover.
 *
 * <p>JSON members: {@code v} (1), {@code id}, {@code event}, {@code time} (RFC 3339 UTC with
 * milliseconds, {@code 2026-12-07T20:39:27.123Z}), {@code sha256} (lower-case hex of the exact
 * message bytes), {@code rcpt} (array), and when known {@code message_id}, {@code mail_from}
 * ({@code ""} for the null reverse-path), {@code account}, {@code client_ip}; plus event-specific
 * members ({@code extra}: lower-case names, values strings, integers, booleans or arrays of them).
 * Absent optional members are left out, never written as null.
 *
 * @param id        the record id (letters, digits, '-', '_', '.'; at most 64)
 * @param messageId the Message-ID as received, or null
 * @param sha256    lower-case hex SHA-256 of the message bytes
 * @param mailFrom  the envelope sender, "" for {@code <>}, or null when not applicable
 * @param account   the authenticated account, or null
 * @param clientIp  the client's IP address, or null
 * @param extra     event-specific members (sorted, unmodifiable)
 */
public record EvidenceRecord(String id, EvidenceEvent event, Instant time, String messageId, String sha256,
                             String mailFrom, List<String> rcpt, String account, String clientIp, Map<String, Object> extra) {
    /** The record format version, member {@code v}. */
    public static final int VERSION = 1;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern EXTRA_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Set<String> CORE = Set.of("v", "id", "event", "time", "message_id", "sha256", "mail_from", "rcpt", "account", "client_ip");
    // RFC 3339 §5.6 date-time, always UTC ("Z") with exactly three fraction digits: one text per instant.
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'");
    private static final int MAX_RECORD_BYTES = 65535;   // C2SP tlog-tiles: an entry in a bundle has a 16-bit length
    private static final SecureRandom RANDOM = new SecureRandom();

    public EvidenceRecord {
        Objects.requireNonNull(event, "event");
        if (id == null || !ID.matcher(id).matches()) throw new IllegalArgumentException("bad record id: " + id);
        Objects.requireNonNull(time, "time");
        time = time.truncatedTo(ChronoUnit.MILLIS);
        if (sha256 == null || !HEX64.matcher(sha256).matches()) throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        rcpt = List.copyOf(rcpt);
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(extra));
        for (Map.Entry<String, Object> e : extra.entrySet()) {
            if (!EXTRA_NAME.matcher(e.getKey()).matches() || CORE.contains(e.getKey())) throw new IllegalArgumentException("bad extra member name: " + e.getKey());
            checkExtraValue(e.getKey(), e.getValue(), true);
        }
    }

    /** A new random record id: 26 base32 characters (128 bits). */
    public static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        String s = new BigInteger(1, b).toString(32);
        return "0".repeat(26 - s.length()) + s;
    }

    /** The lower-case hex SHA-256 of {@code message}, for {@link #sha256()}. */
    public static String sha256Hex(byte[] message) {
        return HexFormat.of().formatHex(sha256(message));
    }

    /** The record as a JSON object (members in canonical order). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new TreeMap<>();
        m.put("v", (long) VERSION);
        m.put("id", id);
        m.put("event", event.wire());
        m.put("time", TIME.format(LocalDateTime.ofInstant(time, ZoneOffset.UTC)));
        m.put("sha256", sha256);
        m.put("rcpt", rcpt);
        if (messageId != null) m.put("message_id", messageId);
        if (mailFrom != null) m.put("mail_from", mailFrom);
        if (account != null) m.put("account", account);
        if (clientIp != null) m.put("client_ip", clientIp);
        m.putAll(extra);
        return m;
    }

    /** RFC 8785: the canonical UTF-8 bytes. */
    public byte[] canonicalBytes() {
        return CanonicalJson.bytes(toJson());
    }

    /** SHA-256 of the canonical bytes (the time-stamp imprint). */
    public byte[] hash() {
        return sha256(canonicalBytes());
    }

    /** The outcome of reading a record back. */
    public sealed interface Read {}

    public record Parsed(EvidenceRecord record) implements Read {}

    public record Invalid(String reason) implements Read {}

    /** Reads canonical record bytes; refuses anything not strict JSON, not in canonical form, or not a valid record. */
    public static Read parse(byte[] bytes) {
        if (bytes.length > MAX_RECORD_BYTES) return new Invalid("a record of " + bytes.length + " bytes is larger than " + MAX_RECORD_BYTES);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new Invalid("not UTF-8");
        }
        Object v;
        switch (JsonParser.parse(text)) {
            case JsonParser.Failed f -> {
                return new Invalid("not JSON at " + f.offset() + ": " + f.reason());
            }
            case JsonParser.Parsed p -> v = p.value();
        }
        if (!(v instanceof Map<?, ?> m)) return new Invalid("not a JSON object");
        try {
            if (!Long.valueOf(VERSION).equals(m.get("v"))) return new Invalid("unknown record version " + m.get("v"));
            EvidenceEvent event = EvidenceEvent.fromWire(str(m, "event", true)).orElse(null);
            if (event == null) return new Invalid("unknown event " + m.get("event"));
            Instant time;
            try {
                time = LocalDateTime.parse(str(m, "time", true), TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                return new Invalid("time is not RFC 3339 UTC with milliseconds: " + m.get("time"));
            }
            if (!(m.get("rcpt") instanceof List<?> rl)) return new Invalid("rcpt is not an array");
            List<String> rcpt = new ArrayList<>();
            for (Object o : rl) {
                if (!(o instanceof String s)) return new Invalid("rcpt holds a non-string");
                rcpt.add(s);
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) if (!CORE.contains((String) e.getKey())) extra.put((String) e.getKey(), e.getValue());
            EvidenceRecord r = new EvidenceRecord(str(m, "id", true), event, time, str(m, "message_id", false),
                    str(m, "sha256", true), str(m, "mail_from", false), rcpt, str(m, "account", false), str(m, "client_ip", false), extra);
            if (!MessageDigest.isEqual(r.canonicalBytes(), bytes)) return new Invalid("not in canonical form (RFC 8785)");
            return new Parsed(r);
        } catch (IllegalArgumentException e) {
            return new Invalid(e.getMessage());
        }
    }

    private static String str(Map<?, ?> m, String name, boolean required) {
        Object o = m.get(name);
        if (o == null) {
            if (required) throw new IllegalArgumentException("member " + name + " is missing");
            return null;
        }
        if (!(o instanceof String s)) throw new IllegalArgumentException("member " + name + " is not a string");
        return s;
    }

    private static void checkExtraValue(String name, Object v, boolean top) {
        switch (v) {
            case String s -> { }
            case Boolean b -> { }
            case Long l -> { }
            case Integer i -> { }
            case List<?> l when top -> l.forEach(x -> checkExtraValue(name, x, false));
            case null, default -> throw new IllegalArgumentException("member " + name + " has a value that is not a string, integer, boolean or array of them");
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
