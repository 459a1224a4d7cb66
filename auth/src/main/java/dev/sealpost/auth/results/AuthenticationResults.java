package dev.sealpost.auth.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An Authentication-Results header field (RFC 8601): produced for the messages we accept, and
 * parsed from incoming ones.
 *
 * <p>An empty {@code results} list is the {@code none} form (RFC 8601 §2.2 no-result).
 * Keywords (method, result, ptype, property) are lower-cased; values keep their case.
 * Comments are for humans (RFC 8601 §2.3) and are dropped by the parser.
 *
 * @param authservId the authentication service identifier (RFC 8601 §2.5), usually our host name
 * @param version    the {@code authres-version}, 1 unless stated
 * @param results    one entry per {@code resinfo}
 */
public record AuthenticationResults(String authservId, int version, List<MethodResult> results) {
    /** The header field name. */
    public static final String FIELD_NAME = "Authentication-Results";
    /** Longest field value parsed (a real one is well under 4 KB). */
    public static final int MAX_LENGTH = 64 * 1024;
    /** Most {@code resinfo}s in one field. */
    public static final int MAX_RESULTS = 100;
    /** Most properties in one {@code resinfo}. */
    public static final int MAX_PROPERTIES = 50;
    private static final int MAX_COMMENT_DEPTH = 32;
    private static final int FOLD_AT = 78;

    public AuthenticationResults {
        Objects.requireNonNull(authservId, "authservId");
        if (authservId.isEmpty()) throw new IllegalArgumentException("empty authserv-id");
        if (version < 1) throw new IllegalArgumentException("version " + version);
        results = List.copyOf(results);
    }

    /**
     * One method's result (RFC 8601 §2.2 {@code resinfo}).
     *
     * @param method        e.g. {@code spf}, {@code dkim}, {@code dmarc}, {@code arc}, {@code iprev}, {@code auth}
     * @param methodVersion the {@code method/version} number, or null when absent
     * @param result        e.g. {@code pass}, {@code fail}, {@code none}
     * @param reason        the {@code reason=} text, or null
     * @param properties    {@code ptype.property=value} items, in order
     */
    public record MethodResult(String method, Integer methodVersion, String result, String reason, List<Property> properties) {
        public MethodResult {
            method = keyword(method, "method");
            result = keyword(result, "result");
            if (methodVersion != null && methodVersion < 0) throw new IllegalArgumentException("method version " + methodVersion);
            properties = List.copyOf(properties);
        }

        public MethodResult(String method, String result, Property... properties) {
            this(method, null, result, null, List.of(properties));
        }

        public MethodResult withReason(String reason) {
            return new MethodResult(method, methodVersion, result, reason, properties);
        }

        /** The first value of {@code ptype.property}, if present. */
        public Optional<String> property(String ptype, String property) {
            return properties.stream().filter(p -> p.type().equalsIgnoreCase(ptype) && p.name().equalsIgnoreCase(property))
                    .map(Property::value).findFirst();
        }
    }

    /**
     * A {@code propspec}: {@code type.name=value} (RFC 8601 §2.3, e.g. {@code smtp.mailfrom}, {@code header.d}, {@code policy.iprev}).
     */
    public record Property(String type, String name, String value) {
        public Property {
            type = keyword(type, "ptype");
            name = keyword(name, "property");
            Objects.requireNonNull(value, "value");
        }
    }

    // -------------------------------------------------------------------------------- builder

    public static Builder builder(String authservId) {
        return new Builder(authservId);
    }

    /** Builds our own header field; values from messages are quoted as needed, never trusted as syntax. */
    public static final class Builder {
        private final String authservId;
        private final List<MethodResult> results = new ArrayList<>();

        private Builder(String authservId) {
            this.authservId = authservId;
        }

        /** {@code spf=<result> smtp.mailfrom=<mailFrom>} (RFC 8601 §2.7.2); {@code mailFrom} is the address or domain. */
        public Builder spf(String result, String mailFrom) {
            return add(new MethodResult("spf", result, new Property("smtp", "mailfrom", mailFrom)));
        }

        /** {@code spf=<result> smtp.helo=<helo>} for the HELO identity (RFC 8601 §2.7.2). */
        public Builder spfHelo(String result, String helo) {
            return add(new MethodResult("spf", result, new Property("smtp", "helo", helo)));
        }

        /**
         * {@code dkim=<result> header.d=... header.s=... header.b=...} (RFC 8601 §2.7.1; RFC 6008
         * {@code header.b}: the first 8 characters of the signature, enough to tell signatures apart).
         */
        public Builder dkim(String result, String domain, String selector, String signatureB64) {
            List<Property> props = new ArrayList<>();
            if (domain != null) props.add(new Property("header", "d", domain));
            if (selector != null) props.add(new Property("header", "s", selector));
            if (signatureB64 != null && !signatureB64.isEmpty()) {
                String b = signatureB64.replaceAll("\\s", "");
                props.add(new Property("header", "b", b.substring(0, Math.min(8, b.length()))));
            }
            return add(new MethodResult("dkim", null, result, null, props));
        }

        /** {@code dmarc=<result> header.from=<domain>} (RFC 7489 §11.2). */
        public Builder dmarc(String result, String fromDomain) {
            return add(new MethodResult("dmarc", result, new Property("header", "from", fromDomain)));
        }

        /** {@code dmarc=<result> (p=... dis=...)}-style detail goes into the reason here: {@code reason="..."}. */
        public Builder dmarc(String result, String fromDomain, String reason) {
            return add(new MethodResult("dmarc", result, new Property("header", "from", fromDomain)).withReason(reason));
        }

        /** {@code arc=<result> smtp.remote-ip=<ip>} (RFC 8617 §10.2, which registers the smtp.remote-ip property). */
        public Builder arc(String result, String remoteIp) {
            return add(remoteIp == null ? new MethodResult("arc", result)
                    : new MethodResult("arc", result, new Property("smtp", "remote-ip", remoteIp)));
        }

        /** {@code iprev=<result> policy.iprev=<ip>} (RFC 8601 §2.7.3, §3). */
        public Builder iprev(String result, String ip) {
            return add(new MethodResult("iprev", result, new Property("policy", "iprev", ip)));
        }

        /** {@code auth=pass smtp.auth=<user>} (RFC 8601 §2.7.4). */
        public Builder auth(String result, String user) {
            return add(new MethodResult("auth", result, new Property("smtp", "auth", user)));
        }

        public Builder add(MethodResult r) {
            results.add(Objects.requireNonNull(r));
            return this;
        }

        public AuthenticationResults build() {
            return new AuthenticationResults(authservId, 1, results);
        }
    }

    // -------------------------------------------------------------------------------- output

    /** The field value on one line (no name, no CRLF). */
    public String value() {
        return pieces(true).getFirst();
    }

    /** The whole field, {@code Authentication-Results: ...}, folded before 78 columns where it can be, lines ended by CRLF. */
    public String toHeaderField() {
        StringBuilder out = new StringBuilder(FIELD_NAME).append(':');
        int lineLen = out.length();
        for (String piece : pieces(false)) {
            boolean newLine = piece.startsWith("\n");
            String p = newLine ? piece.substring(1) : piece;
            if (newLine || (lineLen + 1 + p.length() > FOLD_AT && lineLen > 1)) {
                out.append("\r\n\t");
                lineLen = 1;
            } else {
                out.append(' ');
                lineLen++;
            }
            out.append(p);
            lineLen += p.length();
        }
        return out.append("\r\n").toString();
    }

    /** Pieces separated by a space; a piece starting with '\n' begins a new folded line. */
    private List<String> pieces(boolean flat) {
        List<String> pieces = new ArrayList<>();
        String head = quoteValue(authservId) + (version != 1 ? " " + version : "");
        if (results.isEmpty()) {
            pieces.add(head + ";");
            pieces.add("none"); // RFC 8601 §2.2 no-result
            return flat ? List.of(head + "; none") : pieces;
        }
        List<String> flatParts = new ArrayList<>();
        flatParts.add(head);
        pieces.add(head + ";");
        for (int i = 0; i < results.size(); i++) {
            MethodResult r = results.get(i);
            List<String> parts = new ArrayList<>();
            parts.add(r.method() + (r.methodVersion() != null ? "/" + r.methodVersion() : "") + "=" + r.result());
            if (r.reason() != null) parts.add("reason=" + quoteValue(r.reason()));
            for (Property p : r.properties()) parts.add(p.type() + "." + p.name() + "=" + quotePvalue(p.value()));
            if (i < results.size() - 1) parts.set(parts.size() - 1, parts.getLast() + ";");
            pieces.add("\n" + parts.getFirst());
            pieces.addAll(parts.subList(1, parts.size()));
            flatParts.add(String.join(" ", parts));
        }
        if (flat) {
            StringBuilder b = new StringBuilder(head);
            for (int i = 1; i < flatParts.size(); i++) b.append(i == 1 ? "; " : " ").append(flatParts.get(i));
            return List.of(b.toString());
        }
        return pieces;
    }

    // RFC 2045 §5.1 token: 1*<any (US-ASCII) CHAR except SPACE, CTLs, or tspecials>
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]+");
    // RFC 8601 §2.2 pvalue: [ [ local-part ] "@" ] domain-name (dot-atom local parts only here)
    private static final Pattern ADDRESS = Pattern.compile("(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)?@"
            + "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    static String quoteValue(String v) {
        return TOKEN.matcher(v).matches() ? v : quoted(v);
    }

    static String quotePvalue(String v) {
        return TOKEN.matcher(v).matches() || ADDRESS.matcher(v).matches() ? v : quoted(v);
    }

    /** RFC 5322 §3.2.4 quoted-string; control characters (CR, LF included) become spaces so a value can never end the field. */
    private static String quoted(String v) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if ((c < 0x20 && c != '\t') || c == 0x7F) b.append(' ');
            else b.append(c);
        }
        return b.append('"').toString();
    }

    private static String keyword(String s, String what) {
        Objects.requireNonNull(s, what);
        if (!KEYWORD.matcher(s).matches()) throw new IllegalArgumentException("bad " + what + ": " + s);
        return s.toLowerCase(Locale.ROOT);
    }

    // -------------------------------------------------------------------------------- parsing

    /** The outcome of parsing a field value. */
    public sealed interface ParseResult permits Parsed, Malformed {}

    public record Parsed(AuthenticationResults header) implements ParseResult {}

    public record Malformed(String reason) implements ParseResult {}

    /**
     * Parses a field value (after the colon; folded or not) per RFC 8601 §2.2 with CFWS (RFC 5322
     * §3.2.2) between tokens. Leniency: a trailing {@code ;} is accepted; a {@code pvalue} that is
     * neither a token, a quoted-string nor an address is accepted as the run of characters up to
     * white space, {@code ;}, {@code (} or {@code "} (seen from deployed verifiers, e.g. base64 in {@code header.b}).
     */
    public static ParseResult parse(String value) {
        if (value == null) return new Malformed("no value");
        if (value.length() > MAX_LENGTH) return new Malformed("longer than " + MAX_LENGTH);
        try {
            return new Parsed(new Parser(value).parse());
        } catch (IllegalArgumentException e) {
            return new Malformed(e.getMessage());
        }
    }

    /** The authserv-id alone, read leniently even when the rest of the field is malformed. */
    public static Optional<String> authservIdOf(String value) {
        if (value == null || value.length() > MAX_LENGTH) return Optional.empty();
        try {
            Parser p = new Parser(value);
            p.cfws();
            String id = p.value();
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * True when the field claims our authserv-id (compared case-insensitively, as domain names):
     * such fields in incoming mail are forgeries and MUST be removed (RFC 8601 §5).
     */
    public static boolean isOurs(String headerValue, String authservId) {
        return authservIdOf(headerValue).map(id -> id.equalsIgnoreCase(authservId)).orElse(false);
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        AuthenticationResults parse() {
            cfws();
            String id = value();
            if (id.isEmpty()) throw new IllegalArgumentException("no authserv-id");
            boolean ws = cfws();
            int version = 1;
            if (ws && i < s.length() && isDigit(s.charAt(i))) {
                version = number("authres-version");
                if (version < 1) throw new IllegalArgumentException("authres-version 0");
                cfws();
            }
            List<MethodResult> results = new ArrayList<>();
            if (i >= s.length()) throw new IllegalArgumentException("no result after the authserv-id");
            while (i < s.length()) {
                expect(';');
                cfws();
                if (i >= s.length()) break; // leniency: trailing ';'
                int start = i;
                String method = keyword("method");
                cfws();
                if (method.equals("none") && results.isEmpty() && i >= s.length()) return new AuthenticationResults(id, version, List.of());
                if (method.equals("none") && i < s.length() && s.charAt(i) != '=' && s.charAt(i) != '/') {
                    throw new IllegalArgumentException("'none' must stand alone (at " + start + ")");
                }
                Integer methodVersion = null;
                if (peek('/')) {
                    i++;
                    cfws();
                    methodVersion = number("method-version");
                    cfws();
                }
                expect('=');
                cfws();
                String result = keyword("result");
                String reason = null;
                List<Property> props = new ArrayList<>();
                while (true) {
                    boolean sep = cfws();
                    if (i >= s.length() || peek(';')) break;
                    if (!sep) throw new IllegalArgumentException("white space expected at " + i);
                    String word = keyword("ptype");
                    cfws();
                    if (word.equals("reason") && peek('=') && reason == null && props.isEmpty()) {
                        i++;
                        cfws();
                        reason = value();
                        continue;
                    }
                    expect('.');
                    cfws();
                    String property = keyword("property");
                    cfws();
                    expect('=');
                    cfws();
                    String pv = pvalue();
                    if (props.size() >= MAX_PROPERTIES) throw new IllegalArgumentException("more than " + MAX_PROPERTIES + " properties");
                    props.add(new Property(word, property, pv));
                }
                if (results.size() >= MAX_RESULTS) throw new IllegalArgumentException("more than " + MAX_RESULTS + " results");
                results.add(new MethodResult(method, methodVersion, result, reason, props));
            }
            if (results.isEmpty()) throw new IllegalArgumentException("no result");
            return new AuthenticationResults(id, version, results);
        }

        /** Skips CFWS; true when anything was skipped. CRLF (folding) counts as white space. */
        boolean cfws() {
            int start = i;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                    i++;
                } else if (c == '(') {
                    comment();
                } else {
                    break;
                }
            }
            return i > start;
        }

        private void comment() {
            int depth = 0;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '\\') {
                    if (i >= s.length()) break;
                    i++;
                } else if (c == '(') {
                    if (++depth > MAX_COMMENT_DEPTH) throw new IllegalArgumentException("comments nested too deeply");
                } else if (c == ')') {
                    if (--depth == 0) return;
                } else if (isCtl(c)) {
                    throw new IllegalArgumentException("control character in a comment");
                }
            }
            throw new IllegalArgumentException("unterminated comment");
        }

        /** RFC 2045 value: token / quoted-string. */
        String value() {
            if (peek('"')) return quotedString();
            int start = i;
            while (i < s.length() && isTokenChar(s.charAt(i))) i++;
            return s.substring(start, i);
        }

        String pvalue() {
            if (peek('"')) return quotedString();
            int start = i;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '(' || c == '"') break;
                if (isCtl(c)) throw new IllegalArgumentException("control character in a value");
                i++;
            }
            return s.substring(start, i);
        }

        private String quotedString() {
            StringBuilder b = new StringBuilder();
            i++; // opening quote
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c == '\\') {
                    if (i >= s.length()) break;
                    char q = s.charAt(i++);
                    if (isCtl(q) && q != '\t') throw new IllegalArgumentException("control character in a quoted string");
                    b.append(q);
                } else if (c == '\r' || c == '\n') {
                    // folding inside a quoted string: the CRLF goes, the WSP after it stays (RFC 5322 §3.2.2)
                    if (c == '\n' && (i >= s.length() || (s.charAt(i) != ' ' && s.charAt(i) != '\t'))) {
                        throw new IllegalArgumentException("line break in a quoted string");
                    }
                } else if (isCtl(c) && c != '\t') {
                    throw new IllegalArgumentException("control character in a quoted string");
                } else {
                    b.append(c);
                }
            }
            throw new IllegalArgumentException("unterminated quoted string");
        }

        String keyword(String what) {
            int start = i;
            while (i < s.length() && isKeywordChar(s.charAt(i), i == start)) i++;
            if (i == start) throw new IllegalArgumentException(what + " expected at " + start);
            return s.substring(start, i).toLowerCase(Locale.ROOT);
        }

        int number(String what) {
            int start = i;
            while (i < s.length() && isDigit(s.charAt(i))) i++;
            if (i == start || i - start > 9) throw new IllegalArgumentException("bad " + what + " at " + start);
            return Integer.parseInt(s.substring(start, i));
        }

        boolean peek(char c) {
            return i < s.length() && s.charAt(i) == c;
        }

        void expect(char c) {
            if (!peek(c)) throw new IllegalArgumentException("'" + c + "' expected at " + i);
            i++;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isCtl(char c) {
            return c < 0x20 || c == 0x7F;
        }

        private static boolean isKeywordChar(char c, boolean first) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || (!first && (c == '-' || c == '_'));
        }

        private static boolean isTokenChar(char c) {
            return c > 0x20 && c < 0x7F && "()<>@,;:\\\"/[]?=".indexOf(c) < 0;
        }
    }
}
