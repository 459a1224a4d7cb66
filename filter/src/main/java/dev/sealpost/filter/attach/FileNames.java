package dev.sealpost.filter.attach;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * File-name checks: the extension, double extensions ({@code invoice.pdf.exe}) and characters that
 * make a name display differently from what it is (right-to-left override, invisible characters).
 * Pure functions over a decoded name; never throw.
 */
public final class FileNames {
    private FileNames() {}

    /** Names longer than this are checked on their last 1024 characters (where the extension is). */
    public static final int MAX_NAME = 1024;

    // a next-to-last token counts as an extension: 1-5 letters or digits with at least one letter
    private static final Pattern EXT_TOKEN = Pattern.compile("[a-z0-9]{1,5}");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");

    /** The last extension in lower case without the dot (after stripping trailing dots and spaces), or "" when none. */
    public static String extension(String name) {
        String n = tail(name);
        int dot = n.lastIndexOf('.');
        if (dot < 0 || dot == n.length() - 1) return "";
        return n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * The double extension of a name, {@code .pdf.exe}, or null: the last extension is dangerous
     * (or an archive and the one before it dangerous), and the one before it looks like a real
     * extension: 1 to 5 letters or digits with a letter, and a type we know. Dates and version
     * numbers ({@code 06.12.2017.gz}, {@code PDF417(3.2.4).msi}) and dotted words
     * ({@code bad_ext.dotted_file_name.exe}) are not double extensions.
     */
    public static String doubleExtension(String name) {
        String n = tail(name).toLowerCase(Locale.ROOT);
        String[] parts = n.split("\\.", -1);
        if (parts.length < 3) return null;
        String ext = parts[parts.length - 1];
        String ext2 = parts[parts.length - 2];
        if (!EXT_TOKEN.matcher(ext2).matches() || !HAS_LETTER.matcher(ext2).matches()) return null;
        if (!FileTypes.isKnownExtension(ext2)) return null;
        boolean fires = FileTypes.isDangerousExtension(ext)
                || (FileTypes.isArchiveExtension(ext) && FileTypes.isDangerousExtension(ext2));
        return fires ? "." + ext2 + "." + ext : null;
    }

    /** Trailing dots and spaces are dropped by Windows when a file is saved: {@code a.exe.} is {@code a.exe}. */
    private static String tail(String name) {
        if (name == null) return "";
        String n = name.length() > MAX_NAME ? name.substring(name.length() - MAX_NAME) : name;
        int end = n.length();
        while (end > 0 && (n.charAt(end - 1) == '.' || n.charAt(end - 1) == ' ' || n.charAt(end - 1) == '\u3000')) end--;
        return n.substring(0, end);
    }

    private static final Set<Integer> BIDI = Set.of(0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
            0x200E, 0x200F, 0x061C);

    /**
     * The misleading characters in a name, as {@code U+202E} strings, in order, at most 8: bidi
     * controls (right-to-left override and embeddings, isolates, marks: they reorder what the user
     * sees, {@code "invoice\u202Efdp.exe"} shows as {@code invoiceexe.pdf}), invisible format
     * characters (zero width space and joiners, word joiner, soft hyphen, BOM, Mongolian vowel
     * separator, tags), C0/C1 control characters, and runs of five or more spaces that push the
     * real extension out of view.
     */
    public static List<String> misleadingCharacters(String name) {
        List<String> out = new ArrayList<>();
        if (name == null) return out;
        String n = name.length() > MAX_NAME * 4 ? name.substring(0, MAX_NAME * 4) : name;
        int spaces = 0;
        for (int i = 0; i < n.length() && out.size() < 8; ) {
            int cp = n.codePointAt(i);
            i += Character.charCount(cp);
            spaces = cp == ' ' || cp == 0x3000 || cp == 0xA0 ? spaces + 1 : 0;
            if (spaces == 5) out.add("spaces");
            boolean bad = BIDI.contains(cp)
                    || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF || cp == 0x00AD
                    || cp == 0x180E || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0
                    || (cp >= 0xE0000 && cp <= 0xE007F) // tags
                    || (cp >= 0xFE00 && cp <= 0xFE0F) // variation selectors
                    || (cp < 0x20 || (cp >= 0x7F && cp < 0xA0));
            if (bad) out.add(String.format(Locale.ROOT, "U+%04X", cp));
        }
        return out;
    }

    /** A name for details and logs: controls and bidi characters shown as {@code <U+202E>}, at most 120 characters. */
    public static String printable(String name) {
        if (name == null) return "";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && sb.length() < 120; ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            int t = Character.getType(cp);
            if (t == Character.CONTROL || t == Character.FORMAT || t == Character.UNASSIGNED || t == Character.PRIVATE_USE
                    || t == Character.SURROGATE || Character.isWhitespace(cp) && cp != ' ') {
                sb.append(String.format(Locale.ROOT, "<U+%04X>", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }
}
