package dev.sealpost.filter.attach;

import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.Hit;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AttachmentCheckTest {
    private final AttachmentCheck check = new AttachmentCheck(AttachmentCheck.Settings.defaults());

    private List<Hit> run(String type, String disposition, byte[] body) {
        return check.run(FilterInput.offline(Archives.message(type, disposition, body)));
    }

    private static List<String> names(List<Hit> hits) {
        return hits.stream().map(Hit::name).toList();
    }

    @Test
    void rightToLeftOverrideInAnRfc2231Name() {
        List<Hit> hits = run("application/pdf", "attachment; filename*=UTF-8''invoice%E2%80%AEcod.pdf", "%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(names(hits)).contains("misleading_file_name");
        assertThat(hits.stream().filter(h -> h.name().equals("misleading_file_name")).findFirst().orElseThrow().detail())
                .contains("U+202E").contains("invoice<U+202E>cod.pdf");
    }

    @Test
    void executableDisguisedAsPdf() {
        byte[] pe = new byte[128];
        pe[0] = 'M';
        pe[1] = 'Z';
        List<Hit> hits = run("application/pdf", "attachment; filename=\"report.pdf\"", pe);
        assertThat(hits).anySatisfy(h -> {
            assertThat(h.name()).isEqualTo("dangerous_attachment");
            assertThat(h.detail()).contains("executable (PE) named .pdf");
        });
    }

    @Test
    void harmlessAttachmentHasNoHits() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};
        assertThat(run("image/png", "attachment; filename=\"photo.png\"", png)).isEmpty();
        assertThat(run("application/pdf", "attachment; filename=\"2024.06.12.report.pdf\"", "%PDF-1.7\n1 0 obj<</Type/Catalog>>".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void typeMismatch() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 'I', 'H', 'D', 'R'};
        List<Hit> hits = run("application/pdf", "attachment; filename=\"scan.pdf\"", png);
        assertThat(names(hits)).containsExactly("attachment_type_mismatch");
        assertThat(hits.get(0).detail()).contains("image/png").contains("declared application/pdf").contains("named .pdf");
    }

    @Test
    void ooxmlMacrosAndPdfActions() {
        Map<String, byte[]> docm = new LinkedHashMap<>();
        docm.put("[Content_Types].xml", "<Types/>".getBytes(StandardCharsets.US_ASCII));
        docm.put("word/document.xml", "<w:document/>".getBytes(StandardCharsets.US_ASCII));
        docm.put("word/vbaProject.bin", new byte[16]);
        assertThat(names(run("application/vnd.ms-word.document.macroEnabled.12", "attachment; filename=\"a.docm\"", Archives.zip(docm))))
                .contains("office_macro").doesNotContain("dangerous_attachment");
        byte[] pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction 2 0 R>>endobj 2 0 obj<</S/J#61vaScript/JS(app.alert(1))>>endobj"
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(names(run("application/pdf", "attachment; filename=\"a.pdf\"", pdf))).containsExactly("pdf_javascript", "pdf_open_action");
        byte[] launch = "%PDF-1.4\n<</S/Launch/F(cmd.exe)>>".getBytes(StandardCharsets.US_ASCII);
        assertThat(names(run("application/pdf", "attachment; filename=\"b.pdf\"", launch))).containsExactly("pdf_launch");
    }

    @Test
    void pdfActionsInsideACompressedObjectStream() {
        java.util.zip.Deflater d = new java.util.zip.Deflater();
        d.setInput("1 0 obj <</Type/Action/S/JavaScript/JS(app.launchURL('http://x.example'))>> endobj".getBytes(StandardCharsets.US_ASCII));
        d.finish();
        byte[] z = new byte[512];
        int n = d.deflate(z);
        d.end();
        java.io.ByteArrayOutputStream pdf = new java.io.ByteArrayOutputStream();
        pdf.writeBytes("%PDF-1.5\n2 0 obj <</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length ".getBytes(StandardCharsets.US_ASCII));
        pdf.writeBytes((n + ">>\nstream\r\n").getBytes(StandardCharsets.US_ASCII));
        pdf.write(z, 0, n);
        pdf.writeBytes("\nendstream\nendobj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(PdfActions.find(pdf.toByteArray())).containsExactly("JavaScript");
        assertThat(PdfActions.find("%PDF-1.4\nstream\r\nnot zlib\nendstream".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }

    @Test
    void oleVbaStorageFoundInTheCompoundFileDirectory() {
        byte[] doc = compoundFile("VBA");
        assertThat(OfficeMacros.vbaStorage(doc)).isEqualTo("VBA");
        assertThat(OfficeMacros.vbaStorage(compoundFile("WordDocument"))).isNull();
        List<Hit> hits = run("application/msword", "attachment; filename=\"a.doc\"", doc);
        assertThat(names(hits)).contains("office_macro");
        // the same file inside a zip
        assertThat(names(run("application/zip", "attachment; filename=\"a.zip\"", Archives.zip("a.doc", doc)))).contains("office_macro");
    }

    /** A minimal MS-CFB file: 512-octet sectors, FAT in sector 0, directory in sector 1 (root + one storage). */
    static byte[] compoundFile(String storage) {
        ByteBuffer b = ByteBuffer.allocate(512 * 3).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1});
        b.putShort(0x18, (short) 0x3E).putShort(0x1A, (short) 3).putShort(0x1C, (short) 0xFFFE);
        b.putShort(0x1E, (short) 9).putShort(0x20, (short) 6);
        b.putInt(0x2C, 1); // one FAT sector
        b.putInt(0x30, 1); // directory starts in sector 1
        b.putInt(0x38, 4096);
        b.putInt(0x3C, -2).putInt(0x40, 0).putInt(0x44, -2).putInt(0x48, 0);
        b.putInt(0x4C, 0); // DIFAT[0]: the FAT is sector 0
        for (int i = 1; i < 109; i++) b.putInt(0x4C + 4 * i, -1);
        int fat = 512;
        b.putInt(fat, -3); // sector 0: FATSECT
        b.putInt(fat + 4, -2); // sector 1: end of chain
        for (int i = 2; i < 128; i++) b.putInt(fat + 4 * i, -1);
        int dir = 1024;
        entry(b, dir, "Root Entry", 5);
        entry(b, dir + 128, storage, 1);
        return b.array();
    }

    private static void entry(ByteBuffer b, int at, String name, int type) {
        byte[] n = name.getBytes(StandardCharsets.UTF_16LE);
        b.put(at, n);
        b.putShort(at + 0x40, (short) (n.length + 2));
        b.put(at + 0x42, (byte) type);
    }
}
