package dev.sealpost.filter.attach;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Finds VBA macros in Office files without an Office library: in an OLE compound file (MS-CFB) by
 * reading its directory for a {@code VBA} or {@code _VBA_PROJECT_CUR} storage or a
 * {@code _VBA_PROJECT} stream (MS-OVBA §2.2); an OOXML package holds them in a
 * {@code vbaProject.bin} part, which the archive listing sees by name. Bounded by the data;
 * never throws.
 */
public final class OfficeMacros {
    private OfficeMacros() {}

    private static final int ENDOFCHAIN = 0xFFFFFFFE;
    private static final int MAX_SECTORS = 1 << 16;

    /** True when {@code b} starts with the compound file signature D0 CF 11 E0 A1 B1 1A E1 (MS-CFB §2.2). */
    public static boolean isCompoundFile(byte[] b) {
        return FileTypes.starts(b, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1);
    }

    /** True for an OOXML part name that holds a VBA project ({@code word/vbaProject.bin}, {@code xl/...}). */
    public static boolean isVbaPart(String entryName) {
        return entryName != null && entryName.toLowerCase(Locale.ROOT).endsWith("vbaproject.bin");
    }

    /** The name of the macro storage or stream found in a compound file's directory, or null. */
    public static String vbaStorage(byte[] b) {
        if (!isCompoundFile(b) || b.length < 512) return null;
        try {
            return scan(b);
        } catch (RuntimeException e) {
            return null; // damaged: an index outside the file
        }
    }

    private static String scan(byte[] b) {
        int shift = u16(b, 0x1E); // MS-CFB §2.2: sector shift, 9 (512) or 12 (4096)
        if (shift != 9 && shift != 12) return null;
        int ss = 1 << shift;
        int numFat = (int) Math.min(u32(b, 0x2C), MAX_SECTORS);
        int dirStart = (int) u32(b, 0x30);
        int difatStart = (int) u32(b, 0x44);
        int numDifat = (int) Math.min(u32(b, 0x48), MAX_SECTORS);
        // the FAT's own sectors: 109 in the header, the rest in the DIFAT chain
        int[] fatSectors = new int[numFat];
        int have = 0;
        for (int i = 0; i < 109 && have < numFat; i++) fatSectors[have++] = (int) u32(b, 0x4C + 4 * i);
        int difat = difatStart;
        Set<Integer> seen = new HashSet<>();
        for (int d = 0; d < numDifat && have < numFat && difat >= 0 && seen.add(difat); d++) {
            long off = (long) (difat + 1) * ss;
            if (off + ss > b.length) break;
            for (int i = 0; i < ss / 4 - 1 && have < numFat; i++) fatSectors[have++] = (int) u32(b, (int) off + 4 * i);
            difat = (int) u32(b, (int) off + ss - 4);
        }
        // walk the directory chain through the FAT, reading 128-octet entries (MS-CFB §2.6.1)
        seen.clear();
        int sector = dirStart;
        for (int n = 0; n < MAX_SECTORS && sector >= 0 && sector != ENDOFCHAIN && seen.add(sector); n++) {
            long off = (long) (sector + 1) * ss;
            if (off + ss > b.length) break;
            for (int e = 0; e < ss / 128; e++) {
                int at = (int) off + e * 128;
                int nameLen = u16(b, at + 0x40); // octets, with the terminating zero
                int type = b[at + 0x42] & 0xFF; // 1 storage, 2 stream, 5 root
                if (nameLen < 2 || nameLen > 64 || (type != 1 && type != 2)) continue;
                String name = new String(b, at, nameLen - 2, java.nio.charset.StandardCharsets.UTF_16LE);
                String upper = name.toUpperCase(Locale.ROOT);
                if ((type == 1 && (upper.equals("VBA") || upper.equals("_VBA_PROJECT_CUR") || upper.equals("MACROS")))
                        || (type == 2 && upper.equals("_VBA_PROJECT"))) {
                    return name;
                }
            }
            sector = next(b, fatSectors, ss, sector);
        }
        return null;
    }

    private static int next(byte[] b, int[] fatSectors, int ss, int sector) {
        int perSector = ss / 4;
        int idx = sector / perSector;
        if (idx >= fatSectors.length || fatSectors[idx] < 0) return ENDOFCHAIN;
        long off = (long) (fatSectors[idx] + 1) * ss + 4L * (sector % perSector);
        if (off + 4 > b.length) return ENDOFCHAIN;
        return (int) u32(b, (int) off);
    }

    private static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) | (b[p + 1] & 0xFFL) << 8 | (b[p + 2] & 0xFFL) << 16 | (b[p + 3] & 0xFFL) << 24;
    }
}
