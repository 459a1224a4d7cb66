package dev.sealpost.pop3.proto;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One POP3 command line, parsed (RFC 1939 §3, RFC 2449 §3). Sans-I/O: {@link #parse(byte[])}
 * takes a line without its line end and never throws.
 *
 * <p>Grammar (RFC 2449 §3): a keyword of 3 or 4 printable ASCII letters, case-insensitive, then
 * arguments separated by a space. Leniency, a decision: runs of spaces between arguments and
 * trailing spaces are accepted (some clients send {@code "LIST "}), except in {@code PASS},
 * whose whole remainder is the password (RFC 1939 §7: "a POP3 server may treat spaces in the
 * argument as part of the password").
 */
public sealed interface Pop3Command {

    /** RFC 2449 §5 */
    record Capa() implements Pop3Command {}

    /** RFC 2595 §4 */
    record Stls() implements Pop3Command {}

    /** RFC 1939 §7: {@code USER name} */
    record User(String name) implements Pop3Command {}

    /** RFC 1939 §7: {@code PASS string}; the password stays bytes (decoded into a char array, then wiped). */
    record Pass(byte[] password) implements Pop3Command {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pass p && Arrays.equals(p.password, password);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(password);
        }

        /** Never shows the password. */
        @Override
        public String toString() {
            return "Pass[***]";
        }
    }

    /**
     * RFC 5034 §4: {@code AUTH mechanism [initial-response]}.
     *
     * @param mechanism       upper-cased SASL mechanism name, or null for a bare {@code AUTH}
     *                        (the pre-RFC 5034 way to list the mechanisms, still sent by some clients)
     * @param initialResponse base64 text or {@code "="} (empty), or null when absent
     */
    record Auth(String mechanism, String initialResponse) implements Pop3Command {}

    /** RFC 1939 §5 */
    record Stat() implements Pop3Command {}

    /** RFC 1939 §5: {@code LIST [msg]}; {@code msg} is null for the whole listing. */
    record ListMessages(Integer msg) implements Pop3Command {}

    /** RFC 1939 §5 */
    record Retr(int msg) implements Pop3Command {}

    /** RFC 1939 §5 */
    record Dele(int msg) implements Pop3Command {}

    /** RFC 1939 §5 */
    record Rset() implements Pop3Command {}

    /** RFC 1939 §5 */
    record Noop() implements Pop3Command {}

    /** RFC 1939 §4 and §6 */
    record Quit() implements Pop3Command {}

    /** RFC 1939 §7: {@code TOP msg n} */
    record Top(int msg, int lines) implements Pop3Command {}

    /** RFC 1939 §7: {@code UIDL [msg]}; {@code msg} is null for the whole listing. */
    record Uidl(Integer msg) implements Pop3Command {}

    /** The outcome of parsing one line. */
    sealed interface Result {}

    record Parsed(Pop3Command command) implements Result {}

    /** Not a valid command: answer {@code -ERR text}. */
    record Invalid(String text) implements Result {}

    /** Longest user name accepted (an email address is at most 254 octets, RFC 5321 §4.5.3.1.3). */
    int MAX_USER = 255;
    /** Longest password accepted, in octets. */
    int MAX_PASSWORD = 1024;
    /** Longest SASL mechanism name (RFC 4422 §3.1: 1 to 20 characters). */
    int MAX_MECHANISM = 20;
    /** RFC 5034 §4 with RFC 4954's bound: an AUTH line may reach 12288 octets. */
    int MAX_AUTH_LINE = 12288;

    Invalid UNKNOWN = new Invalid("Unknown command");

    /** Parses one command line (without CR LF). Never throws. */
    static Result parse(byte[] line) {
        try {
            return parseLine(line);
        } catch (RuntimeException e) {
            // last line of defence: the fuzz target treats this as a finding
            return new Invalid("Syntax error");
        }
    }

    /** Parses one command line given as text (for tests). */
    static Result parse(String line) {
        return parse(line.getBytes(StandardCharsets.UTF_8));
    }

    private static Result parseLine(byte[] line) {
        if (line == null) return new Invalid("Syntax error");
        int sp = indexOf(line, (byte) ' ');
        int kwEnd = sp < 0 ? line.length : sp;
        // RFC 2449 §3: keywords are three or four printable ASCII characters; ours are all letters
        if (kwEnd < 3 || kwEnd > 4) return UNKNOWN;
        char[] kw = new char[kwEnd];
        for (int i = 0; i < kwEnd; i++) {
            int b = line[i] & 0xff;
            if (b >= 'a' && b <= 'z') b -= 32; // ASCII case folding only: no Unicode case mapping
            if (b < 'A' || b > 'Z') return UNKNOWN;
            kw[i] = (char) b;
        }
        String keyword = new String(kw);
        byte[] rest = sp < 0 ? null : Arrays.copyOfRange(line, sp + 1, line.length);

        if (keyword.equals("PASS")) return pass(rest);
        // Everything else is printable ASCII (USER may carry UTF-8 addresses, RFC 6856)
        String args = rest == null ? null : text(rest, keyword.equals("USER"));
        if (rest != null && args == null) return new Invalid("Syntax error: invalid characters");
        List<String> a = args == null ? List.of() : split(args);

        return switch (keyword) {
            case "CAPA" -> noArgs(a, new Capa());
            case "STLS" -> noArgs(a, new Stls());
            case "STAT" -> noArgs(a, new Stat());
            case "RSET" -> noArgs(a, new Rset());
            case "NOOP" -> noArgs(a, new Noop());
            case "QUIT" -> noArgs(a, new Quit());
            case "USER" -> user(a);
            case "AUTH" -> auth(a);
            case "LIST" -> optionalMsg(a, "LIST");
            case "UIDL" -> optionalMsg(a, "UIDL");
            case "RETR" -> oneMsg(a, "RETR");
            case "DELE" -> oneMsg(a, "DELE");
            case "TOP" -> top(a);
            default -> UNKNOWN; // APOP is not offered: no timestamp in our greeting (RFC 1939 §7)
        };
    }

    private static Result noArgs(List<String> a, Pop3Command c) {
        return a.isEmpty() ? new Parsed(c) : new Invalid("Syntax error: no arguments expected");
    }

    private static Result pass(byte[] rest) {
        if (rest == null || rest.length == 0) return new Invalid("Syntax error: PASS needs a password");
        if (rest.length > MAX_PASSWORD) return new Invalid("Syntax error: password too long");
        for (byte b : rest) {
            // no NUL, CR or LF in a password (RFC 4616 §2 forbids NUL; CR/LF cannot be framed)
            if (b == 0 || b == '\r' || b == '\n') return new Invalid("Syntax error: invalid characters");
        }
        return new Parsed(new Pass(rest));
    }

    private static Result user(List<String> a) {
        if (a.size() != 1) return new Invalid("Syntax error: USER needs one name");
        String name = a.getFirst();
        if (name.length() > MAX_USER) return new Invalid("Syntax error: user name too long");
        return new Parsed(new User(name));
    }

    private static Result auth(List<String> a) {
        if (a.isEmpty()) return new Parsed(new Auth(null, null));
        if (a.size() > 2) return new Invalid("Syntax error: AUTH mechanism [initial-response]");
        String mech = a.get(0).toUpperCase(Locale.ROOT);
        // RFC 4422 §3.1: sasl-mech = 1*20mech-char; mech-char = UPPER-ALPHA / DIGIT / "-" / "_"
        if (mech.length() > MAX_MECHANISM || !mech.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
            return new Invalid("Syntax error: invalid mechanism name");
        }
        String ir = a.size() == 2 ? a.get(1) : null;
        if (ir != null && !ir.equals("=") && !base64(ir)) return new Invalid("Syntax error: initial response is not base64");
        return new Parsed(new Auth(mech, ir));
    }

    private static Result optionalMsg(List<String> a, String name) {
        if (a.isEmpty()) return new Parsed(name.equals("LIST") ? new ListMessages(null) : new Uidl(null));
        if (a.size() != 1) return new Invalid("Syntax error: " + name + " [msg]");
        int n = number(a.getFirst(), 1);
        if (n < 0) return new Invalid("Invalid message number");
        return new Parsed(name.equals("LIST") ? new ListMessages(n) : new Uidl(n));
    }

    private static Result oneMsg(List<String> a, String name) {
        if (a.size() != 1) return new Invalid("Syntax error: " + name + " msg");
        int n = number(a.getFirst(), 1);
        if (n < 0) return new Invalid("Invalid message number");
        return new Parsed(name.equals("RETR") ? new Retr(n) : new Dele(n));
    }

    private static Result top(List<String> a) {
        if (a.size() != 2) return new Invalid("Syntax error: TOP msg n");
        int n = number(a.get(0), 1);
        if (n < 0) return new Invalid("Invalid message number");
        // RFC 1939 §7: n must be non-negative; a huge n means the whole body
        int lines = number(a.get(1), 0);
        if (lines < 0) {
            if (a.get(1).chars().allMatch(c -> c >= '0' && c <= '9') && !a.get(1).isEmpty()) lines = Integer.MAX_VALUE;
            else return new Invalid("Invalid number of lines");
        }
        return new Parsed(new Top(n, lines));
    }

    /** A decimal number of ASCII digits, at least {@code min}, at most Integer.MAX_VALUE; -1 when not. */
    private static int number(String s, int min) {
        if (s.isEmpty() || s.length() > 10) return -1;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v < min || v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    private static boolean base64(String s) {
        if (s.isEmpty() || s.length() % 4 != 0) return false;
        int pad = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=') {
                pad++;
                if (i < s.length() - 2) return false;
            } else if (pad > 0 || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes arguments: printable ASCII and spaces only, or (for USER) strict UTF-8 without
     * control characters; null when not allowed.
     */
    private static String text(byte[] b, boolean utf8) {
        for (byte x : b) {
            int c = x & 0xff;
            if (c < 0x20 || c == 0x7f) return null;
            if (c >= 0x80 && !utf8) return null;
        }
        if (!utf8) return new String(b, StandardCharsets.US_ASCII);
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            // C1 controls and other invisible trouble are not part of any account name
            for (int i = 0; i < s.length(); i++) if (Character.isISOControl(s.charAt(i))) return null;
            return s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int i = 0, n = s.length();
        while (i < n) {
            while (i < n && s.charAt(i) == ' ') i++;
            int start = i;
            while (i < n && s.charAt(i) != ' ') i++;
            if (i > start) out.add(s.substring(start, i));
        }
        return out;
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) if (b[i] == v) return i;
        return -1;
    }
}
