package dev.sealpost.imap.fetch;

import dev.sealpost.imap.MessageView;
import dev.sealpost.message.MessageStructure;

import dev.sealpost.testkit.SharedSuite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** An in-memory {@link MessageView} for tests, plus mbox and conformance-suite helpers. */
final class TestMessage implements MessageView {
    final int seq;
    final long uid;
    final byte[] raw;
    final Set<String> flags = new LinkedHashSet<>();
    long modSeq = 1;
    Instant internalDate = Instant.parse("2007-03-24T21:00:00Z");
    Instant saveDate = null;
    String emailId = "Mabc123";
    String threadId = null;
    private MessageStructure structure;

    TestMessage(int seq, long uid, byte[] raw) {
        this.seq = seq;
        this.uid = uid;
        this.raw = raw;
    }

    static TestMessage of(String crlfText) {
        return new TestMessage(1, 1, crlfText.getBytes(StandardCharsets.UTF_8));
    }

    @Override public int seq() { return seq; }
    @Override public long uid() { return uid; }
    @Override public long modSeq() { return modSeq; }
    @Override public Set<String> flags() { return flags; }
    @Override public Instant internalDate() { return internalDate; }
    @Override public long size() { return raw.length; }
    @Override public Instant saveDate() { return saveDate; }
    @Override public String emailId() { return emailId; }
    @Override public String threadId() { return threadId; }
    @Override public byte[] raw() { return raw; }

    @Override
    public MessageStructure structure() throws IOException {
        if (structure == null) structure = MessageStructure.parse(raw);
        return structure;
    }

    /** {@code shared/conformance/imaptest/tests}, found by walking up from the working directory. */
    static Path imaptestDir() {
        return SharedSuite.path("imaptest/tests");
    }

    /**
     * The messages of an mbox as imaptest appends them: split at lines starting with "From ",
     * the From line dropped, everything up to the next one kept (with the blank line before it),
     * LF turned into CRLF.
     */
    static List<TestMessage> mbox(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<TestMessage> out = new ArrayList<>();
        StringBuilder cur = null;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("From ")) {
                if (cur != null) out.add(new TestMessage(out.size() + 1, out.size() + 1, bytes(cur)));
                cur = new StringBuilder();
                continue;
            }
            if (cur != null) cur.append(line).append('\n');
        }
        if (cur != null) {
            // the split gives one empty string after the final LF: drop the extra line end it added
            if (cur.length() > 0 && text.endsWith("\n")) cur.setLength(cur.length() - 1);
            out.add(new TestMessage(out.size() + 1, out.size() + 1, bytes(cur)));
        }
        return out;
    }

    private static byte[] bytes(StringBuilder lf) {
        String s = lf.toString().replace("\r\n", "\n").replace("\n", "\r\n");
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
