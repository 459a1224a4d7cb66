package dev.sealpost.imap.search;

import dev.sealpost.imap.MessageView;
import dev.sealpost.message.MessageStructure;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** A {@link MessageView} test double over bytes in memory; seq, flags and modseq are mutable as a session would change them. */
final class TestMessage implements MessageView {
    int seq;
    final long uid;
    long modSeq;
    final Set<String> flags = new HashSet<>();
    final Instant internalDate;
    final byte[] raw;
    Instant saveDate;
    String emailId;
    String threadId;
    private MessageStructure structure;
    int rawReads;
    /** {@code \Recent} in the session (RFC 3501 §2.3.2): shown in {@link #flags()}, not stored with them. */
    boolean recent;

    TestMessage(int seq, long uid, Instant internalDate, byte[] raw) {
        this.seq = seq;
        this.uid = uid;
        this.modSeq = uid;
        this.internalDate = internalDate;
        this.raw = raw;
    }

    /** A message from text with LF line ends (converted to CRLF). */
    static TestMessage of(int seq, String text) {
        return new TestMessage(seq, seq, Instant.parse("2024-01-02T03:04:05Z"),
                text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override public int seq() { return seq; }
    @Override public long uid() { return uid; }
    @Override public long modSeq() { return modSeq; }
    @Override
    public Set<String> flags() {
        if (!recent) return flags;
        Set<String> f = new HashSet<>(flags);
        f.add("\\Recent");
        return f;
    }
    @Override public Instant internalDate() { return internalDate; }
    @Override public long size() { return raw.length; }
    @Override public Instant saveDate() { return saveDate; }
    @Override public String emailId() { return emailId; }
    @Override public String threadId() { return threadId; }

    @Override
    public byte[] raw() {
        rawReads++;
        return raw;
    }

    @Override
    public MessageStructure structure() {
        if (structure == null) structure = MessageStructure.parse(raw);
        return structure;
    }
}
