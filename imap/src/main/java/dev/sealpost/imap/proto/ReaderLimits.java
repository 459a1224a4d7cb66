package dev.sealpost.imap.proto;

/**
 * Bounds of {@link CommandReader} (RFC 9051 §4: "servers ... MAY impose a limit on the length of
 * a line or a literal"). Each violation is answered with {@code BAD} (or {@code NO [TOOBIG]} for
 * an APPEND message over its limit) and the connection carries on, unless the client already
 * sent more than we are willing to read and discard.
 *
 * @param maxLineLength    octets of one line of a command, between literals, without its CRLF
 * @param maxLiteral       octets of one literal in any command other than APPEND
 * @param maxAppendLiteral octets of one literal in APPEND (the message, RFC 7889 APPENDLIMIT)
 * @param maxAppendTotal   octets of all literals of one APPEND (MULTIAPPEND, CATENATE)
 * @param maxCommandSize   octets of one command: lines plus literals other than APPEND's
 * @param maxDepth         nesting of parenthesized lists
 * @param maxArgs          arguments in one command, counting those inside lists
 * @param literalMinus     true when the server advertises LITERAL- (RFC 7888 §5): a
 *                         non-synchronizing literal over 4096 octets is refused
 */
public record ReaderLimits(int maxLineLength, long maxLiteral, long maxAppendLiteral, long maxAppendTotal,
                           long maxCommandSize, int maxDepth, int maxArgs, boolean literalMinus) {

    /** RFC 7888 §5: LITERAL- limits non-synchronizing literals to 4096 octets. */
    public static final long LITERAL_MINUS_MAX = 4096;

    /** Literals are held in a byte array. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    public ReaderLimits {
        if (maxLineLength < 64 || maxLiteral < 0 || maxAppendLiteral < 0 || maxAppendTotal < maxAppendLiteral
                || maxCommandSize < maxLineLength || maxDepth < 1 || maxArgs < 1
                || maxLiteral > MAX_ARRAY || maxAppendLiteral > MAX_ARRAY) {
            throw new IllegalArgumentException("invalid IMAP reader limits: " + maxLineLength + ", " + maxLiteral + ", "
                    + maxAppendLiteral + ", " + maxAppendTotal + ", " + maxCommandSize + ", " + maxDepth + ", " + maxArgs);
        }
    }

    /** 64 KiB lines and literals, 64 MiB APPEND message, 1 MiB command, depth 32, 10,000 arguments, LITERAL+. */
    public static ReaderLimits defaults() {
        return new ReaderLimits(64 * 1024, 64 * 1024, 64L * 1024 * 1024, 64L * 1024 * 1024, 1024 * 1024, 32, 10_000, false);
    }

    public ReaderLimits withMaxAppendLiteral(long n) {
        return new ReaderLimits(maxLineLength, maxLiteral, n, Math.max(n, maxAppendTotal), maxCommandSize, maxDepth, maxArgs, literalMinus);
    }

    public ReaderLimits withLiteralMinus(boolean on) {
        return new ReaderLimits(maxLineLength, maxLiteral, maxAppendLiteral, maxAppendTotal, maxCommandSize, maxDepth, maxArgs, on);
    }
}
