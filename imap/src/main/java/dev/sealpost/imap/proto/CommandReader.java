package dev.sealpost.imap.proto;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads IMAP commands from a client (RFC 9051 §2.2, §4, §9), bounded by {@link ReaderLimits}.
 *
 * <p>A command is a tag, a name and arguments (see {@link Arg}) ending in CRLF. Literals
 * ({@code {n}}, non-synchronizing {@code {n+}} of RFC 7888 and {@code ~{n}} literal8 of RFC 3516)
 * are read in place: before reading a synchronizing literal the reader asks the
 * {@link LiteralGate} and then calls the {@link Continuation} (which writes {@code + Ready}).
 *
 * <p>A command that breaks the grammar or a limit is reported with a {@link ReadError} carrying
 * the tag when known. Before throwing, the reader skips the rest of that command so that the next
 * {@link #read()} starts at the next command: a refused synchronizing literal was never sent (RFC
 * 9051 §4.3: the client waits for the continuation); a refused non-synchronizing literal is read
 * and discarded (RFC 7888 §4), up to {@link ReaderLimits#maxAppendTotal()} octets; beyond that the
 * error is {@linkplain ReadError#fatal() fatal} and the session must close.
 *
 * <p>Leniency (decided): a bare LF ends a line like CRLF (as Dovecot does; it cannot smuggle
 * anything because IMAP has no framing by line content); runs of spaces between arguments and
 * trailing spaces are accepted; a list may directly follow a list. Atoms may hold {@code \} (flags),
 * {@code %} and {@code *} (LIST patterns, sequence sets) and {@code ]} (astring); 8-bit octets,
 * control characters and NUL outside literal8 are refused.
 *
 * <p>Not thread-safe; one reader per connection. After STARTTLS or COMPRESS, make a new reader over
 * the new stream; what this one buffered beyond the command is in {@link #takeBuffered()} (discard
 * it after STARTTLS, feed it to the inflater after COMPRESS).
 */
public final class CommandReader {

    /** Decides whether a literal may be sent (e.g. refuse large literals before authentication). */
    @FunctionalInterface
    public interface LiteralGate {
        /**
         * Called after the size limits passed, before the literal is read.
         *
         * @param tag              the command's tag
         * @param commandName      upper-case command name ({@code UID} for UID commands)
         * @param size             announced octets
         * @param nonSynchronizing true for {@code {n+}}: the client sends it without waiting
         */
        LiteralDecision onLiteral(String tag, String commandName, long size, boolean nonSynchronizing);

        LiteralGate ACCEPT_ALL = (tag, name, size, nonSync) -> LiteralDecision.ACCEPT;
    }

    /** Writes the command continuation request ({@code + Ready} CRLF) and flushes it. */
    @FunctionalInterface
    public interface Continuation {
        void ready() throws IOException;
    }

    /**
     * A literal gate's answer.
     *
     * @param accept true to read the literal
     * @param no     for a refusal: answer {@code NO} instead of {@code BAD}
     * @param code   for a refusal: a response code such as {@code TOOBIG}, or null
     * @param text   for a refusal: the human-readable text
     * @param close  for a refusal of a non-synchronizing literal: do not read and discard it, end
     *               the session instead (RFC 7888 §4 lets the server close; e.g. a large literal
     *               before authentication, which an unauthenticated client could send at will)
     */
    public record LiteralDecision(boolean accept, boolean no, String code, String text, boolean close) {
        public static final LiteralDecision ACCEPT = new LiteralDecision(true, false, null, null, false);

        public static LiteralDecision refuse(boolean no, String code, String text) {
            return new LiteralDecision(false, no, code, Objects.requireNonNull(text, "text"), false);
        }

        /** A refusal after which a non-synchronizing literal is not skipped: the session answers, sends BYE and closes. */
        public static LiteralDecision refuseAndClose(boolean no, String code, String text) {
            return new LiteralDecision(false, no, code, Objects.requireNonNull(text, "text"), true);
        }
    }

    /**
     * A command the reader could not accept. The session answers {@code tag BAD [code] text} (or
     * {@code NO} when {@link #no()}); with a null tag it answers {@code * BAD text}. When
     * {@link #fatal()}, it answers and then sends {@code * BYE} and closes.
     */
    public static final class ReadError extends Exception {
        private final String tag;
        private final boolean no;
        private final String code;
        private final boolean fatal;

        ReadError(String tag, boolean no, String code, String text, boolean fatal) {
            super(text, null, false, false);
            this.tag = tag;
            this.no = no;
            this.code = code;
            this.fatal = fatal;
        }

        /** The command's tag, or null when it could not be read. */
        public String tag() {
            return tag;
        }

        /** True to answer {@code NO} (a refusal of a valid command), false for {@code BAD}. */
        public boolean no() {
            return no;
        }

        /** Response code without brackets (e.g. {@code TOOBIG}), or null. */
        public String code() {
            return code;
        }

        public String text() {
            return getMessage();
        }

        /** True when the stream cannot be resynchronized: answer, then close the connection. */
        public boolean fatal() {
            return fatal;
        }

        /** The response line without CRLF, e.g. {@code a1 BAD [TOOBIG] Literal too large}. */
        public String response() {
            return (tag == null ? "*" : tag) + (no ? " NO " : " BAD ") + (code == null ? "" : "[" + code + "] ") + getMessage();
        }
    }

    /** Thrown inside the tokenizer; turned into a {@link ReadError} once the rest of the command is skipped. */
    private static final class Bad extends Exception {
        final boolean no;
        final String code;

        Bad(String text) {
            this(false, null, text);
        }

        Bad(boolean no, String code, String text) {
            super(text, null, false, false);
            this.no = no;
            this.code = code;
        }
    }

    /** A literal announced at the end of a line: {@code [~]{size[+]}}. */
    private record Marker(long size, boolean nonSync, boolean binary, int start) {}

    private static final int TAIL = 32;
    private static final int HEAD = 128;

    private final InputStream in;
    private final ReaderLimits limits;
    private final LiteralGate gate;
    private final Continuation continuation;

    private final byte[] buf = new byte[8192];
    private int bufPos;
    private int bufLim;
    private boolean eof;

    /** The current line (segment between literals), without its line end. */
    private final byte[] line;
    private int lineLen;
    private boolean overflow;
    private final byte[] head = new byte[HEAD];
    private int headLen;

    // per-command state
    private int p;
    private String tag;
    private String name;
    private long commandSize;
    private long appendTotal;
    private int argCount;

    public CommandReader(InputStream in, ReaderLimits limits, LiteralGate gate, Continuation continuation) {
        this.in = Objects.requireNonNull(in, "in");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.gate = gate == null ? LiteralGate.ACCEPT_ALL : gate;
        this.continuation = Objects.requireNonNull(continuation, "continuation");
        this.line = new byte[limits.maxLineLength()];
    }

    /**
     * Reads the next command.
     *
     * @return the command, or null when the client closed the connection (also in the middle of a command)
     * @throws ReadError  for a command that breaks the grammar or a limit (the rest of it was skipped)
     * @throws IOException when reading fails
     */
    public Command read() throws IOException, ReadError {
        tag = null;
        name = null;
        commandSize = 0;
        appendTotal = 0;
        argCount = 0;
        // a command with its literals must arrive within its deadline, when the stream has one
        dev.sealpost.core.io.CommandDeadline.begin(in);
        if (!fillLine()) return null;
        try {
            if (overflow) {
                tagFromHead();
                throw new Bad("Command line too long");
            }
            countLine();
            p = 0;
            readTag();
            readName();
            List<Arg> args = new ArrayList<>();
            if (p < lineLen) {
                expectSpace();
                readArgs(args, 0);
            }
            return new Command(tag, name, args);
        } catch (Bad b) {
            boolean fatal = skipRest(trailingMarker());
            throw new ReadError(tag, b.no, b.code, b.getMessage(), fatal);
        } catch (LiteralRefused r) {
            throw new ReadError(tag, r.bad.no, r.bad.code, r.bad.getMessage(), r.fatal);
        } catch (EOFException e) {
            return null;
        }
    }

    /**
     * Reads one raw line (IDLE's {@code DONE}, AUTHENTICATE responses), without its line end.
     *
     * @return the line as UTF-8 text, or null at end of stream
     * @throws ReadError (tag null, not fatal) when the line is longer than {@link ReaderLimits#maxLineLength()}; it was skipped
     */
    public String readLine() throws IOException, ReadError {
        dev.sealpost.core.io.CommandDeadline.begin(in); // IDLE waits under the idle timeout; "DONE" itself has a deadline
        if (!fillLine()) return null;
        if (overflow) throw new ReadError(null, false, null, "Line too long", false);
        return new String(line, 0, lineLen, StandardCharsets.UTF_8);
    }

    /**
     * True when the client sent octets after the last command that this reader has buffered but
     * not yet read. After STARTTLS such octets were sent in clear before the handshake and must
     * not be executed (STARTTLS, RFC 9051 §6.2.1; the command injection of CVE-2011-0411): the
     * session discards them with {@link #takeBuffered()} (or closes) before wrapping the socket.
     */
    public boolean hasBufferedInput() {
        return bufPos < bufLim;
    }

    /**
     * Removes and returns the octets buffered but not yet read. After COMPRESS DEFLATE (RFC 4978)
     * they are the start of the compressed stream: prepend them to the socket input of the inflater
     * (e.g. {@code new SequenceInputStream(new ByteArrayInputStream(b), socketIn)}), then make a new
     * reader over the inflated stream.
     */
    public byte[] takeBuffered() {
        byte[] b = java.util.Arrays.copyOfRange(buf, bufPos, bufLim);
        bufPos = bufLim;
        return b;
    }

    // ---- tokenizer -------------------------------------------------------------------------

    private void readTag() throws Bad {
        int start = p;
        while (p < lineLen && line[p] != ' ') {
            if (!tagChar(line[p])) {
                // RFC 9051 §9 tag = 1*<any ASTRING-CHAR except "+">
                throw new Bad("Invalid tag");
            }
            p++;
        }
        if (p == start) throw new Bad(lineLen == 0 ? "Empty command line" : "Missing tag");
        tag = ascii(start, p);
        if (p == lineLen) throw new Bad("Missing command");
        p++;
    }

    private void readName() throws Bad {
        int start = p;
        while (p < lineLen && line[p] != ' ') {
            byte c = line[p];
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                throw new Bad("Invalid command name");
            }
            p++;
        }
        if (p == start) throw new Bad("Missing command");
        StringBuilder b = new StringBuilder(p - start);
        for (int i = start; i < p; i++) {
            byte c = line[i];
            b.append((char) (c >= 'a' && c <= 'z' ? c - 32 : c));
        }
        name = b.toString();
    }

    private void expectSpace() throws Bad {
        if (p >= lineLen || line[p] != ' ') throw new Bad("Missing space between arguments");
        while (p < lineLen && line[p] == ' ') p++;
    }

    /** Reads arguments up to the end of the command (depth 0) or the closing parenthesis. */
    private void readArgs(List<Arg> out, int depth) throws Bad, IOException, LiteralRefused {
        while (true) {
            while (p < lineLen && line[p] == ' ') p++; // lenient: runs of spaces, trailing spaces
            if (p >= lineLen) {
                if (depth > 0) throw new Bad("Missing ')'");
                return;
            }
            byte c = line[p];
            if (c == ')') {
                if (depth == 0) throw new Bad("Unexpected ')'");
                p++;
                return;
            }
            if (++argCount > limits.maxArgs()) throw new Bad("Too many arguments");
            boolean mayFollowDirectly = false;
            if (c == '(') {
                if (depth + 1 > limits.maxDepth()) throw new Bad("Lists nested too deeply");
                p++;
                List<Arg> items = new ArrayList<>();
                readArgs(items, depth + 1);
                out.add(new Arg.ListArg(items));
                mayFollowDirectly = true;
            } else if (c == '"') {
                out.add(readQuoted());
            } else if (c == '{' || (c == '~' && p + 1 < lineLen && line[p + 1] == '{')) {
                out.add(readLiteral());
            } else {
                out.add(readAtom());
            }
            if (p < lineLen) {
                byte d = line[p];
                if (d == ' ' || d == ')' || (mayFollowDirectly && d == '(')) continue;
                throw new Bad("Missing space between arguments");
            }
        }
    }

    private Arg.Atom readAtom() throws Bad {
        int start = p;
        while (p < lineLen) {
            byte c = line[p];
            if (c == '[') {
                int close = sectionEnd(p + 1);
                if (close > 0) {
                    p = close + 1;
                    continue;
                }
            }
            if (!atomChar(c)) break;
            p++;
        }
        if (p == start) {
            byte c = line[p];
            if (c < 0) throw new Bad("8-bit characters must be sent as a quoted string or a literal");
            throw new Bad(c == 0 ? "NUL in command" : "Invalid character in command");
        }
        if (p < lineLen && line[p] < 0) throw new Bad("8-bit characters must be sent as a quoted string or a literal");
        return new Arg.Atom(ascii(start, p));
    }

    /**
     * A fetch-attribute section {@code [...]} (RFC 9051 §9 section): from after {@code [} to the
     * matching {@code ]}, with spaces, parentheses, atoms and quoted strings inside. Returns the
     * index of {@code ]}, or -1 when there is none on this line or a character that cannot be in a
     * section comes first (then the {@code [} is an ordinary atom character, as in
     * {@code [Gmail]/Sent}).
     */
    private int sectionEnd(int i) {
        while (i < lineLen) {
            byte c = line[i];
            if (c == ']') return i;
            if (c == '"') {
                i++;
                while (i < lineLen && line[i] != '"') {
                    if (line[i] == '\\') i++;
                    if (i >= lineLen || line[i] < 0x20 || line[i] == 0x7f) return -1; // visible ASCII only
                    i++;
                }
                if (i >= lineLen) return -1;
                i++;
                continue;
            }
            if (c == '[' || c == '{' || c < 0x20 || c == 0x7f) return -1;
            i++;
        }
        return -1;
    }

    private Arg.Str readQuoted() throws Bad {
        p++; // opening quote
        byte[] out = new byte[Math.min(lineLen - p, 256)];
        int n = 0;
        while (true) {
            if (p >= lineLen) throw new Bad("Missing '\"'");
            byte c = line[p++];
            if (c == '"') break;
            if (c == '\\') {
                // RFC 9051 §9 quoted-specials: only \" and \\ may be escaped
                if (p >= lineLen || (line[p] != '"' && line[p] != '\\')) throw new Bad("Invalid escape in quoted string");
                c = line[p++];
            } else if (c == 0 || c == '\r' || c == '\n') {
                throw new Bad("Invalid character in quoted string");
            }
            // RFC 9051 §9 QUOTED-CHAR includes UTF8-2..4: 8-bit octets are kept as sent
            if (n == out.length) out = java.util.Arrays.copyOf(out, Math.max(16, n * 2));
            out[n++] = c;
        }
        return new Arg.Str(java.util.Arrays.copyOf(out, n), false, false);
    }

    private Arg.Str readLiteral() throws Bad, IOException, LiteralRefused {
        Marker m = trailingMarker();
        if (m == null || m.start() != p) throw new Bad("Invalid literal: '{' must end the line");
        boolean append = "APPEND".equals(name);
        boolean binary = m.binary();
        long size = m.size();
        // RFC 7888 §4: a non-synchronizing literal over a limit is refused (tagged BAD or NO, [TOOBIG]);
        // the client sends it anyway, so refused() reads and discards it, or the session closes
        // RFC 7888 §5: under LITERAL-, a non-synchronizing literal above 4096 octets is refused with BAD [TOOBIG]
        if (m.nonSync() && limits.literalMinus() && size > ReaderLimits.LITERAL_MINUS_MAX) {
            throw refused(m, new Bad(false, "TOOBIG", "Non-synchronizing literal too large"));
        }
        if (append) {
            if (size > limits.maxAppendLiteral() || appendTotal + size > limits.maxAppendTotal()) {
                // RFC 9051 §7.1 TOOBIG; RFC 7889 APPENDLIMIT
                throw refused(m, new Bad(true, "TOOBIG", "Message too large"));
            }
        } else if (size > limits.maxLiteral() || commandSize + size > limits.maxCommandSize()) {
            throw refused(m, new Bad(false, "TOOBIG", "Literal too large"));
        }
        LiteralDecision d = gate.onLiteral(tag, name, size, m.nonSync());
        if (d == null || !d.accept()) {
            if (d != null && d.close() && m.nonSync()) {
                // RFC 7888 §4: the client sends the octets anyway; we will not read them, so the stream is lost
                throw new LiteralRefused(new Bad(d.no(), d.code(), d.text()), true);
            }
            throw refused(m, d == null ? new Bad("Literal refused") : new Bad(d.no(), d.code(), d.text()));
        }
        if (!m.nonSync()) continuation.ready(); // RFC 9051 §4.3, §7.5 command continuation request
        if (append) appendTotal += size;
        else commandSize += size;
        byte[] data = new byte[(int) size];
        readFully(data);
        // RFC 9051 §4.3: a literal holds no NUL; RFC 3516 §4.3: a literal8 may
        boolean nul = false;
        if (!binary) {
            for (byte b : data) {
                if (b == 0) {
                    nul = true;
                    break;
                }
            }
        }
        if (!fillLine()) throw new EOFException();
        if (overflow) {
            throw new Bad("Command line too long");
        }
        countLine();
        p = 0;
        if (nul) throw new Bad("NUL in literal (send it as a literal8 ~{n})");
        return new Arg.Str(data, true, binary);
    }

    /** A refused literal: skip it when the client sends it anyway, then report. */
    private static final class LiteralRefused extends Exception {
        final Bad bad;
        final boolean fatal;

        LiteralRefused(Bad bad, boolean fatal) {
            super(null, null, false, false);
            this.bad = bad;
            this.fatal = fatal;
        }
    }

    private LiteralRefused refused(Marker m, Bad bad) throws IOException {
        // a synchronizing literal is not sent before our continuation: nothing to skip (RFC 9051 §4.3)
        boolean fatal = m.nonSync() && skipRest(m);
        return new LiteralRefused(bad, fatal);
    }

    /**
     * Skips the rest of a command whose current line ends with {@code m} (or has no literal): each
     * non-synchronizing literal and the line after it, until a line without a literal or with a
     * synchronizing one (which the client will not send). Returns true when the client sent more
     * than we read (fatal).
     */
    private boolean skipRest(Marker m) throws IOException {
        long skipped = 0;
        while (m != null && m.nonSync()) {
            skipped += m.size();
            if (m.size() > limits.maxAppendTotal() || skipped > limits.maxAppendTotal()) return true;
            if (!skip(m.size())) return false;
            if (!fillLine()) return false;
            m = trailingMarker();
        }
        return false;
    }

    /** The literal announced at the end of the current line, or null. */
    private Marker trailingMarker() {
        int i = lineLen - 1;
        if (i < 0 || line[i] != '}') return null;
        i--;
        boolean nonSync = false;
        if (i >= 0 && line[i] == '+') {
            nonSync = true;
            i--;
        }
        int digitsEnd = i + 1;
        while (i >= 0 && line[i] >= '0' && line[i] <= '9') i--;
        int digitsStart = i + 1;
        if (digitsStart == digitsEnd || i < 0 || line[i] != '{') return null;
        boolean binary = i > 0 && line[i - 1] == '~';
        int start = binary ? i - 1 : i;
        long size = 0;
        for (int k = digitsStart; k < digitsEnd; k++) {
            if (size > (Long.MAX_VALUE - 9) / 10) {
                size = Long.MAX_VALUE;
                break;
            }
            size = size * 10 + (line[k] - '0');
        }
        if (overflow && start < TAIL) {
            // the marker may have started before the kept tail: the size digits are incomplete
            return new Marker(Long.MAX_VALUE, nonSync, binary, start);
        }
        return new Marker(size, nonSync, binary, start);
    }

    private void countLine() throws Bad {
        commandSize += lineLen + 2;
        if (commandSize > limits.maxCommandSize()) throw new Bad("Command too long");
    }

    private void tagFromHead() {
        int i = 0;
        while (i < headLen && head[i] != ' ' && tagChar(head[i])) i++;
        if (i > 0 && i < headLen && head[i] == ' ') tag = new String(head, 0, i, StandardCharsets.US_ASCII);
    }

    /** RFC 9051 §9 tag: ASTRING-CHAR except "+". */
    private static boolean tagChar(byte c) {
        return (atomChar(c) && c != '+' && c != '%' && c != '*' && c != '\\') || c == ']';
    }

    /** ATOM-CHAR plus the characters atoms of commands carry in practice (see class comment). */
    private static boolean atomChar(byte c) {
        return c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '"';
    }

    private String ascii(int from, int to) {
        return new String(line, from, to - from, StandardCharsets.US_ASCII);
    }

    // ---- input -----------------------------------------------------------------------------

    /**
     * Reads one line into {@link #line} up to LF, dropping the line end (CRLF or bare LF). A line
     * longer than the buffer sets {@link #overflow}, keeps its first octets in {@link #head} and
     * its last ones in {@link #line}. Returns false at end of stream before any octet; a last line
     * without its line end counts as end of stream (the command was not complete).
     */
    private boolean fillLine() throws IOException {
        lineLen = 0;
        overflow = false;
        headLen = 0;
        while (true) {
            if (bufPos == bufLim && !fill()) return false;
            int start = bufPos;
            int lf = -1;
            for (int i = bufPos; i < bufLim; i++) {
                if (buf[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            int end = lf < 0 ? bufLim : lf;
            append(buf, start, end - start);
            bufPos = lf < 0 ? bufLim : lf + 1;
            if (lf >= 0) {
                if (lineLen > 0 && line[lineLen - 1] == '\r') lineLen--;
                return true;
            }
        }
    }

    private void append(byte[] src, int off, int len) {
        while (len > 0) {
            if (lineLen == line.length) {
                if (!overflow) {
                    headLen = Math.min(HEAD, lineLen);
                    System.arraycopy(line, 0, head, 0, headLen);
                    overflow = true;
                }
                System.arraycopy(line, lineLen - TAIL, line, 0, TAIL);
                lineLen = TAIL;
            }
            int n = Math.min(len, line.length - lineLen);
            System.arraycopy(src, off, line, lineLen, n);
            lineLen += n;
            off += n;
            len -= n;
        }
    }

    private boolean fill() throws IOException {
        if (eof) return false;
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        bufPos = 0;
        bufLim = n;
        return true;
    }

    private void readFully(byte[] data) throws IOException {
        int off = 0;
        while (off < data.length) {
            if (bufPos == bufLim && !fill()) throw new EOFException();
            int n = Math.min(data.length - off, bufLim - bufPos);
            System.arraycopy(buf, bufPos, data, off, n);
            bufPos += n;
            off += n;
        }
    }

    /** Skips {@code n} octets; false at end of stream. */
    private boolean skip(long n) throws IOException {
        while (n > 0) {
            if (bufPos == bufLim && !fill()) return false;
            int k = (int) Math.min(n, bufLim - bufPos);
            bufPos += k;
            n -= k;
        }
        return true;
    }
}
