package dev.sealpost.filter.bayes;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads messages from what an administrator names: a message file, an mbox file (RFC 4155), a
 * Maildir (its {@code cur} and {@code new}), or a directory of message files. A message larger
 * than {@code maxBytes} is cut there (the classifier reads a bounded prefix anyway).
 */
public final class MessageFiles {
    private MessageFiles() {}

    /** One message: where it came from ({@code FILE} or {@code FILE#n} inside an mbox) and its octets. */
    public record Message(String name, byte[] content) {}

    /** Receives one message. */
    @FunctionalInterface
    public interface Sink {
        void accept(Message m) throws IOException;
    }

    /** Reads every message under {@code path}, in name order, into {@code sink}. */
    public static void read(Path path, long maxBytes, Sink sink) throws IOException {
        if (Files.isDirectory(path)) {
            if (Files.isDirectory(path.resolve("cur")) || Files.isDirectory(path.resolve("new"))) {
                for (String sub : List.of("cur", "new")) {
                    if (Files.isDirectory(path.resolve(sub))) files(path.resolve(sub), maxBytes, sink); // a Maildir
                }
            } else {
                files(path, maxBytes, sink);
            }
        } else if (Files.isRegularFile(path)) {
            file(path, maxBytes, sink);
        } else {
            throw new IOException("no such file or directory: " + path);
        }
    }

    private static void files(Path dir, long maxBytes, Sink sink) throws IOException {
        List<Path> list = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).forEach(list::add);
        }
        list.sort(null);
        for (Path p : list) file(p, maxBytes, sink);
    }

    /** One file: an mbox when its first line is a {@code From } separator line, else one message. */
    private static void file(Path p, long maxBytes, Sink sink) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
            byte[] first = readLine(in, 4096);
            if (first == null) return;
            if (!startsWithFrom(first, 0)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(first);
                byte[] buf = new byte[1 << 16];
                int r;
                while (out.size() < maxBytes && (r = in.read(buf, 0, (int) Math.min(buf.length, maxBytes - out.size()))) > 0) out.write(buf, 0, r);
                sink.accept(new Message(p.toString(), out.toByteArray()));
                return;
            }
            mbox(p, in, maxBytes, sink);
        }
    }

    /** RFC 4155 §2: messages start after lines beginning "From "; "&gt;From " lines in a body are unquoted once (mboxrd). */
    private static void mbox(Path p, InputStream in, long maxBytes, Sink sink) throws IOException {
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        int n = 0;
        byte[] line;
        while ((line = readLine(in, 1 << 20)) != null) {
            if (startsWithFrom(line, 0)) {
                sink.accept(new Message(p + "#" + ++n, trimEnd(cur.toByteArray())));
                cur.reset();
                continue;
            }
            if (cur.size() >= maxBytes) continue;
            int off = 0;
            int q = 0;
            while (q < line.length && line[q] == '>') q++;
            if (q > 0 && startsWithFrom(line, q)) off = 1;
            cur.write(line, off, line.length - off);
        }
        // a file holding one message after a From_ line is named by the file alone
        sink.accept(new Message(n == 0 ? p.toString() : p + "#" + ++n, trimEnd(cur.toByteArray())));
    }

    /** Drops the empty line that separates a message from the next From_ line. */
    private static byte[] trimEnd(byte[] b) {
        int e = b.length;
        if (e >= 2 && b[e - 1] == '\n' && b[e - 2] == '\n') e--;
        else if (e >= 4 && b[e - 1] == '\n' && b[e - 2] == '\r' && b[e - 3] == '\n') e -= 2;
        return e == b.length ? b : java.util.Arrays.copyOf(b, e);
    }

    private static boolean startsWithFrom(byte[] line, int off) {
        byte[] from = "From ".getBytes(StandardCharsets.US_ASCII);
        if (line.length - off < from.length) return false;
        for (int i = 0; i < from.length; i++) if (line[off + i] != from[i]) return false;
        return true;
    }

    /** One line with its line end, at most {@code max} octets (a longer line comes in pieces); null at the end. */
    private static byte[] readLine(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            out.write(c);
            if (c == '\n' || out.size() >= max) break;
        }
        return out.size() == 0 ? null : out.toByteArray();
    }
}
