package dev.sealpost.sieve.run;

import dev.sealpost.message.EncodedWords;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An {@link Environment} over a whole message in memory and its envelope. Header fields are
 * unfolded (RFC 5322 §2.2.3) and encoded words decoded with the message module (RFC 5228 §5.7 asks
 * for RFC 2047 decoding). A line end is CRLF or a bare LF.
 */
public final class MessageEnvironment implements Environment {
    private final List<String[]> fields = new ArrayList<>();
    private final String body;
    private final byte[] message;
    private final long size;
    private final Map<String, List<String>> envelope;

    public MessageEnvironment(byte[] message, Map<String, List<String>> envelope) {
        this.size = message.length;
        this.message = message.clone();
        this.envelope = Map.copyOf(envelope);
        String text = new String(message, StandardCharsets.UTF_8);
        int pos = 0;
        String current = null;
        int bodyStart = text.length();
        while (pos < text.length()) {
            int eol = text.indexOf('\n', pos);
            int end = eol < 0 ? text.length() : eol;
            String line = text.substring(pos, end);
            if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
            int next = eol < 0 ? text.length() : eol + 1;
            if (line.isEmpty()) {
                bodyStart = next;
                break;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current = current + line; // RFC 5322 §2.2.3: unfolding removes the CRLF only
            } else {
                if (current != null) addField(current);
                current = line;
            }
            pos = next;
            bodyStart = pos;
        }
        if (current != null) addField(current);
        this.body = text.substring(Math.min(bodyStart, text.length()));
    }

    private void addField(String raw) {
        int colon = raw.indexOf(':');
        if (colon <= 0) return;
        String name = raw.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = raw.substring(colon + 1).strip();
        String decoded;
        try {
            decoded = EncodedWords.decode(value);
        } catch (RuntimeException e) {
            decoded = value; // an undecodable word stays as written
        }
        fields.add(new String[] {name, decoded});
    }

    @Override
    public List<String> header(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        for (String[] f : fields) if (f[0].equals(n)) out.add(f[1]);
        return out;
    }

    @Override
    public List<String> envelope(String part) {
        return envelope.getOrDefault(part, List.of());
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public byte[] message() {
        return message.clone();
    }

    @Override
    public String body() {
        return body;
    }
}
