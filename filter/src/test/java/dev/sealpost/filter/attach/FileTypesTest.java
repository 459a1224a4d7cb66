package dev.sealpost.filter.attach;

import org.apache.tika.mime.MediaType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The type comparison must not call everyday attachments mismatched (false positives cost trust). */
class FileTypesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "application/x-tika-msoffice|application/msword|a.doc",
            "application/x-tika-msoffice|application/vnd.ms-excel|a.xls",
            "application/x-tika-msoffice|application/vnd.ms-outlook|a.msg",
            "application/zip|application/vnd.openxmlformats-officedocument.wordprocessingml.document|a.docx",
            "application/zip|application/vnd.openxmlformats-officedocument.spreadsheetml.sheet|a.xlsx",
            "application/zip|application/vnd.oasis.opendocument.text|a.odt",
            "application/zip|application/x-zip-compressed|a.zip",
            "image/jpeg|image/jpg|a.jpg",
            "image/jpeg|image/pjpeg|a.jpeg",
            "application/pdf|application/octet-stream|a.pdf",
            "application/pdf|application/x-pdf|a.pdf",
            "application/gzip|application/x-gzip|a.tgz",
            "image/png|image/png|a.png"})
    void everydayAttachmentsAreConsistent(String detected, String declared, String name) {
        MediaType d = MediaType.parse(detected);
        assertThat(FileTypes.consistent(d, MediaType.parse(declared))).as("declared").isTrue();
        assertThat(FileTypes.consistent(d, FileTypes.byName(name))).as("named " + name).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"image/png|application/pdf", "application/zip|application/pdf", "application/x-rar-compressed|application/gzip"})
    void realMismatches(String detected, String declared) {
        assertThat(FileTypes.consistent(MediaType.parse(detected), MediaType.parse(declared))).isFalse();
    }
}
