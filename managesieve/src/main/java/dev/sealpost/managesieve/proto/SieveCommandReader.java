package dev.sealpost.managesieve.proto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads ManageSieve client lines (RFC 5804 §4): a command name and its arguments (atoms, numbers,
 * quoted strings, literals) up to CRLF, or during AUTHENTICATE a line holding one string. Bounded
 * everywhere: the line without its literals, each quoted string (RFC 5804 §4: at most 1024
 * octets), each literal, the number of arguments. A line that breaks a rule is consumed to its
 * end (a literal over its bound is skipped without being kept), so the stream stays in step.
 *
 * <p>Leniency, decisions: a synchronizing literal {@code {n}} is read like {@code {n+}} without a
 * continuation response, as Dovecot does (RFC 5804 §4 has clients send {@code {n+}}, and has no
 * continuation response outside AUTHENTICATE); a line may end with a bare LF (hand-typed sessions;
 * script text inside a literal is kept as sent).
 *
 * <p>Before each read that may block, {@code beforeBlocking} runs: the session flushes its
 * responses there.
 */
public final class SieveCommandReader {
    /** An action that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoAction {
        void run() throws IOException;
    }

    /**
     * The bounds.
     *
     * @param maxLine    octets of a line outside its literals
     * @param maxLiteral octets of one literal (a script: the size quota sets it)
     * @param maxArgs    arguments after the command name
     */
    public record Limits(int maxLine, long maxLiteral, int maxArgs) {
        public Limits {
            if (maxLine < 64 || maxLiteral < 1 || maxArgs < 1) throw new IllegalArgumentException("limits too small");
        }

        /** 8 KiB lines, 1 MiB literals, 8 arguments. */
        public static Limits defaults() {
            return new Limits(8192, 1 << 20, 8);
        }
    }

    /** RFC 5804 §4: {@code quoted = DQUOTE *1024QUOTED-CHAR DQUOTE}. */
    public static final int MAX_QUOTED = 1024;

    /** One argument. */
    public sealed interface Token {
        /** A bare word: command names, {@code ACTIVE}. */
        record Atom(String text) implements Token {}

        /** A number (RFC 5804 §4: {@code number = 1*DIGIT}, at most 4294967295). */
        record Number(long value) implements Token {}

        /** A quoted string or a literal, as valid UTF-8 text (RFC 5804 §4: UTF-8 strings). */
        record Str(String text, boolean literal) implements Token {}
    }

    /** What one read gave. */
    public sealed interface Read {
        /** A line of tokens; for a command the first is an atom. */
        record Line(List<Token> tokens) implements Read {
            public Line {
                tokens = List.copyOf(tokens);
            }
        }

        /** A line that breaks the syntax, consumed; {@code reason} is for the NO response. */
        record Invalid(String reason) implements Read {}

        /** A literal longer than {@link Limits#maxLiteral()}, skipped with the rest of its line. */
        record LiteralTooLarge(long size) implements Read {}

        /** The peer closed the connection (a partial line is dropped). */
        record Eof() implements Read {}
    }

    private final InputStream in;
    private final IoAction beforeBlocking;
    private final Limits limits;
    private final byte[] buf = new byte[8192];
    private int pos, limit;

    public SieveCommandReader(InputStream in, IoAction beforeBlocking, Limits limits) {
        this.in = in;
        this.beforeBlocking = beforeBlocking;
        this.limits = limits;
    }

    /** Drops what was received but not read; returns how many octets (after STARTTLS: RFC 5804 §2.2). */
    public int discardBuffered() {
        int n = limit - pos;
        pos = limit = 0;
        return n;
    }

    /** Thrown inside a read for a syntax error: the rest of the line is skipped, then {@link Read.Invalid}. */
    private static final class Bad extends Exception {
        final Read result;

        Bad(Read result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    /** The connection ended in the middle of a line. */
    private static final class Closed extends Exception {
        Closed() {
            super(null, null, false, false);
        }
    }

    private int peek() throws IOException, Closed {
        if (pos >= limit) {
            beforeBlocking.run();
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) throw new Closed();
            pos = 0;
            limit = n;
        }
        return buf[pos] & 0xff;
    }

    private int next() throws IOException, Closed {
        int c = peek();
        pos++;
        return c;
    }

    /** Reads one line of tokens. */
    public Read read() throws IOException {
        try {
            try {
                List<Token> tokens = line();
                return tokens.isEmpty() ? new Read.Invalid("Empty line") : new Read.Line(tokens);
            } catch (Bad b) {
                skipLine();
                return b.result;
            }
        } catch (Closed c) {
            return new Read.Eof();
        }
    }

    private int lineOctets;

    private void count(int n) throws Bad {
        lineOctets += n;
        if (lineOctets > limits.maxLine()) throw new Bad(new Read.Invalid("Line too long"));
    }

    private List<Token> line() throws IOException, Closed, Bad {
        lineOctets = 0;
        List<Token> tokens = new ArrayList<>();
        while (true) {
            int c = peek();
            if (c == '\r' || c == '\n') {
                endOfLine();
                return tokens; // empty: the line end is consumed, nothing to skip

            }
            if (!tokens.isEmpty()) {
                // RFC 5804 §4: arguments are separated by one SP
                if (c != ' ') throw new Bad(new Read.Invalid("Expected a space between arguments"));
                next();
                count(1);
                c = peek();
            }
            if (tokens.size() > limits.maxArgs()) throw new Bad(new Read.Invalid("Too many arguments"));
            tokens.add(switch (c) {
                case '"' -> quoted();
                case '{' -> literal();
                default -> atomOrNumber();
            });
        }
    }

    private void endOfLine() throws IOException, Closed, Bad {
        int c = next();
        if (c == '\r') {
            if (next() != '\n') throw new Bad(new Read.Invalid("CR without LF"));
        } else if (c != '\n') {
            pos--;
            throw new Bad(new Read.Invalid("Expected a line end"));
        }
    }

    private Token quoted() throws IOException, Closed, Bad {
        next();
        count(1);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = next();
            count(1);
            if (c == '"') break;
            if (c == '\r' || c == '\n' || c == 0) {
                pos--; // leave the line end for skipLine
                throw new Bad(new Read.Invalid("Quoted string without its closing quote"));
            }
            if (c == '\\') {
                // RFC 5804 §4: QUOTED-SPECIALS are DQUOTE and "\" only
                c = next();
                count(1);
                if (c != '"' && c != '\\') {
                    if (c == '\n' || c == '\r') pos--;
                    throw new Bad(new Read.Invalid("Bad escape in a quoted string"));
                }
            }
            b.write(c);
            if (b.size() > MAX_QUOTED) throw new Bad(new Read.Invalid("Quoted string longer than " + MAX_QUOTED + " octets"));
        }
        return new Token.Str(utf8(b.toByteArray()), false);
    }

    private Token literal() throws IOException, Closed, Bad {
        next();
        count(1);
        long n = 0;
        int digits = 0;
        int c;
        while ((c = next()) >= '0' && c <= '9') {
            count(1);
            if (++digits > 10) throw new Bad(new Read.Invalid("Literal size too long"));
            n = n * 10 + (c - '0');
        }
        count(1);
        if (c == '+') {
            c = next();
            count(1);
        }
        if (c != '}' || digits == 0 || n > 0xFFFF_FFFFL) {
            if (c == '\n' || c == '\r') pos--;
            throw new Bad(new Read.Invalid("Bad literal"));
        }
        endOfLine();
        if (n > limits.maxLiteral()) {
            skip(n);
            throw new Bad(new Read.LiteralTooLarge(n));
        }
        byte[] data = new byte[(int) n];
        int off = 0;
        while (off < n) {
            peek();
            int k = Math.min(limit - pos, (int) n - off);
            System.arraycopy(buf, pos, data, off, k);
            pos += k;
            off += k;
        }
        return new Token.Str(utf8(data), true);
    }

    private void skip(long n) throws IOException, Closed {
        while (n > 0) {
            peek();
            int k = (int) Math.min(limit - pos, n);
            pos += k;
            n -= k;
        }
    }

    private Token atomOrNumber() throws IOException, Closed, Bad {
        StringBuilder s = new StringBuilder();
        while (true) {
            int c = peek();
            if (c == ' ' || c == '\r' || c == '\n') break;
            // RFC 5804 §4: atoms are letters (command names, ACTIVE); numbers digits
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                throw new Bad(new Read.Invalid("Unexpected character in an argument"));
            }
            next();
            count(1);
            s.append((char) c);
        }
        if (s.isEmpty()) throw new Bad(new Read.Invalid("Empty argument"));
        String t = s.toString();
        if (t.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            if (t.length() > 10) throw new Bad(new Read.Invalid("Number too large"));
            long v = Long.parseLong(t);
            if (v > 0xFFFF_FFFFL) throw new Bad(new Read.Invalid("Number too large"));
            return new Token.Number(v);
        }
        return new Token.Atom(t);
    }

    private static String utf8(byte[] b) throws Bad {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new Bad(new Read.Invalid("String is not UTF-8"));
        }
    }

    /** Skips to the next LF (bounded only by the command deadline; nothing is kept). */
    private void skipLine() throws IOException {
        try {
            while (next() != '\n') {
                // discard
            }
        } catch (Closed c) {
            // the next read reports the end
        }
    }
}
