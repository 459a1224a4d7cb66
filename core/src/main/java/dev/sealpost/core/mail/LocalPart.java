package dev.sealpost.core.mail;

import java.util.Optional;

/** Local-part syntax of RFC 5321 §4.1.2 (Dot-string / Quoted-string), with RFC 6531 UTF-8. */
final class LocalPart {
    private LocalPart() {}

    // RFC 5322 §3.2.3 atext, plus any non-ASCII code point (RFC 6531 §3.3 atext =/ UTF8-non-ascii)
    static boolean isAtext(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0 || c >= 0x80;
    }

    static Optional<String> parse(String s) {
        if (s.startsWith("\"")) {
            // Quoted-string: qtextSMTP / quoted-pairSMTP (RFC 5321 §4.1.2)
            if (s.length() < 2 || !s.endsWith("\"")) return Optional.empty();
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < s.length() - 1; i++) {
                char c = s.charAt(i);
                if (c == '\\') {
                    if (++i >= s.length() - 1) return Optional.empty();
                    char q = s.charAt(i);
                    if (q < 32 || q > 126) return Optional.empty();
                    out.append(q);
                } else if (c == '"' || c < 32 || c == 127) {
                    return Optional.empty();
                } else {
                    out.append(c);
                }
            }
            return out.isEmpty() ? Optional.empty() : Optional.of(out.toString());
        }
        // Dot-string = Atom *("." Atom)
        if (s.startsWith(".") || s.endsWith(".") || s.contains("..")) return Optional.empty();
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (c != '.' && !isAtext(c)) return Optional.empty();
            i += Character.charCount(c);
        }
        return Optional.of(s);
    }

    static String format(String local) {
        if (parse(local).filter(local::equals).isPresent() && !local.startsWith("\"")) return local;
        StringBuilder sb = new StringBuilder("\"");
        for (char c : local.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\');
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
