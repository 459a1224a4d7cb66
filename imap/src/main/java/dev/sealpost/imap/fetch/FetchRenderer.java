package dev.sealpost.imap.fetch;

import dev.sealpost.imap.MessageView;
import dev.sealpost.imap.fetch.FetchRequest.Attr;
import dev.sealpost.imap.fetch.FetchRequest.Item;
import dev.sealpost.imap.fetch.FetchRequest.Kind;
import dev.sealpost.imap.fetch.FetchRequest.Section;
import dev.sealpost.imap.fetch.FetchRequest.Simple;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.proto.Wire;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.message.Part;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renders the data of one message for a FETCH response (RFC 9051 §7.5.2): the parenthesized list
 * that follows {@code * n FETCH }, e.g. {@code (UID 5 FLAGS (\Seen) BODY[1] {3}CRLFabc)}.
 */
public final class FetchRenderer {
    /** RFC 9051 §9 date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE. */
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private FetchRenderer() {}

    /**
     * Renders {@code req} for {@code msg}.
     *
     * @throws UnknownCteException when a BINARY item meets a part with an encoding we cannot decode
     *                             (answer {@code NO [UNKNOWN-CTE]})
     * @throws IOException         when reading the message fails
     */
    public static byte[] render(FetchRequest req, MessageView msg) throws IOException, UnknownCteException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        Content content = new Content(msg);
        out.write('(');
        boolean first = true;
        for (Item it : req.items()) {
            if (!first) out.write(' ');
            first = false;
            switch (it) {
                case Simple(Attr a) -> simple(out, a, msg, content);
                case Section s -> section(out, s, content);
            }
        }
        out.write(')');
        return out.toByteArray();
    }

    /**
     * The octets of {@code BODY[spec]} of a message, as FETCH would return them (RFC 9051 §6.4.5),
     * for RFC 4469 CATENATE URLs ({@code ;SECTION=}); null when the section names a part the
     * message does not have.
     *
     * @throws ImapSyntaxException when {@code spec} is not a valid section
     */
    public static byte[] sectionBytes(String spec, MessageView msg) throws IOException, ImapSyntaxException {
        FetchRequest req = FetchRequest.parse(List.of(new dev.sealpost.imap.proto.Arg.Atom("BODY.PEEK[" + spec + "]")));
        if (req.items().size() != 1 || !(req.items().getFirst() instanceof Section s) || s.origin() >= 0) {
            throw new ImapSyntaxException("Invalid section");
        }
        if (s.part().isEmpty() && s.text() == FetchRequest.Text.NONE) return msg.raw();
        return Sections.body(s, msg.raw(), msg.structure());
    }

    /** The message's content, read once and only when an item needs it. */
    private static final class Content {
        private final MessageView msg;
        private byte[] raw;
        private MessageStructure structure;

        Content(MessageView msg) {
            this.msg = msg;
        }

        byte[] raw() throws IOException {
            if (raw == null) raw = msg.raw();
            return raw;
        }

        MessageStructure structure() throws IOException {
            if (structure == null) structure = msg.structure();
            return structure;
        }
    }

    private static void simple(ByteArrayOutputStream out, Attr a, MessageView msg, Content c) throws IOException {
        Wire.ascii(out, a.wire());
        out.write(' ');
        switch (a) {
            case UID -> Wire.ascii(out, Long.toString(msg.uid()));
            case FLAGS -> flags(out, msg.flags());
            case INTERNALDATE -> Wire.ascii(out, "\"" + dateTime(msg.internalDate()) + "\"");
            case RFC822_SIZE -> Wire.ascii(out, Long.toString(msg.size()));
            case ENVELOPE -> BodyStructure.envelope(out, c.structure().envelope());
            case BODY -> BodyStructure.body(out, c.structure().root(), false);
            case BODYSTRUCTURE -> BodyStructure.body(out, c.structure().root(), true);
            case RFC822 -> content(out, c.raw(), 0, c.raw().length);
            case RFC822_HEADER -> {
                // RFC 9051 §6.4.5: equivalent to BODY.PEEK[HEADER]
                Part root = c.structure().root();
                slice(out, c.raw(), root.headerStart(), root.bodyStart());
            }
            case RFC822_TEXT -> {
                Part root = c.structure().root();
                slice(out, c.raw(), root.bodyStart(), root.end());
            }
            case MODSEQ -> Wire.ascii(out, "(" + msg.modSeq() + ")"); // RFC 7162 §3.1.4.1
            case EMAILID -> {
                String id = msg.emailId(); // RFC 8474 §5.1: "EMAILID" SP "(" objectid ")"; the store always has one
                Wire.ascii(out, id == null ? "NIL" : "(" + id + ")");
            }
            case THREADID -> {
                String id = msg.threadId(); // RFC 8474 §5.2: "THREADID" SP ( "(" objectid ")" / nil )
                Wire.ascii(out, id == null ? "NIL" : "(" + id + ")");
            }
            case SAVEDATE -> {
                Instant d = msg.saveDate(); // RFC 8514 §4: "SAVEDATE" SP (date-time / nil)
                Wire.ascii(out, d == null ? "NIL" : "\"" + dateTime(d) + "\"");
            }
            case PREVIEW -> Wire.nstring(out, Preview.of(c.raw(), c.structure()));
        }
    }

    /** RFC 9051 §9 date-time with a two-digit day ("05-Feb-2007" is also date-day-fixed's 2DIGIT form). */
    static String dateTime(Instant t) {
        return DATE_TIME.format(t);
    }

    private static void flags(ByteArrayOutputStream out, Set<String> flags) {
        List<String> sorted = new ArrayList<>(flags);
        // \Recent is present only when the session shows it (IMAP4rev1, RFC 3501 §2.3.2; see MessageView#flags)
        sorted.sort((x, y) -> {
            boolean sx = x.startsWith("\\"), sy = y.startsWith("\\");
            if (sx != sy) return sx ? -1 : 1;
            return x.compareToIgnoreCase(y);
        });
        out.write('(');
        for (int i = 0; i < sorted.size(); i++) {
            if (i > 0) out.write(' ');
            Wire.ascii(out, sorted.get(i));
        }
        out.write(')');
    }

    // ---- sections --------------------------------------------------------------------------

    private static void section(ByteArrayOutputStream out, Section s, Content c) throws IOException, UnknownCteException {
        Wire.ascii(out, s.responseName());
        out.write(' ');
        byte[] raw = c.raw();
        MessageStructure st = c.structure();
        switch (s.kind()) {
            case BODY -> {
                byte[] data = Sections.body(s, raw, st);
                // a section that does not exist is an empty string, as Dovecot answers (NIL would also
                // be valid nstring, but some clients expect a string after BODY[...])
                partial(out, s, data == null ? new byte[0] : data, false);
            }
            case BINARY, BINARY_SIZE -> {
                byte[] data = Sections.binary(s, raw, st);
                if (s.kind() == Kind.BINARY_SIZE) {
                    // RFC 3516 §4.2: the size of the decoded section; 0 for a part that does not exist
                    Wire.ascii(out, Long.toString(data == null ? 0 : data.length));
                } else {
                    partial(out, s, data == null ? new byte[0] : data, true);
                }
            }
        }
    }

    /** RFC 9051 §6.4.5 partial: octets from origin, at most count; past the end an empty string. */
    private static void partial(ByteArrayOutputStream out, Section s, byte[] data, boolean binary) {
        int from = 0, to = data.length;
        if (s.origin() >= 0) {
            from = (int) Math.min(s.origin(), data.length);
            to = (int) Math.min((long) from + s.count(), data.length);
        }
        if (binary) {
            boolean nul = false;
            for (int i = from; i < to && !nul; i++) nul = data[i] == 0;
            // RFC 3516 §4.2: literal8 when the content holds NUL
            if (nul) Wire.literal8(out, data, from, to - from);
            else Wire.literal(out, data, from, to - from);
        } else {
            content(out, data, from, to);
        }
    }

    private static void slice(ByteArrayOutputStream out, byte[] raw, long from, long to) {
        int f = (int) Math.min(Math.max(0, from), raw.length);
        int t = (int) Math.min(Math.max(f, to), raw.length);
        content(out, raw, f, t);
    }

    /**
     * A literal of message content. RFC 9051 §4.3: a literal holds no NUL; a stored message with
     * NUL (which our SMTP server refuses, but APPEND of binary content may bring) has it replaced
     * by 0x80, keeping every size and offset. Clients wanting the octets use BINARY.
     */
    private static void content(ByteArrayOutputStream out, byte[] b, int from, int to) {
        int nul = -1;
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                nul = i;
                break;
            }
        }
        if (nul < 0) {
            Wire.literal(out, b, from, to - from);
            return;
        }
        byte[] copy = java.util.Arrays.copyOfRange(b, from, to);
        for (int i = nul - from; i < copy.length; i++) if (copy[i] == 0) copy[i] = (byte) 0x80;
        Wire.literal(out, copy, 0, copy.length);
    }
}
