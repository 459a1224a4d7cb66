package dev.sealpost.auth.dmarc;

import dev.sealpost.message.ReportParts;

import java.io.IOException;
import java.io.InputStream;

/**
 * Finds the aggregate report in a report mail (RFC 7489 §7.2.1.1): the first MIME part that is
 * gzip, zip or XML (by media type or file name), decoded and decompressed.
 *
 * <p>The MIME reading is {@link ReportParts}, shared with TLS-RPT; bounded in size and depth;
 * untrusted input.
 */
public final class DmarcReportMail {
    /** Largest report mail read. */
    public static final int MAX_MAIL_BYTES = 48 * 1024 * 1024;
    private static final int MAX_DEPTH = 8;

    private DmarcReportMail() {}

    /** The report XML carried by the mail (decompressed). */
    public static byte[] extractXml(InputStream mail) throws IOException {
        byte[] raw = DmarcReportXml.readBounded(mail, MAX_MAIL_BYTES);
        byte[] part = ReportParts.find(raw, MAX_DEPTH, DmarcReportMail::isReport);
        if (part == null) throw new IOException("no report attachment found");
        return DmarcReportXml.decompress(part);
    }

    /** The report carried by the mail, parsed. */
    public static DmarcAggregateReport parse(InputStream mail) throws IOException {
        return DmarcReportXml.parse(new java.io.ByteArrayInputStream(extractXml(mail)));
    }

    /** A gzip, zip or XML part, by media type or file name. */
    private static boolean isReport(String type, String fn) {
        return switch (type) {
            case "application/gzip", "application/x-gzip", "application/zip", "application/x-zip-compressed",
                 "application/xml", "text/xml" -> true;
            default -> fn.endsWith(".xml.gz") || fn.endsWith(".xml") || fn.endsWith(".zip") || fn.endsWith(".gz");
        };
    }
}
