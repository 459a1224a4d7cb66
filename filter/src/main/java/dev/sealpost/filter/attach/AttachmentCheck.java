package dev.sealpost.filter.attach;

import dev.sealpost.filter.Check;
import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.Hit;
import dev.sealpost.filter.MessageParts;
import org.apache.tika.mime.MediaType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The attachment checks over every attachment of a message and every entry of the archives in
 * them. Hits (one per name per message, its detail listing up to five findings):
 * <ul>
 *   <li>{@code dangerous_attachment} (8): a dangerous extension (executables, scripts, shortcuts,
 *       installers, disk images, HTML applications), or dangerous content (PE, ELF, Mach-O, LNK,
 *       ISO 9660, {@code #!}) under another extension;</li>
 *   <li>{@code double_extension} (6): {@code invoice.pdf.exe}, {@code name.scr.xz};</li>
 *   <li>{@code misleading_file_name} (6): bidi controls (right-to-left override), invisible or
 *       control characters, long runs of spaces in a file name;</li>
 *   <li>{@code attachment_type_mismatch} (2): the content's type disagrees with the declared type or the extension;</li>
 *   <li>{@code archive_in_archive} (2), {@code encrypted_archive} (2), {@code archive_limit} (5: a bound
 *       stopped the listing: depth, entries, size or ratio, a likely bomb);</li>
 *   <li>{@code office_macro} (4): a VBA project in an OLE or OOXML Office file;</li>
 *   <li>{@code pdf_javascript} (3), {@code pdf_launch} (5), {@code pdf_open_action} (1).</li>
 * </ul>
 */
public final class AttachmentCheck implements Check {

    /**
     * Settings.
     *
     * @param limits     the archive bounds
     * @param allowNames file names that are trusted (regular expressions, found anywhere in the decoded
     *                   name; anchor them): an attachment so named is not checked at all
     *                   ({@code [filter.attachments] allow_names})
     * @param maxParts   attachments checked per message
     * @param maxBytes   decoded octets checked per attachment
     */
    public record Settings(ArchiveLister.Limits limits, List<Pattern> allowNames, int maxParts, int maxBytes) {
        public Settings {
            Objects.requireNonNull(limits, "limits");
            allowNames = List.copyOf(allowNames);
        }

        /** Default archive bounds, no allowed names, 100 attachments, 50 MiB each. */
        public static Settings defaults() {
            return new Settings(ArchiveLister.Limits.defaults(), List.of(), 100, 50 << 20);
        }
    }

    public static final Map<String, Double> WEIGHTS = Map.ofEntries(
            Map.entry("dangerous_attachment", 8.0), Map.entry("double_extension", 6.0),
            Map.entry("misleading_file_name", 6.0), Map.entry("attachment_type_mismatch", 2.0),
            Map.entry("archive_in_archive", 2.0), Map.entry("encrypted_archive", 2.0), Map.entry("archive_limit", 5.0),
            Map.entry("office_macro", 4.0), Map.entry("pdf_javascript", 3.0), Map.entry("pdf_launch", 5.0),
            Map.entry("pdf_open_action", 1.0));

    private final Settings settings;

    public AttachmentCheck(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public String name() {
        return "attachments";
    }

    @Override
    public List<Hit> run(FilterInput input) {
        Findings f = new Findings();
        for (MessageParts.Leaf leaf : MessageParts.leaves(input, settings.maxParts(), settings.maxBytes())) {
            if (!leaf.isAttachment()) continue;
            String name = leaf.fileName();
            if (name != null && allowed(name)) continue;
            attachment(leaf, name == null ? "" : name, f);
        }
        return f.hits();
    }

    /** Checks one attachment's name, content and, when it is an archive, its entries. */
    public List<Hit> checkFile(String name, String declaredType, byte[] content) {
        Findings f = new Findings();
        if (name != null && allowed(name)) return List.of();
        file(name == null ? "" : name, declaredType, content, f);
        return f.hits();
    }

    private boolean allowed(String name) {
        for (Pattern p : settings.allowNames()) if (p.matcher(name).find()) return true;
        return false;
    }

    private void attachment(MessageParts.Leaf leaf, String name, Findings f) {
        file(name, leaf.part().mediaType(), leaf.body(), f);
    }

    private void file(String name, String declaredType, byte[] body, Findings f) {
        String shown = name.isEmpty() ? "(no name)" : FileNames.printable(name);
        nameChecks(name, shown, f);
        contentChecks(name, shown, body, f);
        typeMismatch(shown, name, declaredType, body, f);
        ArchiveLister.Listing l = ArchiveLister.list(name.isEmpty() ? "attachment" : name, body, settings.limits(),
                (entry, content) -> contentChecks(entry.name(), FileNames.printable(entry.path()), content, f));
        for (ArchiveLister.Entry e : l.entries()) {
            nameChecks(e.name(), FileNames.printable(e.path()), f);
            if (OfficeMacros.isVbaPart(e.name())) f.add("office_macro", "vbaProject.bin in " + shown);
        }
        for (ArchiveLister.Nested n : l.nested()) {
            String outerExt = FileNames.extension(n.outer()), innerExt = FileNames.extension(n.inner());
            String pair = (innerExt.isEmpty() ? "" : "." + innerExt) + (outerExt.isEmpty() ? "" : "." + outerExt);
            f.add("archive_in_archive", (pair.isEmpty() ? "" : pair + " ") + n.format().name().toLowerCase(Locale.ROOT).replace("_", "")
                    + ": " + FileNames.printable(n.outer() + "/" + n.inner()));
        }
        if (l.encrypted()) f.add("encrypted_archive", shown);
        if (l.limit() != null) f.add("archive_limit", l.limit() + " bound reached in " + shown);
    }

    private static void nameChecks(String name, String shown, Findings f) {
        String last = name.substring(name.lastIndexOf('/') + 1);
        last = last.substring(last.lastIndexOf('\\') + 1);
        String ext = FileNames.extension(last);
        if (FileTypes.isDangerousExtension(ext)) f.add("dangerous_attachment", ext + ": " + shown);
        String dbl = FileNames.doubleExtension(last);
        if (dbl != null) f.add("double_extension", dbl + ": " + shown);
        List<String> odd = FileNames.misleadingCharacters(name);
        if (!odd.isEmpty()) f.add("misleading_file_name", String.join(" ", odd) + " in " + shown);
    }

    private static void contentChecks(String name, String shown, byte[] body, Findings f) {
        String magic = FileTypes.dangerousMagic(body);
        String ext = FileNames.extension(name.substring(name.lastIndexOf('/') + 1));
        if (magic != null && !FileTypes.isDangerousExtension(ext)) {
            f.add("dangerous_attachment", magic + (ext.isEmpty() ? " without an extension" : " named ." + ext) + ": " + shown);
        }
        if (OfficeMacros.isCompoundFile(body)) {
            String vba = OfficeMacros.vbaStorage(body);
            if (vba != null) f.add("office_macro", vba + " storage in " + shown);
        }
        if (PdfActions.isPdf(body)) {
            Set<String> acts = PdfActions.find(body);
            if (acts.contains("JavaScript")) f.add("pdf_javascript", shown);
            if (acts.contains("Launch")) f.add("pdf_launch", shown);
            if (acts.contains("OpenAction") || acts.contains("AA")) f.add("pdf_open_action", shown);
        }
    }

    private static void typeMismatch(String shown, String name, String declaredType, byte[] body, Findings f) {
        if (body.length == 0) return;
        MediaType detected = FileTypes.detect(body);
        if (detected.equals(MediaType.OCTET_STREAM) || detected.getType().equals("text")) return;
        MediaType declared = FileTypes.parse(declaredType);
        MediaType byName = FileTypes.byName(name);
        List<String> disagree = new ArrayList<>();
        if (declared != null && !FileTypes.consistent(detected, declared)) disagree.add("declared " + declared.getBaseType());
        if (!name.isEmpty() && !FileTypes.consistent(detected, byName)) disagree.add("named ." + FileNames.extension(name));
        if (!disagree.isEmpty()) {
            f.add("attachment_type_mismatch", "content " + detected.getBaseType() + ", " + String.join(", ", disagree) + ": " + shown);
        }
    }

    /** Findings per hit name, in first-seen order, each with up to five distinct details. */
    private static final class Findings {
        final Map<String, List<String>> byName = new LinkedHashMap<>();

        void add(String name, String detail) {
            List<String> d = byName.computeIfAbsent(name, k -> new ArrayList<>());
            if (d.size() < 5 && !d.contains(detail)) d.add(detail);
        }

        List<Hit> hits() {
            List<Hit> out = new ArrayList<>();
            byName.forEach((n, d) -> out.add(new Hit(n, WEIGHTS.get(n), String.join("; ", d))));
            return out;
        }
    }
}
