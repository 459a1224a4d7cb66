package dev.sealpost.auth.dmarc;

import dev.sealpost.auth.dmarc.DmarcAggregateReport.DkimResult;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.Identifiers;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.Metadata;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.PolicyPublished;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.Reason;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.Record;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.Row;
import dev.sealpost.auth.dmarc.DmarcAggregateReport.SpfResult;
import dev.sealpost.auth.dmarc.DmarcRecord.Alignment;
import dev.sealpost.auth.dmarc.DmarcRecord.Policy;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * DMARC aggregate report XML (RFC 7489 Appendix C): writing ours, parsing anyone's, and the
 * transport conventions of RFC 7489 §7.2.1.1 (gzip, file name, subject).
 *
 * <p>Security: parsing takes untrusted input. DTDs are refused (no external entities, no entity
 * expansion: XXE and "billion laughs" are impossible), input and decompressed sizes are bounded
 * ({@link #MAX_XML_BYTES}), unknown elements are ignored.
 */
public final class DmarcReportXml {
    /** Largest report XML accepted, after decompression (a large provider's daily report is a few MB). */
    public static final int MAX_XML_BYTES = 32 * 1024 * 1024;
    /** Most records read from one report. */
    public static final int MAX_RECORDS = 200_000;

    private DmarcReportXml() {}

    // -------------------------------------------------------------------------------- writing

    /** The report as UTF-8 XML (Appendix C element order; {@code version} 1.0 unless the model says otherwise). */
    public static byte[] write(DmarcAggregateReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("feedback");
            text(w, "version", report.version() != null ? report.version() : "1.0");
            Metadata m = report.metadata();
            w.writeStartElement("report_metadata");
            text(w, "org_name", m.orgName());
            text(w, "email", m.email());
            text(w, "extra_contact_info", m.extraContactInfo());
            text(w, "report_id", m.reportId());
            w.writeStartElement("date_range");
            text(w, "begin", Long.toString(m.begin()));
            text(w, "end", Long.toString(m.end()));
            w.writeEndElement();
            for (String e : m.errors()) text(w, "error", e);
            text(w, "generator", m.generator());
            w.writeEndElement();
            PolicyPublished p = report.policy();
            w.writeStartElement("policy_published");
            text(w, "domain", p.domain());
            text(w, "adkim", p.adkim() == null ? null : p.adkim().keyword());
            text(w, "aspf", p.aspf() == null ? null : p.aspf().keyword());
            text(w, "p", p.p() == null ? null : p.p().keyword());
            text(w, "sp", p.sp() == null ? null : p.sp().keyword());
            text(w, "np", p.np() == null ? null : p.np().keyword());
            text(w, "pct", p.pct() == null ? null : p.pct().toString());
            text(w, "fo", p.fo());
            w.writeEndElement();
            for (Record r : report.records()) {
                w.writeStartElement("record");
                Row row = r.row();
                w.writeStartElement("row");
                text(w, "source_ip", row.sourceIp());
                text(w, "count", Long.toString(row.count()));
                w.writeStartElement("policy_evaluated");
                text(w, "disposition", row.disposition());
                text(w, "dkim", row.dkim());
                text(w, "spf", row.spf());
                for (Reason reason : row.reasons()) {
                    w.writeStartElement("reason");
                    text(w, "type", reason.type());
                    text(w, "comment", reason.comment());
                    w.writeEndElement();
                }
                w.writeEndElement();
                w.writeEndElement();
                Identifiers ids = r.identifiers();
                w.writeStartElement("identifiers");
                text(w, "envelope_to", ids.envelopeTo());
                text(w, "envelope_from", ids.envelopeFrom());
                text(w, "header_from", ids.headerFrom());
                w.writeEndElement();
                w.writeStartElement("auth_results");
                for (DkimResult d : r.dkim()) {
                    w.writeStartElement("dkim");
                    text(w, "domain", d.domain());
                    text(w, "selector", d.selector());
                    text(w, "result", d.result());
                    text(w, "human_result", d.humanResult());
                    w.writeEndElement();
                }
                for (SpfResult s : r.spf()) {
                    w.writeStartElement("spf");
                    text(w, "domain", s.domain());
                    text(w, "scope", s.scope());
                    text(w, "result", s.result());
                    w.writeEndElement();
                }
                w.writeEndElement();
                w.writeEndElement();
            }
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing a DMARC report", e);
        }
        return out.toByteArray();
    }

    private static void text(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        if (value == null) return;
        w.writeStartElement(name);
        w.writeCharacters(xmlSafe(value));
        w.writeEndElement();
    }

    /** XML 1.0 cannot carry most control characters: they become U+FFFD. */
    private static String xmlSafe(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF;
            if (bad && b == null) b = new StringBuilder(s.substring(0, i));
            if (b != null) b.append(bad ? '\uFFFD' : c);
        }
        return b == null ? s : b.toString();
    }

    /** gzip, the RFC 7489 §7.2.1.1 compression for report attachments. */
    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The attachment file name (RFC 7489 §7.2.1.1): {@code receiver "!" policy-domain "!" begin "!" end [ "!" unique-id ] "." ext},
     * ext {@code xml.gz} when gzipped, else {@code xml}.
     */
    public static String filename(String receiverDomain, String policyDomain, long begin, long end, String uniqueId, boolean gzipped) {
        StringBuilder b = new StringBuilder().append(receiverDomain).append('!').append(policyDomain)
                .append('!').append(begin).append('!').append(end);
        if (uniqueId != null && !uniqueId.isEmpty()) b.append('!').append(uniqueId);
        return b.append(gzipped ? ".xml.gz" : ".xml").toString();
    }

    /** The report mail's subject (RFC 7489 §7.2.1.1): {@code Report Domain: <policy> Submitter: <receiver> Report-ID: <id>}. */
    public static String subject(String policyDomain, String receiverDomain, String reportId) {
        return "Report Domain: " + policyDomain + " Submitter: " + receiverDomain + " Report-ID: <" + reportId + ">";
    }

    // -------------------------------------------------------------------------------- parsing

    /**
     * Parses a report: plain XML, gzip or zip (the first {@code .xml} entry), detected by content.
     *
     * @throws IOException for unreadable, oversized, non-XML or non-report input
     */
    public static DmarcAggregateReport parse(InputStream in) throws IOException {
        byte[] raw = readBounded(in, MAX_XML_BYTES);
        return parseXml(decompress(raw));
    }

    /** Undoes gzip or zip (by magic number), bounded by {@link #MAX_XML_BYTES}; anything else is returned as is. */
    public static byte[] decompress(byte[] data) throws IOException {
        if (data.length >= 2 && (data[0] & 0xFF) == 0x1F && (data[1] & 0xFF) == 0x8B) {
            try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(data))) {
                return readBounded(gz, MAX_XML_BYTES);
            }
        }
        if (data.length >= 4 && data[0] == 'P' && data[1] == 'K' && data[2] == 3 && data[3] == 4) {
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(data))) {
                ZipEntry e;
                int entries = 0;
                while ((e = zip.getNextEntry()) != null && entries++ < 100) {
                    if (!e.isDirectory() && e.getName().toLowerCase(Locale.ROOT).endsWith(".xml")) return readBounded(zip, MAX_XML_BYTES);
                }
            }
            throw new IOException("zip archive without an .xml entry");
        }
        return data;
    }

    static byte[] readBounded(InputStream in, int max) throws IOException {
        byte[] b = in.readNBytes(max + 1);
        if (b.length > max) throw new IOException("report larger than " + max + " bytes");
        return b;
    }

    private static DmarcAggregateReport parseXml(byte[] xml) throws IOException {
        Document doc;
        try {
            doc = secureBuilder().parse(new ByteArrayInputStream(xml));
        } catch (SAXException e) {
            throw new IOException("not well-formed XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!"feedback".equals(name(root))) throw new IOException("root element is not <feedback>");
        Element md = child(root, "report_metadata");
        Element pp = child(root, "policy_published");
        if (md == null || pp == null) throw new IOException("report without report_metadata or policy_published");
        Element range = child(md, "date_range");
        List<String> errors = new ArrayList<>();
        for (Element e : children(md, "error")) errors.add(e.getTextContent().strip());
        Metadata metadata = new Metadata(text(md, "org_name"), text(md, "email"), text(md, "extra_contact_info"),
                text(md, "report_id"), range == null ? 0 : number(range, "begin"), range == null ? 0 : number(range, "end"),
                errors, text(md, "generator"));
        PolicyPublished policy = new PolicyPublished(text(pp, "domain"), alignment(text(pp, "adkim")), alignment(text(pp, "aspf")),
                policy(text(pp, "p")), policy(text(pp, "sp")), policy(text(pp, "np")),
                text(pp, "pct") == null ? null : (int) Math.min(Integer.MAX_VALUE, number(pp, "pct")), text(pp, "fo"));
        List<Record> records = new ArrayList<>();
        for (Element rec : children(root, "record")) {
            if (records.size() >= MAX_RECORDS) throw new IOException("more than " + MAX_RECORDS + " records");
            Element row = child(rec, "row");
            if (row == null) throw new IOException("record without row");
            Element pe = child(row, "policy_evaluated");
            List<Reason> reasons = new ArrayList<>();
            if (pe != null) for (Element r : children(pe, "reason")) reasons.add(new Reason(lower(text(r, "type")), text(r, "comment")));
            Row r = new Row(text(row, "source_ip"), number(row, "count"),
                    pe == null ? null : lower(text(pe, "disposition")), pe == null ? null : lower(text(pe, "dkim")),
                    pe == null ? null : lower(text(pe, "spf")), reasons);
            Element ids = child(rec, "identifiers");
            Identifiers identifiers = ids == null ? new Identifiers(null, null, null)
                    : new Identifiers(text(ids, "envelope_to"), text(ids, "envelope_from"), text(ids, "header_from"));
            Element ar = child(rec, "auth_results");
            List<DkimResult> dkim = new ArrayList<>();
            List<SpfResult> spf = new ArrayList<>();
            if (ar != null) {
                for (Element d : children(ar, "dkim")) {
                    dkim.add(new DkimResult(text(d, "domain"), text(d, "selector"), lower(text(d, "result")), text(d, "human_result")));
                }
                for (Element s : children(ar, "spf")) spf.add(new SpfResult(text(s, "domain"), lower(text(s, "scope")), lower(text(s, "result"))));
            }
            records.add(new Record(r, identifiers, dkim, spf));
        }
        return new DmarcAggregateReport(text(root, "version"), metadata, policy, records);
    }

    /** A DOM builder that refuses DTDs, so no entity, external or internal, is ever resolved. */
    private static DocumentBuilder secureBuilder() throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true); // DMARCbis reports carry xmlns="urn:ietf:params:xml:ns:dmarc-2.0": match local names
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.ErrorHandler() {
                @Override public void warning(org.xml.sax.SAXParseException e) { }
                @Override public void error(org.xml.sax.SAXParseException e) throws SAXException { throw e; }
                @Override public void fatalError(org.xml.sax.SAXParseException e) throws SAXException { throw e; }
            });
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IOException("XML parser configuration", e);
        }
    }

    private static String name(Node n) {
        return n.getLocalName() != null ? n.getLocalName() : n.getNodeName();
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(name(e))) return e;
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(name(e))) out.add(e);
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) return null;
        String t = e.getTextContent().strip();
        return t.isEmpty() ? null : t;
    }

    private static long number(Element parent, String name) throws IOException {
        String t = text(parent, name);
        if (t == null) throw new IOException("missing <" + name + ">");
        try {
            long v = Long.parseLong(t);
            if (v < 0) throw new IOException("negative <" + name + ">");
            return v;
        } catch (NumberFormatException e) {
            throw new IOException("bad number in <" + name + ">: " + DmarcRecord.clip(t));
        }
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static Alignment alignment(String s) {
        if (s == null) return null;
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "r", "relaxed" -> Alignment.RELAXED;
            case "s", "strict" -> Alignment.STRICT;
            default -> null;
        };
    }

    private static Policy policy(String s) {
        return s == null ? null : Policy.parse(s);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
