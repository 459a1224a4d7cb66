package dev.sealpost.imap.server;

import dev.sealpost.imap.MessageView;
import dev.sealpost.message.MessageStructure;
import dev.sealpost.store.BlobStore;
import dev.sealpost.store.Mailboxes;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Set;

/**
 * A message of the selected mailbox as FETCH, SEARCH, SORT and THREAD see it: the session's
 * sequence number and the store's attributes; the content is read from the blob store on first
 * use and kept for the lifetime of this object (one command).
 */
final class StoredMessage implements MessageView {
    private final int seq;
    private final Mailboxes.MessageInfo info;
    private final boolean recent;
    private final BlobStore blobs;
    private final Mailboxes mailboxes;
    private byte[] raw;
    private MessageStructure structure;

    /** @param recent whether the message is {@code \Recent} in the session (IMAP4rev1, RFC 3501 §2.3.2) */
    StoredMessage(int seq, Mailboxes.MessageInfo info, boolean recent, BlobStore blobs, Mailboxes mailboxes) {
        this.seq = seq;
        this.info = info;
        this.recent = recent;
        this.blobs = blobs;
        this.mailboxes = mailboxes;
    }

    Mailboxes.MessageInfo info() {
        return info;
    }

    @Override public int seq() { return seq; }
    @Override public long uid() { return info.uid(); }
    @Override public long modSeq() { return info.modSeq(); }
    @Override
    public Set<String> flags() {
        if (!recent) return info.flags();
        Set<String> f = new java.util.LinkedHashSet<>();
        f.add("\\Recent");
        f.addAll(info.flags());
        return f;
    }
    @Override public Instant internalDate() { return info.internalDate(); }
    @Override public long size() { return info.size(); }
    @Override public Instant saveDate() { return info.saveDate(); }
    @Override public String emailId() { return info.emailId(); }
    @Override public String threadId() { return info.threadId(); }

    @Override
    public byte[] raw() throws IOException {
        if (raw == null) {
            try (InputStream in = blobs.open(info.blobId())) {
                // the stored size bounds the read (a blob is never larger than what was accepted)
                raw = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, Math.max(info.size(), 0) + 1));
            }
        }
        return raw;
    }

    @Override
    public MessageStructure structure() throws IOException {
        if (structure == null) {
            byte[] cached = mailboxes.structure(info.id()).orElse(null);
            if (cached != null) {
                try {
                    structure = MessageStructure.fromBytes(cached);
                } catch (IllegalArgumentException e) {
                    structure = null; // damaged or old cache: parse again
                }
            }
            if (structure == null) structure = MessageStructure.parse(raw());
        }
        return structure;
    }
}
