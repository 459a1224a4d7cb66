package dev.sealpost.it.imaptest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One plain-TCP IMAP client connection of a script run: reads whole responses (literals inline),
 * sends commands with their literals (non-synchronizing when the server has LITERAL+, else
 * waiting for the "+" continuation), and tracks what the runner needs (EXISTS count, the
 * mailbox "append" goes to, capabilities, BYE).
 */
final class ImapConnection implements Closeable {
    static final int MAX_LINE = 1 << 20;
    static final int MAX_LITERAL = 64 << 20;
    private static final Pattern LITERAL_AT_END = Pattern.compile("~?\\{(\\d{1,10})(\\+?)\\}$");

    /** A server response: "+" continuation, "*" untagged or tagged; {@code args} excludes the tag. */
    record Response(String tag, List<ImapArg> args, String raw) {
        boolean continuation() { return tag.equals("+"); }
        boolean untagged() { return tag.equals("*"); }
    }

    final int id; // 1-based, also the first part of our tags (as imaptest's global_id)
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tagCounter = 1;
    int exists;
    String storage; // the mailbox a bare "append" goes to
    List<String> capabilities = List.of();
    boolean seenBye;
    List<ImapArg> greeting;
    boolean logoutSent;
    boolean closed;
    boolean allowNonSync = true;

    ImapConnection(int id, String host, int port, int timeoutMillis) throws IOException {
        this.id = id;
        this.socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream(), 65536);
        this.out = socket.getOutputStream();
    }

    String nextTag() {
        return id + "." + tagCounter++;
    }

    boolean literalPlus() {
        return capabilities.stream().anyMatch(c -> c.equalsIgnoreCase("LITERAL+"));
    }

    boolean literalMinus() {
        return capabilities.stream().anyMatch(c -> c.equalsIgnoreCase("LITERAL-"));
    }

    /** Reads one whole response; EOFException when the server closed the connection. */
    Response read() throws IOException {
        StringBuilder sb = new StringBuilder();
        String line = readLine();
        while (true) {
            sb.append(line);
            Matcher m = LITERAL_AT_END.matcher(line);
            if (!m.find()) break;
            long size = Long.parseLong(m.group(1));
            if (size > MAX_LITERAL) throw new IOException("literal too large: " + size);
            byte[] data = in.readNBytes((int) size);
            if (data.length < size) throw new EOFException("connection closed inside a literal");
            sb.append("\r\n").append(new String(data, StandardCharsets.ISO_8859_1));
            line = readLine();
        }
        String raw = sb.toString();
        int sp = raw.indexOf(' ');
        String tag = sp < 0 ? raw : raw.substring(0, sp);
        String rest = sp < 0 ? "" : raw.substring(sp + 1);
        List<ImapArg> args = ImapArg.parse(rest, true);
        if (tag.equals("*") && !args.isEmpty()) track(args);
        return new Response(tag, args, raw);
    }

    private void track(List<ImapArg> args) {
        String first = ImapArg.atom(args.getFirst());
        if (first == null) return;
        if (first.equalsIgnoreCase("BYE")) seenBye = true;
        if (first.equalsIgnoreCase("CAPABILITY")) {
            List<String> caps = new ArrayList<>();
            for (ImapArg a : args.subList(1, args.size())) if (ImapArg.astring(a) != null) caps.add(ImapArg.astring(a));
            capabilities = caps;
        }
        if (args.size() >= 2 && first.chars().allMatch(Character::isDigit) && !first.isEmpty() && first.length() < 10) {
            String what = ImapArg.atom(args.get(1));
            if ("EXISTS".equalsIgnoreCase(what)) exists = Integer.parseInt(first);
            else if ("EXPUNGE".equalsIgnoreCase(what) && exists > 0) exists--;
        }
        codeCapabilities(args);
    }

    /** Picks up {@code [CAPABILITY ...]} from an OK (greeting or LOGIN reply). */
    void codeCapabilities(List<ImapArg> args) {
        if (args.size() < 2) return;
        String status = ImapArg.atom(args.get(0));
        String code = ImapArg.atom(args.get(1));
        if (status == null || code == null || !code.equalsIgnoreCase("[CAPABILITY")) return;
        if (!status.equalsIgnoreCase("OK") && !status.equalsIgnoreCase("PREAUTH")) return;
        List<String> caps = new ArrayList<>();
        for (ImapArg a : args.subList(2, args.size())) {
            String s = ImapArg.astring(a);
            if (s == null) break;
            int end = s.indexOf(']');
            if (end >= 0) {
                if (end > 0) caps.add(s.substring(0, end));
                break;
            }
            caps.add(s);
        }
        capabilities = caps;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
        while (true) {
            int b = in.read();
            if (b < 0) {
                closed = true;
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') break;
            buf.write(b);
            if (buf.size() > MAX_LINE) throw new IOException("response line longer than " + MAX_LINE + " octets");
        }
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Something that reads responses while a synchronizing literal waits for its "+". */
    interface Pump {
        /** Handles one response; returns it. */
        Response pumpOne() throws IOException;
    }

    /**
     * Sends {@code tag SP command CRLF}, where the command may hold literals as
     * {@code {n}\r\n<n octets>}. Without LITERAL+ each literal waits for a "+" read through
     * {@code pump}; if the tagged reply for this tag arrives instead, sending stops.
     *
     * @return false when the server answered before the command was completely sent
     */
    boolean send(String tag, String command, Pump pump) throws IOException {
        String lower = command.toLowerCase(Locale.ROOT);
        if (lower.startsWith("select ") || lower.startsWith("examine ")) {
            List<ImapArg> a = ImapArg.parse(command.substring(command.indexOf(' ') + 1), true);
            if (!a.isEmpty() && ImapArg.astring(a.getFirst()) != null) {
                String name = ImapArg.astring(a.getFirst());
                if (!name.equals(storage)) exists = 0;
                storage = name;
            }
        }
        StringBuilder chunk = new StringBuilder(tag).append(' ');
        int pos = 0;
        while (true) {
            int nl = command.indexOf('\n', pos);
            if (nl < 0) {
                chunk.append(command, pos, command.length()).append("\r\n");
                write(chunk);
                return true;
            }
            int lineEnd = nl > pos && command.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            Matcher m = LITERAL_AT_END.matcher(command.substring(pos, lineEnd));
            if (!m.find()) { // a bare line break: send as it is
                chunk.append(command, pos, nl + 1);
                pos = nl + 1;
                continue;
            }
            long size = Long.parseLong(m.group(1));
            boolean nonsync = allowNonSync && (literalPlus() || (literalMinus() && size <= 4096));
            int sizeStart = pos + m.start();
            String prefix = command.substring(pos, sizeStart);
            String lit = command.substring(sizeStart, lineEnd);
            if (nonsync && m.group(2).isEmpty()) lit = lit.substring(0, lit.length() - 1) + "+}";
            if (!nonsync && !m.group(2).isEmpty()) lit = lit.substring(0, lit.length() - 2) + "}";
            chunk.append(prefix).append(lit).append("\r\n");
            int dataStart = nl + 1;
            int dataEnd = (int) Math.min(command.length(), dataStart + size);
            if (!nonsync) {
                write(chunk);
                chunk.setLength(0);
                while (true) {
                    Response r = pump.pumpOne();
                    if (r.continuation()) break;
                    if (r.tag().equals(tag)) return false;
                }
            }
            chunk.append(command, dataStart, dataEnd);
            pos = dataEnd;
        }
    }

    /** Sends raw text (e.g. DONE); no tag. */
    void sendRaw(String text) throws IOException {
        write(new StringBuilder(text));
    }

    private void write(CharSequence s) throws IOException {
        out.write(s.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
