package dev.sealpost.filter.attach;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzz targets for the file-name checks (decoded names from untrusted headers) and the type
 * checks on content (magic, compound-file directory walk, PDF names): they never throw and their
 * results stay within bounds. Seeds: {@code src/test/resources/dev/sealpost/filter/attach/FileChecksFuzzTestInputs/}.
 */
class FileChecksFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void names(byte[] data) {
        String name = new String(data, StandardCharsets.UTF_8);
        String ext = FileNames.extension(name);
        ArchiveListerFuzzTest.check(!ext.contains("."), "extension with a dot: %s", ext);
        String dbl = FileNames.doubleExtension(name);
        if (dbl != null) {
            ArchiveListerFuzzTest.check(dbl.startsWith(".") && dbl.chars().filter(c -> c == '.').count() == 2, "double %s", dbl);
        }
        List<String> odd = FileNames.misleadingCharacters(name);
        ArchiveListerFuzzTest.check(odd.size() <= 8, "too many findings");
        String shown = FileNames.printable(name);
        ArchiveListerFuzzTest.check(shown.length() <= 140, "printable too long: %s", shown.length());
        ArchiveListerFuzzTest.check(shown.chars().noneMatch(c -> c == 0x202E || c == '\n'), "printable holds a control: %s", shown);
    }

    @FuzzTest(maxDuration = "30s")
    void types(byte[] data) {
        FileTypes.archiveFormat(data);
        FileTypes.dangerousMagic(data);
        FileTypes.detect(data);
        OfficeMacros.vbaStorage(data);
        byte[] cfb = new byte[8 + data.length];
        System.arraycopy(new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1}, 0, cfb, 0, 8);
        System.arraycopy(data, 0, cfb, 8, data.length);
        OfficeMacros.vbaStorage(cfb);
        ArchiveListerFuzzTest.check(PdfActions.find(data).size() <= 4, "pdf actions");
    }
}
