package dev.sealpost.imap.search;

import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;

import java.util.List;
import java.util.Locale;

/** A parsed THREAD command (RFC 5256 §3): {@code algorithm charset keys}. */
public record ThreadCommand(Algorithm algorithm, String charset, SearchKey key) {

    /** RFC 5256 §3 threading algorithms. */
    public enum Algorithm { ORDEREDSUBJECT, REFERENCES }

    /**
     * Parses the arguments after {@code THREAD} (or {@code UID THREAD}).
     *
     * @throws ImapSyntaxException for bad syntax or an unknown algorithm
     * @throws BadCharsetException for an unknown charset
     */
    public static ThreadCommand parse(List<Arg> args) throws ImapSyntaxException, BadCharsetException {
        SearchParser p = new SearchParser(args);
        String name = p.atom("threading algorithm");
        Algorithm algorithm;
        try {
            algorithm = Algorithm.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ImapSyntaxException("unknown threading algorithm: " + name);
        }
        String charset = p.charset();
        return new ThreadCommand(algorithm, charset, p.keys());
    }
}
