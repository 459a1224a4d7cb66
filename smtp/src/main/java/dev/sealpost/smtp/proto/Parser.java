package dev.sealpost.smtp.proto;

import dev.sealpost.core.mail.EmailAddress;

import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The implementation behind {@link SmtpCommand#parse}; package-private. */
final class Parser {
    private Parser() {}

    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    private static final Pattern MECH = Pattern.compile("[A-Za-z0-9_-]{1,20}");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern LDH = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");

    static boolean isBdat(String line) {
        return startsWithIgnoreCase(line, "BDAT");
    }

    /*
     * Case-insensitivity in SMTP (RFC 5321 §2.4) is ASCII case-insensitivity. The JDK's
     * toUpperCase/equalsIgnoreCase also fold non-ASCII letters onto ASCII ones (U+0131 dotless i
     * -> I, U+017F long s -> S, U+212A Kelvin sign -> k), which would make "MA" U+0131 "L" a MAIL
     * command and U+017F "TARTTLS" a STARTTLS: a parser differential with any front-end filter.
     * So every keyword comparison below goes through these ASCII-only helpers.
     */

    /** Upper-cases a-z only; every other character is left as it is. */
    private static String upper(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) if (c[i] >= 'a' && c[i] <= 'z') c[i] -= 32;
        return new String(c);
    }

    private static boolean equalsIgnoreCase(String s, String keyword) {
        return s.length() == keyword.length() && startsWithIgnoreCase(s, keyword);
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        if (s.length() < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) {
            char a = s.charAt(i), b = prefix.charAt(i);
            if (a >= 'a' && a <= 'z') a -= 32;
            if (b >= 'a' && b <= 'z') b -= 32;
            if (a != b) return false;
        }
        return true;
    }

    /** RFC 3461 §4.2, §4.4: decoded ENVID and ORCPT text is printable US-ASCII (no CR, LF, NUL to carry into a DSN). */
    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) return false;
        }
        return true;
    }

    static SmtpCommand.Invalid invalid(boolean close, Reply r) {
        return new SmtpCommand.Invalid(r, close);
    }

    private static SmtpCommand.Result ok(SmtpCommand c) {
        return new SmtpCommand.Parsed(c);
    }

    private static SmtpCommand.Result syntax(String text) {
        return new SmtpCommand.Invalid(Reply.of(501, "5.5.4", text), false);
    }

    static SmtpCommand.Result parse(String line, boolean utf8) {
        boolean bdat = isBdat(line);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            // RFC 5321 §2.3.8 / §4.1.1: no control characters (bare CR, NUL, TAB...) in a command line
            if (c < 0x20 || c == 0x7f) return invalid(bdat, Reply.of(500, "5.5.2", "Invalid character in command line"));
        }
        int sp = line.indexOf(' ');
        String verb = upper(sp < 0 ? line : line.substring(0, sp));
        String arg = sp < 0 ? "" : line.substring(sp + 1);
        boolean noArg = sp < 0 || arg.isBlank();
        // RFC 5321 §2.4: verbs are case-insensitive
        return switch (verb) {
            case "EHLO", "HELO" -> {
                // Leniency: any visible token is accepted as the client name (many clients send
                // names that are not host names); policy on it belongs to the handler (RFC 5321 §4.1.4
                // forbids refusing a message merely because the name does not verify).
                String name = arg.strip();
                int space = name.indexOf(' ');
                if (space >= 0) name = name.substring(0, space); // leniency: trailing words ignored
                if (name.isEmpty() || name.length() > 255) yield syntax(verb + " requires a domain or address literal");
                yield ok(verb.equals("EHLO") ? new SmtpCommand.Ehlo(name) : new SmtpCommand.Helo(name));
            }
            case "MAIL" -> mail(arg, sp < 0, utf8);
            case "RCPT" -> rcpt(arg, sp < 0, utf8);
            case "DATA" -> noArg ? ok(new SmtpCommand.Data()) : syntax("DATA takes no arguments");
            case "BDAT" -> bdat(arg, sp < 0);
            case "RSET" -> noArg ? ok(new SmtpCommand.Rset()) : syntax("RSET takes no arguments");
            case "NOOP" -> ok(new SmtpCommand.Noop()); // RFC 5321 §4.1.1.9: argument ignored
            case "QUIT" -> noArg ? ok(new SmtpCommand.Quit()) : syntax("QUIT takes no arguments");
            case "VRFY" -> noArg ? syntax("VRFY requires an argument") : ok(new SmtpCommand.Vrfy(arg));
            case "EXPN" -> noArg ? syntax("EXPN requires an argument") : ok(new SmtpCommand.Expn(arg));
            case "HELP" -> ok(new SmtpCommand.Help(arg));
            // RFC 3207 §4: "STARTTLS" CRLF; parameters get 501
            case "STARTTLS" -> noArg ? ok(new SmtpCommand.StartTls()) : syntax("STARTTLS takes no arguments");
            case "AUTH" -> auth(arg, sp < 0);
            default -> new SmtpCommand.Invalid(Replies.UNKNOWN_COMMAND, false);
        };
    }

    // RFC 3030 §2: bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CRLF
    private static SmtpCommand.Result bdat(String arg, boolean none) {
        Reply bad = Reply.of(501, "5.5.4", "Syntax: BDAT chunk-size [LAST]");
        if (none) return invalid(true, bad);
        String[] p = arg.split(" ", -1);
        if (p.length > 2 || !p[0].matches("[0-9]{1,18}")) return invalid(true, bad);
        boolean last = false;
        if (p.length == 2) {
            if (!equalsIgnoreCase(p[1], "LAST")) return invalid(true, bad);
            last = true;
        }
        return ok(new SmtpCommand.Bdat(Long.parseLong(p[0]), last));
    }

    // RFC 4954 §4: "AUTH" SP sasl-mech [SP initial-response] CRLF
    private static SmtpCommand.Result auth(String arg, boolean none) {
        if (none) return syntax("Syntax: AUTH mechanism [initial-response]");
        String[] p = arg.split(" ", -1);
        if (p.length > 2 || !MECH.matcher(p[0]).matches()) return syntax("Syntax: AUTH mechanism [initial-response]");
        String ir = null;
        if (p.length == 2) {
            ir = p[1];
            if (!ir.equals("=") && !BASE64.matcher(ir).matches()) {
                return new SmtpCommand.Invalid(Replies.AUTH_MALFORMED, false);
            }
        }
        return ok(new SmtpCommand.Auth(upper(p[0]), ir));
    }

    /** A path and the parameters after it. */
    private record PathAndParams(String path, Map<String, String> params) {}

    /** Splits {@code FROM:<path> params}; a Result when the syntax is wrong. */
    private static Object splitPath(String arg, boolean none, String prefix, boolean utf8) {
        String usage = "Syntax: " + (prefix.equals("FROM:") ? "MAIL FROM:<address>" : "RCPT TO:<address>") + " [parameters]";
        if (none || arg.length() < prefix.length() || !startsWithIgnoreCase(arg, prefix)) {
            return syntax(usage);
        }
        int i = prefix.length();
        // Leniency: spaces between the colon and "<" (RFC 5321 has none) are accepted; several
        // widely used clients send "MAIL FROM: <a@b>".
        while (i < arg.length() && arg.charAt(i) == ' ') i++;
        if (i >= arg.length() || arg.charAt(i) != '<') return syntax(usage);
        int end = closingBracket(arg, i + 1);
        if (end < 0) return syntax(usage);
        String path = arg.substring(i + 1, end);
        String rest = arg.substring(end + 1);
        Map<String, String> params = new LinkedHashMap<>();
        if (!rest.isEmpty()) {
            if (rest.charAt(0) != ' ') return syntax(usage);
            for (String p : rest.trim().split(" +")) {
                if (p.isEmpty()) continue;
                int eq = p.indexOf('=');
                String key = eq < 0 ? p : p.substring(0, eq);
                String value = eq < 0 ? null : p.substring(eq + 1);
                // RFC 5321 §4.1.2: esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
                if (!KEYWORD.matcher(key).matches()) return syntax("Invalid parameter syntax");
                // esmtp-value = 1*(%d33-60 / %d62-126), RFC 6531 §3.3 adds UTF-8
                if (value != null) {
                    if (value.isEmpty() || value.indexOf('=') >= 0) return syntax("Invalid parameter value");
                    if (!utf8 && !ascii(value)) return new SmtpCommand.Invalid(Replies.UTF8_REQUIRED, false);
                }
                if (params.put(upper(key), value) != null || params.size() > 16) {
                    return syntax("Duplicate or too many parameters");
                }
            }
        }
        return new PathAndParams(path, params);
    }

    /** Index of the '>' closing a path, skipping quoted strings; -1 when none. */
    private static int closingBracket(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
            } else if (c == '"') {
                quoted = true;
            } else if (c == '>') {
                return i;
            } else if (c == '<') {
                return -1;
            }
        }
        return -1;
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }

    private static SmtpCommand.Result mail(String arg, boolean none, boolean utf8Tx) {
        // The SMTPUTF8 parameter comes after the path, so look for it first (RFC 6531 §3.4).
        // (a quick token scan; the parameter loop below is authoritative)
        boolean utf8Param = (" " + upper(arg) + " ").contains(" SMTPUTF8 ");
        Object split = splitPath(arg, none, "FROM:", utf8Tx || utf8Param);
        if (split instanceof SmtpCommand.Result r) return r;
        PathAndParams pp = (PathAndParams) split;
        String body = null, ret = null, envid = null;
        boolean smtpUtf8 = false, requireTls = false;
        long size = -1;
        for (Map.Entry<String, String> e : pp.params.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "SIZE" -> { // RFC 1870 §3: size-value = 1*20DIGIT
                    if (v == null || !DIGITS.matcher(v).matches()) return syntax("Invalid SIZE value");
                    try {
                        size = Long.parseLong(v);
                    } catch (NumberFormatException x) {
                        size = Long.MAX_VALUE;
                    }
                }
                case "BODY" -> { // RFC 6152 §2, RFC 3030 §3
                    String b = v == null ? "" : upper(v);
                    if (!b.equals("7BIT") && !b.equals("8BITMIME") && !b.equals("BINARYMIME")) return syntax("Invalid BODY value");
                    body = b;
                }
                case "SMTPUTF8" -> { // RFC 6531 §3.4: no value
                    if (v != null) return syntax("SMTPUTF8 takes no value");
                    smtpUtf8 = true;
                }
                case "REQUIRETLS" -> { // RFC 8689 §4: no value
                    if (v != null) return syntax("REQUIRETLS takes no value");
                    requireTls = true;
                }
                case "RET" -> { // RFC 3461 §4.3
                    String r = v == null ? "" : upper(v);
                    if (!r.equals("FULL") && !r.equals("HDRS")) return syntax("Invalid RET value");
                    ret = r;
                }
                case "ENVID" -> { // RFC 3461 §4.4: xtext, at most 100 characters
                    Optional<String> d = v == null ? Optional.empty() : Xtext.decode(v, SmtpCommand.MAX_ENVID);
                    if (d.isEmpty() || d.get().isEmpty() || !printableAscii(d.get())) return syntax("Invalid ENVID value");
                    envid = d.get();
                }
                case "AUTH" -> { // RFC 4954 §5: accepted and ignored (we do not relay the identity)
                    if (v == null) return syntax("AUTH parameter needs a value");
                }
                default -> { // RFC 5321 §4.1.1.11
                    return new SmtpCommand.Invalid(Replies.UNKNOWN_PARAMETER, false);
                }
            }
        }
        Object path = mailbox(pp.path, smtpUtf8 || utf8Tx, true);
        if (path instanceof SmtpCommand.Result r) return r;
        return ok(new SmtpCommand.Mail((EmailAddress) path, body, smtpUtf8, requireTls, size, ret, envid, !pp.params.isEmpty()));
    }

    private static SmtpCommand.Result rcpt(String arg, boolean none, boolean utf8) {
        Object split = splitPath(arg, none, "TO:", utf8);
        if (split instanceof SmtpCommand.Result r) return r;
        PathAndParams pp = (PathAndParams) split;
        List<String> notify = List.of();
        String orcpt = null;
        for (Map.Entry<String, String> e : pp.params.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "NOTIFY" -> { // RFC 3461 §4.1: "NEVER" / 1#("SUCCESS" / "FAILURE" / "DELAY")
                    if (v == null) return syntax("Invalid NOTIFY value");
                    List<String> vals = new ArrayList<>();
                    for (String n : upper(v).split(",", -1)) {
                        if (!List.of("NEVER", "SUCCESS", "FAILURE", "DELAY").contains(n) || vals.contains(n)) {
                            return syntax("Invalid NOTIFY value");
                        }
                        vals.add(n);
                    }
                    if (vals.contains("NEVER") && vals.size() > 1) return syntax("NOTIFY=NEVER must be alone");
                    notify = List.copyOf(vals);
                }
                case "ORCPT" -> { // RFC 3461 §4.2: addr-type ";" xtext, at most 500 characters
                    if (v == null || v.length() > SmtpCommand.MAX_ORCPT) return syntax("Invalid ORCPT value");
                    int semi = v.indexOf(';');
                    if (semi <= 0 || !KEYWORD.matcher(v.substring(0, semi)).matches()) return syntax("Invalid ORCPT value");
                    Optional<String> d = Xtext.decode(v.substring(semi + 1), SmtpCommand.MAX_ORCPT);
                    if (d.isEmpty() || d.get().isEmpty() || !printableAscii(d.get())) return syntax("Invalid ORCPT value");
                    orcpt = v.substring(0, semi) + ";" + d.get();
                }
                default -> {
                    return new SmtpCommand.Invalid(Replies.UNKNOWN_PARAMETER, false);
                }
            }
        }
        // RFC 5321 §4.5.1: "RCPT TO:<Postmaster>" without a domain must be accepted (case-insensitive).
        if (equalsIgnoreCase(pp.path, "postmaster")) return ok(new SmtpCommand.Rcpt(null, notify, orcpt, !pp.params.isEmpty()));
        Object path = mailbox(pp.path, utf8, false);
        if (path instanceof SmtpCommand.Result r) return r;
        if (path == null) return new SmtpCommand.Invalid(Reply.of(501, "5.1.3", "Null recipient not allowed"), false);
        return ok(new SmtpCommand.Rcpt((EmailAddress) path, notify, orcpt, !pp.params.isEmpty()));
    }

    /** The mailbox of a path, null for {@code <>}, or a Result on error. */
    private static Object mailbox(String path, boolean utf8, boolean sender) {
        Reply bad = sender ? Reply.of(501, "5.1.7", "Bad sender address syntax")
                : Reply.of(501, "5.1.3", "Bad recipient address syntax");
        if (path.isEmpty()) return null; // RFC 5321 §4.5.5: null reverse-path (RCPT rejects it)
        if (!ascii(path) && !utf8) return new SmtpCommand.Invalid(Replies.UTF8_REQUIRED, false); // RFC 6531 §3.5
        if (path.getBytes(StandardCharsets.UTF_8).length + 2 > SmtpCommand.MAX_PATH) {
            return new SmtpCommand.Invalid(Reply.of(501, sender ? "5.1.7" : "5.1.3", "Path too long"), false);
        }
        String mbox = path;
        if (mbox.startsWith("@")) {
            // RFC 5321 §4.1.1.3 and Appendix C: source routes are accepted and the route ignored.
            int colon = mbox.indexOf(':');
            if (colon < 0) return new SmtpCommand.Invalid(bad, false);
            for (String hop : mbox.substring(0, colon).split(",", -1)) {
                if (!hop.startsWith("@") || (!isDomainOrLiteral(hop.substring(1)))) return new SmtpCommand.Invalid(bad, false);
            }
            mbox = mbox.substring(colon + 1);
        }
        int at = mbox.lastIndexOf('@');
        if (at <= 0 || at == mbox.length() - 1) return new SmtpCommand.Invalid(bad, false);
        String domain = mbox.substring(at + 1);
        if (domain.startsWith("[")) {
            // RFC 5321 §4.1.3 address literal: not a Domain; kept as "[...]" text so that the
            // handler can refuse it (or accept it for one of our own addresses).
            if (!isAddressLiteral(domain)) return new SmtpCommand.Invalid(bad, false);
            Optional<EmailAddress> local = EmailAddress.parse(mbox.substring(0, at) + "@literal.invalid");
            if (local.isEmpty()) return new SmtpCommand.Invalid(bad, false);
            return new EmailAddress(local.get().localPart(), domain);
        }
        Optional<EmailAddress> a = EmailAddress.parse(mbox);
        if (a.isEmpty()) return new SmtpCommand.Invalid(bad, false);
        return a.get();
    }

    private static boolean isDomainOrLiteral(String d) {
        return d.startsWith("[") ? isAddressLiteral(d) : dev.sealpost.core.mail.Domain.toAscii(d).isPresent();
    }

    /** RFC 5321 §4.1.3: IPv4-address-literal / IPv6-address-literal / General-address-literal. */
    static boolean isAddressLiteral(String s) {
        if (s.length() < 3 || !s.startsWith("[") || !s.endsWith("]")) return false;
        String in = s.substring(1, s.length() - 1);
        var m = IPV4.matcher(in);
        if (m.matches()) {
            for (int g = 1; g <= 4; g++) if (Integer.parseInt(m.group(g)) > 255) return false;
            return true;
        }
        int colon = in.indexOf(':');
        if (colon <= 0) return false;
        String tag = in.substring(0, colon), content = in.substring(colon + 1);
        if (equalsIgnoreCase(tag, "IPv6")) {
            if (content.isEmpty() || !content.matches("[0-9A-Fa-f:.]{2,45}")) return false;
            try {
                Inet6Address.ofLiteral(content); // parses only literals: never a DNS look-up
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        // General-address-literal = Standardized-tag ":" 1*dcontent; dcontent = %d33-90 / %d94-126
        if (!LDH.matcher(tag).matches() || content.isEmpty()) return false;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c < 33 || c > 126 || (c >= 91 && c <= 93)) return false;
        }
        return true;
    }
}
