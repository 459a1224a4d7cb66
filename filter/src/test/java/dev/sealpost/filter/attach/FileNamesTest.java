package dev.sealpost.filter.attach;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FileNamesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "invoice.pdf.exe|.pdf.exe",
            "INVOICE.PDF.EXE|.pdf.exe",
            "photo.jpg.scr   .  |.jpg.scr",
            "name.scr.xz|.scr.xz",
            "f.zip.gz|-",
            "06.12.2017.gz|-",
            "06.12.2017.scr|-",
            "bad_ext.dotted_file_name.exe|-",
            "PDF417(3.2.4).msi|-",
            "PDF417[3.2.4].msi|-",
            "report.final.exe|-",
            "setup.exe|-",
            "f.zip.001|-",
            "archive.tar.gz|-",
            "a.doc.js|.doc.js"})
    void doubleExtensions(String name, String expected) {
        assertThat(FileNames.doubleExtension(name)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "invoice\u202Efdp.exe|U+202E",
            "a\u200Bb.txt|U+200B",
            "a\u2066b.txt|U+2066",
            "tab\tname|U+0009",
            "report.pdf          .exe|spaces"})
    void misleading(String name, String expected) {
        assertThat(FileNames.misleadingCharacters(name)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"normal name.pdf", "файл.txt", "日本語.docx", "a b c.pdf"})
    void notMisleading(String name) {
        assertThat(FileNames.misleadingCharacters(name)).isEmpty();
    }
}
