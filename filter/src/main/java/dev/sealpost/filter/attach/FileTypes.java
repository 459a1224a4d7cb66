package dev.sealpost.filter.attach;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * File types: extension tables, the real type from the content (Tika core's magic detection, fed
 * only the bytes, never the name), and our own magic for the types that decide danger, so that the
 * decision does not depend on how a Tika release names a type.
 */
public final class FileTypes {
    private FileTypes() {}

    /**
     * Extensions of files that run code when opened on a common desktop: executables and libraries,
     * scripts, shortcuts, installers, disk images, HTML applications, Office add-ins and query files.
     */
    static final Set<String> DANGEROUS = Set.of(
            // executables and libraries
            "exe", "com", "scr", "pif", "cpl", "dll", "sys", "drv", "ocx", "msc", "app",
            // scripts
            "bat", "cmd", "vbs", "vbe", "js", "jse", "wsf", "wsh", "wsc", "ws", "ps1", "ps1xml", "ps2", "psc1", "psm1",
            "command", "jar", "scpt", "applescript", "action", "workflow",
            // shortcuts and launchers
            "lnk", "url", "scf", "inf", "reg", "desktop", "appref-ms", "library-ms", "searchconnector-ms", "settingcontent-ms",
            "website", "mcf", "iqy", "slk", "xll", "xla", "xlam", "wiz", "gadget", "hlp", "chm",
            // installers and packages
            "msi", "msp", "mst", "msix", "msixbundle", "appx", "appxbundle", "application", "vsto", "deb", "rpm", "pkg", "mpkg", "apk", "xap",
            // disk images
            "iso", "img", "vhd", "vhdx", "dmg", "udf",
            // HTML applications and other active content
            "hta", "htc", "mht", "mhtml", "jnlp", "ade", "adp", "mde", "mda", "accde", "grp", "isp", "ins");

    /** Archive and compressor extensions. */
    static final Set<String> ARCHIVE = Set.of("zip", "7z", "rar", "tar", "gz", "tgz", "bz2", "tbz", "tbz2", "xz", "txz", "z",
            "lz", "lzma", "zst", "ace", "arj", "lzh", "lha", "cpio", "zipx", "r00", "r01", "uue", "xxe", "cab");

    /** Other extensions people recognize (documents, images, media), for the double-extension test. */
    static final Set<String> KNOWN = Set.of("pdf", "doc", "docx", "docm", "dot", "dotm", "xls", "xlsx", "xlsm", "xlsb", "ppt",
            "pptx", "pptm", "odt", "ods", "odp", "rtf", "txt", "csv", "htm", "html", "xml", "json", "jpg", "jpeg", "png", "gif",
            "bmp", "tif", "tiff", "svg", "webp", "heic", "mp3", "mp4", "wav", "avi", "mov", "mkv", "eml", "msg", "ics", "vcf", "pages",
            "numbers", "key", "ps", "eps", "epub", "xps", "oxps");

    /** Office formats that carry macros when they carry anything (OOXML macro-enabled and the OLE formats). */
    static final Set<String> OFFICE = Set.of("doc", "dot", "docm", "dotm", "docx", "xls", "xlt", "xlsm", "xltm", "xlsb", "xlsx",
            "ppt", "pps", "pptm", "ppsm", "potm", "pptx", "ppam", "sldm", "pub", "vsd", "vsdm", "mpp", "odt", "ods", "odp");

    public static boolean isDangerousExtension(String ext) {
        return ext != null && DANGEROUS.contains(ext.toLowerCase(Locale.ROOT));
    }

    public static boolean isArchiveExtension(String ext) {
        return ext != null && ARCHIVE.contains(ext.toLowerCase(Locale.ROOT));
    }

    public static boolean isKnownExtension(String ext) {
        String e = ext.toLowerCase(Locale.ROOT);
        return DANGEROUS.contains(e) || ARCHIVE.contains(e) || KNOWN.contains(e) || OFFICE.contains(e);
    }

    /** Formats the archive lister can recognize by their first bytes. */
    public enum ArchiveFormat { ZIP, SEVEN_Z, RAR, GZIP, BZIP2, XZ, TAR, CAB }

    /** The archive format of {@code b} by magic, or null. */
    public static ArchiveFormat archiveFormat(byte[] b) {
        if (b == null) return null;
        if (starts(b, 'P', 'K', 3, 4) || starts(b, 'P', 'K', 5, 6) || starts(b, 'P', 'K', 7, 8)) return ArchiveFormat.ZIP;
        if (starts(b, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)) return ArchiveFormat.SEVEN_Z;
        if (starts(b, 'R', 'a', 'r', '!', 0x1A, 0x07)) return ArchiveFormat.RAR;
        if (starts(b, 0x1F, 0x8B)) return ArchiveFormat.GZIP;
        if (starts(b, 'B', 'Z', 'h') && b.length > 3 && b[3] >= '1' && b[3] <= '9') return ArchiveFormat.BZIP2;
        if (starts(b, 0xFD, '7', 'z', 'X', 'Z', 0)) return ArchiveFormat.XZ;
        if (b.length > 262 && b[257] == 'u' && b[258] == 's' && b[259] == 't' && b[260] == 'a' && b[261] == 'r') return ArchiveFormat.TAR;
        if (starts(b, 'M', 'S', 'C', 'F', 0, 0, 0, 0)) return ArchiveFormat.CAB;
        return null;
    }

    /**
     * The dangerous kind of {@code b} by its first bytes, or null: Windows PE ("MZ"), ELF, Mach-O
     * (and universal binaries), a Windows shortcut (MS-SHLLINK header), an ISO 9660 or UDF disk
     * image, an Apple disk image trailer is not looked for (it is at the end), a script with {@code #!}.
     */
    public static String dangerousMagic(byte[] b) {
        if (b == null || b.length < 2) return null;
        if (b[0] == 'M' && b[1] == 'Z' && b.length >= 64) return "executable (PE)";
        if (starts(b, 0x7F, 'E', 'L', 'F')) return "executable (ELF)";
        if (starts(b, 0xFE, 0xED, 0xFA, 0xCE) || starts(b, 0xFE, 0xED, 0xFA, 0xCF) || starts(b, 0xCE, 0xFA, 0xED, 0xFE)
                || starts(b, 0xCF, 0xFA, 0xED, 0xFE)) return "executable (Mach-O)";
        // MS-SHLLINK §2.1: HeaderSize 0x4C and the LinkCLSID 00021401-0000-0000-C000-000000000046
        if (starts(b, 0x4C, 0, 0, 0, 0x01, 0x14, 0x02, 0x00)) return "shortcut (LNK)";
        if (b.length > 0x8006 && b[0x8001] == 'C' && b[0x8002] == 'D' && b[0x8003] == '0' && b[0x8004] == '0' && b[0x8005] == '1') {
            return "disk image (ISO 9660)";
        }
        if (starts(b, '#', '!', '/')) return "script (#!)";
        return null;
    }

    static boolean starts(byte[] b, int... magic) {
        if (b.length < magic.length) return false;
        for (int i = 0; i < magic.length; i++) if ((b[i] & 0xFF) != (magic[i] & 0xFF)) return false;
        return true;
    }

    private static volatile MimeTypes types;

    private static MimeTypes types() {
        MimeTypes t = types;
        if (t == null) {
            synchronized (FileTypes.class) {
                t = types;
                if (t == null) types = t = MimeTypes.getDefaultMimeTypes();
            }
        }
        return t;
    }

    /**
     * The media type of the content alone (no name hint): the common formats from their first
     * octets here (Tika's full magic table costs about a millisecond a call), the rest by Tika's
     * magic detection; {@code application/octet-stream} when none.
     */
    public static MediaType detect(byte[] content) {
        MediaType quick = quickType(content);
        if (quick != null) return quick;
        try {
            return types().detect(new ByteArrayInputStream(content), new Metadata());
        } catch (IOException | RuntimeException e) {
            return MediaType.OCTET_STREAM;
        }
    }

    private static final MediaType PDF = MediaType.application("pdf"), ZIP = MediaType.application("zip"),
            RAR = MediaType.application("x-rar-compressed"), SEVEN_Z = MediaType.application("x-7z-compressed"),
            GZIP = MediaType.application("gzip"), BZIP2 = MediaType.application("x-bzip2"), XZ = MediaType.application("x-xz"),
            OLE = MediaType.application("x-tika-msoffice"), PNG = MediaType.image("png"), JPEG = MediaType.image("jpeg"),
            GIF = MediaType.image("gif");

    /** The types Tika names for the most common attachments, from their signatures; null for anything else. */
    static MediaType quickType(byte[] b) {
        if (b == null || b.length < 4) return null;
        if (starts(b, '%', 'P', 'D', 'F', '-')) return PDF;
        if (starts(b, 'P', 'K', 3, 4)) return ZIP;
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return PNG;
        if (starts(b, 0xFF, 0xD8, 0xFF)) return JPEG;
        if (starts(b, 'G', 'I', 'F', '8')) return GIF;
        if (OfficeMacros.isCompoundFile(b)) return OLE;
        ArchiveFormat f = archiveFormat(b);
        if (f == null) return null;
        return switch (f) {
            case RAR -> RAR;
            case SEVEN_Z -> SEVEN_Z;
            case GZIP -> GZIP;
            case BZIP2 -> BZIP2;
            case XZ -> XZ;
            default -> null; // tar, cab, empty or spanned zip: Tika decides
        };
    }

    /** The media type a file name suggests (Tika's glob table), or {@code application/octet-stream}. */
    public static MediaType byName(String name) {
        if (name == null || name.isEmpty()) return MediaType.OCTET_STREAM;
        try {
            Metadata m = new Metadata();
            m.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
            return types().detect(null, m);
        } catch (IOException | RuntimeException e) {
            return MediaType.OCTET_STREAM;
        }
    }

    /**
     * True when the content type {@code detected} is consistent with {@code claimed}: equal, or one
     * a specialization of the other (Tika's type hierarchy: a {@code .docx} is a zip), or either
     * of them says nothing ({@code application/octet-stream}, {@code text/plain}).
     */
    public static boolean consistent(MediaType detected, MediaType claimed) {
        if (detected == null || claimed == null) return true;
        MediaType d = alias(detected.getBaseType()), c = alias(claimed.getBaseType());
        if (d.equals(MediaType.OCTET_STREAM) || c.equals(MediaType.OCTET_STREAM)) return true;
        if (d.equals(MediaType.TEXT_PLAIN) || c.equals(MediaType.TEXT_PLAIN)) return d.getType().equals(c.getType()) || d.getType().equals("text");
        MediaTypeRegistry r = types().getMediaTypeRegistry();
        MediaType dn = r.normalize(d), cn = r.normalize(c);
        return dn.equals(cn) || r.isInstanceOf(dn, cn) || r.isInstanceOf(cn, dn);
    }

    /** Names mail clients declare that Tika's registry does not know as aliases. */
    private static final java.util.Map<String, MediaType> ALIASES = java.util.Map.of(
            "image/jpg", MediaType.image("jpeg"), "image/pjpeg", MediaType.image("jpeg"), "image/x-png", MediaType.image("png"),
            "application/x-zip", MediaType.application("zip"), "application/x-rar", MediaType.application("x-rar-compressed"));

    private static MediaType alias(MediaType t) {
        return ALIASES.getOrDefault(t.toString(), t);
    }

    /** Parses a declared {@code type/subtype}, or null. */
    public static MediaType parse(String type) {
        return type == null ? null : MediaType.parse(type.toLowerCase(Locale.ROOT));
    }
}
