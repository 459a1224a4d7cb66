package dev.sealpost.imap.search;

import java.util.ArrayList;
import java.util.List;

/** Message IDs ({@code <left@right>}, RFC 5322 §3.6.4) in Message-ID, In-Reply-To and References fields, for THREAD. */
final class MessageIds {
    private MessageIds() {}

    /** The first valid message ID in {@code value}, or null. */
    static String first(String value) {
        List<String> all = all(value, 1);
        return all.isEmpty() ? null : all.getFirst();
    }

    /**
     * The message IDs in {@code value}, in order, at most {@code max}. Each is {@code <...>} with
     * white space and comments removed; compared case-sensitively. Leniency: the part inside the
     * angle brackets needs no "@" (RFC 5256 only asks for a Message ID; old software wrote others),
     * but must not be empty; text outside angle brackets (phrases in In-Reply-To) is skipped.
     */
    static List<String> all(String value, int max) {
        List<String> out = new ArrayList<>();
        if (value == null) return out;
        int i = 0, n = value.length();
        while (i < n && out.size() < max) {
            char c = value.charAt(i);
            if (c == '(') { // comment
                int depth = 0;
                while (i < n) {
                    char d = value.charAt(i);
                    if (d == '\\') i++;
                    else if (d == '(') depth++;
                    else if (d == ')' && --depth == 0) break;
                    i++;
                }
                i++;
            } else if (c == '"') { // quoted phrase outside an id
                i++;
                while (i < n && value.charAt(i) != '"') {
                    if (value.charAt(i) == '\\') i++;
                    i++;
                }
                i++;
            } else if (c == '<') {
                int end = value.indexOf('>', i + 1);
                if (end < 0) break;
                StringBuilder id = new StringBuilder();
                for (int j = i + 1; j < end; j++) {
                    char d = value.charAt(j);
                    if (d != ' ' && d != '\t' && d != '\r' && d != '\n') id.append(d);
                }
                if (!id.isEmpty() && id.indexOf("<") < 0) out.add("<" + id + ">");
                i = end + 1;
            } else {
                i++;
            }
        }
        return out;
    }
}
