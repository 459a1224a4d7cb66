package dev.sealpost.imap.server;

import dev.sealpost.imap.proto.ModifiedUtf7;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What a session writes: untagged and tagged lines, FETCH data, and the quoting of strings,
 * mailbox names, flag lists and sets. It writes to the session's current stream (which changes at
 * STARTTLS and COMPRESS); the caller holds the session's output lock.
 */
final class ImapOutput {
    private static final byte[] CRLF = {'\r', '\n'};
    private final Supplier<OutputStream> out;

    ImapOutput(Supplier<OutputStream> out) {
        this.out = out;
    }

    void write(String s) throws IOException {
        out.get().write(s.getBytes(StandardCharsets.UTF_8));
    }

    void untagged(String s) throws IOException {
        write("* " + s + "\r\n");
    }

    void tagged(String tag, String s) throws IOException {
        write(tag + " " + s + "\r\n");
    }

    /** {@code * seq FETCH} followed by rendered data that starts with "(". */
    void fetch(int seq, byte[] data) throws IOException {
        OutputStream o = out.get();
        o.write(("* " + seq + " FETCH ").getBytes(StandardCharsets.US_ASCII));
        o.write(data);
        o.write(CRLF);
    }

    void flush() throws IOException {
        out.get().flush();
    }

    /** A mailbox name as {@code mailbox} on the wire: modified UTF-7 unless UTF8=ACCEPT is on (RFC 9051 §5.1, RFC 6855 §3). */
    static String mbox(String name, boolean utf8) {
        return q(utf8 ? name : ModifiedUtf7.encode(name));
    }

    /** A {@code string}: quoted when short and plain ASCII, otherwise a literal. */
    static String q(String s) {
        boolean plain = s.length() <= 1000;
        for (int i = 0; plain && i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) plain = false;
        }
        if (!plain) return "{" + s.getBytes(StandardCharsets.UTF_8).length + "}\r\n" + s;
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    static String nq(String s) {
        return s == null ? "NIL" : q(s);
    }

    static String flagList(Collection<String> flags) {
        return "(" + String.join(" ", flags) + ")";
    }

    /** A UID set in compact form, e.g. {@code 1:3,7}. */
    static String uidSet(Collection<Long> uids) {
        return orderedSet(new ArrayList<>(new TreeSet<>(uids)));
    }

    /** A UID set keeping the given order (COPYUID pairs source and target UIDs by position, RFC 4315 §3). */
    static String orderedSet(List<Long> uids) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < uids.size(); ) {
            int j = i;
            while (j + 1 < uids.size() && uids.get(j + 1) == uids.get(j) + 1) j++;
            if (!sb.isEmpty()) sb.append(',');
            sb.append(uids.get(i));
            if (j > i) sb.append(':').append(uids.get(j));
            i = j + 1;
        }
        return sb.toString();
    }
}
