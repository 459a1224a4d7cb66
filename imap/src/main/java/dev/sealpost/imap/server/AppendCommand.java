package dev.sealpost.imap.server;

import dev.sealpost.core.io.HeaderGuard;
import dev.sealpost.imap.fetch.FetchRenderer;
import dev.sealpost.imap.proto.Arg;
import dev.sealpost.imap.proto.ImapSyntaxException;
import dev.sealpost.imap.proto.ImapUrl;
import dev.sealpost.imap.server.MailboxResolver.Target;
import dev.sealpost.message.Envelope;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.store.BlobRef;
import dev.sealpost.store.Mailboxes;
import dev.sealpost.store.Mailboxes.MessageInfo;
import dev.sealpost.store.MessageSummary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * APPEND (RFC 9051 §6.3.12) with MULTIAPPEND (RFC 3502), APPENDUID (RFC 4315), UTF8 literals (RFC
 * 6855) and CATENATE (RFC 4469), whose URL parts ({@link ImapUrl}) are resolved into the user's
 * readable mailboxes.
 */
final class AppendCommand extends CommandFamily {
    AppendCommand(ImapSession session) {
        super(session);
    }

    static final DateTimeFormatter APPEND_DATE = new java.time.format.DateTimeFormatterBuilder()
            .parseCaseInsensitive().appendPattern("d-MMM-yyyy HH:mm:ss Z").toFormatter(Locale.ENGLISH);

    /** One message of an APPEND: its content, or the RFC 4469 CATENATE parts it is built from. */
    record Upload(Set<String> flags, Instant date, byte[] content, List<Arg> catenate) {}

    String append(List<Arg> a) throws IOException, CommandFailed {
        if (a.size() < 2) throw bad("APPEND mailbox [(flags)] [date-time] message");
        String name = mailboxName(a.get(0));
        List<Upload> ups = new ArrayList<>();
        int i = 1;
        while (i < a.size()) {
            Set<String> flags = Set.of();
            Instant date = null;
            if (a.get(i) instanceof Arg.ListArg fl) {
                flags = flags(fl.items());
                i++;
            }
            if (i < a.size() && a.get(i) instanceof Arg.Str ds && !ds.literal()) {
                date = parseDate(ds.text());
                i++;
            }
            if (i >= a.size()) throw bad("APPEND: missing message literal");
            byte[] content = null;
            List<Arg> catenate = null;
            if (a.get(i) instanceof Arg.Str msg && msg.literal()) {
                content = msg.value();
            } else if (a.get(i) instanceof Arg.Atom u && u.is("UTF8") && i + 1 < a.size()
                    && a.get(i + 1) instanceof Arg.ListArg ul && ul.items().size() == 1
                    && ul.items().getFirst() instanceof Arg.Str m8 && m8.literal()) {
                content = m8.value(); // RFC 6855 §4: APPEND with UTF8 (literal8)
                i++;
            } else if (a.get(i) instanceof Arg.Atom c && c.is("CATENATE") && i + 1 < a.size()
                    && a.get(i + 1) instanceof Arg.ListArg parts && !parts.items().isEmpty()) {
                catenate = parts.items(); // RFC 4469 §5: CATENATE (cat-part *(SP cat-part))
                checkCatenateSyntax(catenate);
                i++;
            } else {
                throw bad("APPEND: expected a message literal");
            }
            i++;
            if (content != null && content.length == 0) throw no("Empty message");
            ups.add(new Upload(flags, date, content, catenate));
        }
        Target t = target(name);
        if (t.info() == null) {
            // RFC 9051 §6.3.12: TRYCREATE when the mailbox could be created
            throw no(t.own() ? "[TRYCREATE] No such mailbox" : "[NONEXISTENT] No such mailbox");
        }
        if (!t.own() && !t.has('i')) throw no("[NOPERM] Permission denied");
        List<byte[]> contents = new ArrayList<>();
        for (Upload u : ups) {
            byte[] content = u.catenate() == null ? u.content() : catenate(u.catenate());
            if (content.length == 0) throw no("Empty message");
            checkHeaderSection(content); // every message of a MULTIAPPEND before any is stored (RFC 3502: all or none)
            contents.add(content);
        }
        Set<String> newKeywords = new java.util.HashSet<>();
        for (Upload u : ups) for (String f : u.flags()) if (!f.startsWith("\\")) newKeywords.add(f);
        if (!newKeywords.isEmpty()) {
            // imap.max_keywords: the mailbox's keywords are read only when the APPEND sets one
            Set<String> known = new java.util.HashSet<>();
            for (dev.sealpost.store.Mailboxes.MessageInfo m : mailboxes().messages(t.info().id())) known.addAll(m.flags());
            checkKeywordLimit(known, newKeywords);
        }
        List<Mailboxes.NewMessage> news = new ArrayList<>();
        Instant now = Instant.now();
        for (int k = 0; k < ups.size(); k++) {
            Upload u = ups.get(k);
            byte[] content = contents.get(k);
            BlobRef ref = store().blobs().put(content);
            news.add(new Mailboxes.NewMessage(ref, storableFlags(u.flags(), t), u.date() == null ? now : u.date(), summarize(content)));
        }
        return switch (mailboxes().append(t.info().id(), news)) {
            case Mailboxes.AppendResult.Appended ap -> {
                log.info("{} APPEND {} message(s) to {}", id(), ap.uids().size(), t.storeName());
                yield "[APPENDUID " + ap.uidValidity() + " " + orderedSet(ap.uids()) + "] APPEND completed";
            }
            case Mailboxes.AppendResult.NoMailbox x -> throw no("[TRYCREATE] No such mailbox");
            case Mailboxes.AppendResult.OverQuota x -> throw no("[OVERQUOTA] Quota exceeded"); // RFC 9208 §4.3
        };
    }

    /**
     * The header section (RFC 5322 §2.1: up to the first empty line) within
     * {@code imap.max_header_size} octets and {@code imap.max_header_fields} fields, counted as SMTP
     * counts them ({@link HeaderGuard}): a header bomb is refused at APPEND as it is at DATA, not
     * stored for every later FETCH, SEARCH and parse to pay for. {@code NO [TOOBIG]} and
     * {@code NO [LIMIT]} are RFC 5530 response codes.
     */
    void checkHeaderSection(byte[] content) throws CommandFailed {
        ImapServerConfig.Limits l = cfg().limits();
        HeaderGuard g = new HeaderGuard(OutputStream.nullOutputStream(), l.maxHeaderBytes(), l.maxHeaderFields());
        try {
            g.write(content, 0, content.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a null stream does not fail
        }
        switch (g.outcome()) {
            case WITHIN -> { }
            case TOO_LARGE -> throw no("[TOOBIG] Message header section larger than " + l.maxHeaderBytes() + " octets");
            case TOO_MANY_FIELDS -> throw no("[LIMIT] Message header section has more than " + l.maxHeaderFields() + " fields");
        }
    }

    /** RFC 4469 §5: each cat-part is {@code TEXT literal} or {@code URL astring}. */
    static void checkCatenateSyntax(List<Arg> parts) throws CommandFailed {
        if (parts.size() % 2 != 0) throw bad("CATENATE parts are TEXT literal or URL url");
        for (int k = 0; k < parts.size(); k += 2) {
            String kind = Arg.text(parts.get(k));
            Arg v = parts.get(k + 1);
            if ("TEXT".equalsIgnoreCase(kind) && parts.get(k) instanceof Arg.Atom) {
                // RFC 4469 §5: text-literal = "TEXT" SP literal
                if (!(v instanceof Arg.Str str) || !str.literal()) throw bad("CATENATE TEXT needs a literal");
            } else if ("URL".equalsIgnoreCase(kind) && parts.get(k) instanceof Arg.Atom) {
                if (v instanceof Arg.ListArg) throw bad("CATENATE URL needs a string");
            } else {
                throw bad("CATENATE parts are TEXT literal or URL url");
            }
        }
    }

    /**
     * RFC 4469 §3: the message built from the parts: TEXT literals as they are, URLs replaced by
     * the octets they refer to. Only relative IMAP URLs into the user's own (or readable shared)
     * mailboxes of this server are resolved: {@code /mailbox[;UIDVALIDITY=n]/;UID=n[/;SECTION=s][/;PARTIAL=o[.l]]}
     * (RFC 5092 §6); anything else is {@code NO [BADURL url]}.
     */
    byte[] catenate(List<Arg> parts) throws IOException, CommandFailed {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long max = cfg().limits().maxAppendBytes();
        for (int k = 0; k < parts.size(); k += 2) {
            byte[] piece;
            if ("TEXT".equalsIgnoreCase(Arg.text(parts.get(k)))) {
                piece = ((Arg.Str) parts.get(k + 1)).value();
            } else {
                String url = text(parts.get(k + 1));
                piece = resolveUrl(url);
                if (piece == null) {
                    // RFC 4469 §6: url-resp-text excludes "]" and line ends
                    String shown = url.chars().allMatch(ch -> ch > 0 && ch != ']' && ch != '\r' && ch != '\n' && ch < 0x80) ? " " + url : "";
                    throw no("[BADURL" + shown + "] The URL does not refer to a message part we can read");
                }
            }
            if (out.size() + (long) piece.length > max) throw no("[TOOBIG] The catenated message is larger than the APPENDLIMIT"); // RFC 4469 §5
            out.write(piece);
        }
        return out.toByteArray();
    }

    /** The octets an IMAP URL refers to (RFC 5092), or null when it is not valid or not readable here. */
    private byte[] resolveUrl(String url) throws IOException {
        ImapUrl u = ImapUrl.parse(url);
        if (u == null) return null;
        Target t = target(u.mailbox());
        if (t.info() == null || (!t.own() && !t.has('r'))) return null;
        if (u.uidValidity() != 0 && u.uidValidity() != t.info().uidValidity()) return null; // RFC 5092 §6: must match
        MessageInfo info = null;
        SelectedMailbox s = selected();
        if (s != null && s.mailboxId == t.info().id()) info = s.byUid.get(u.uid());
        if (info == null) {
            info = mailboxes().messages(t.info().id()).stream().filter(m -> m.uid() == u.uid()).findFirst().orElse(null);
        }
        if (info == null) return null;
        StoredMessage msg = new StoredMessage(0, info, false, store().blobs(), mailboxes());
        byte[] data;
        try {
            data = u.section() == null ? msg.raw() : FetchRenderer.sectionBytes(u.section(), msg);
        } catch (ImapSyntaxException | java.nio.file.NoSuchFileException e) {
            return null;
        }
        return data == null ? null : u.partial(data);
    }

    /** The structure and header summary cached with the message, as local delivery builds it. */
    static MessageSummary summarize(byte[] content) {
        MessageStructure s = MessageStructure.parse(content);
        Envelope env = s.envelope();
        return new MessageSummary(s.toBytes(), env.decodedSubject(), env.displayFrom(), env.messageId(), env.inReplyTo());
    }

    static Instant parseDate(String s) throws CommandFailed {
        String t = s.startsWith(" ") ? s.substring(1) : s;
        try {
            return ZonedDateTime.parse(t, APPEND_DATE).toInstant();
        } catch (DateTimeParseException e) {
            throw bad("Invalid date-time");
        }
    }

    /** RFC 4314 §4: flags the session has no right to set are dropped silently. */
    static Set<String> storableFlags(Set<String> flags, Target t) {
        if (t.own()) return flags;
        return permitted(flags, t.rights());
    }
}
