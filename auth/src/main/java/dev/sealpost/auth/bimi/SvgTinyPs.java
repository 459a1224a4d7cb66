package dev.sealpost.auth.bimi;

import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.DeclHandler;
import org.xml.sax.ext.DefaultHandler2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;

/**
 * The SVG Tiny Portable/Secure profile check for BIMI Indicators (draft-svg-tiny-ps-abrotman,
 * "SVG Tiny PS"; BIMI draft §8.6 "Indicator Validation" step 3): a restricted SVG Tiny 1.2 with
 * no scripts, no animation, no multimedia or raster images, no external references.
 *
 * <p>Security: the input is untrusted (fetched from a URL a sender's DNS names). It is parsed by
 * the JDK's SAX parser with secure processing on, no external DTD or entity loaded ever
 * (external entities and DTD loading off, {@code ACCESS_EXTERNAL_*} empty, an entity resolver
 * that refuses), every entity declaration rejected (no XXE, no "billion laughs"), and the
 * JDK's entity and element limits; depth and element count are bounded too. Nothing is fetched.
 *
 * <p>Leniency (decided): a {@code <!DOCTYPE svg PUBLIC ...>} without an internal subset is
 * accepted (editors still emit the SVG 1.1 one) but its DTD is never read.
 */
public final class SvgTinyPs {
    /** Largest Indicator accepted, in bytes (the BIMI SVG guidance's 32 KiB; BIMI draft §8.6 step 1 lets receivers choose). */
    public static final int MAX_BYTES = 32 * 1024;
    /** Deepest element nesting accepted. */
    public static final int MAX_DEPTH = 64;
    /** Most elements accepted. */
    public static final int MAX_ELEMENTS = 10_000;

    static final String SVG_NS = "http://www.w3.org/2000/svg";
    static final String XLINK_NS = "http://www.w3.org/1999/xlink";
    static final String XML_NS = "http://www.w3.org/XML/1998/namespace";

    // SVG Tiny PS: no scripting or event handling elements (SVG Tiny 1.2 script, handler, listener)
    private static final Set<String> SCRIPT = Set.of("script", "handler", "listener");
    // SVG Tiny PS: no animation (SVG Tiny 1.2 §19: animate, set, animateMotion, animateColor, animateTransform, discard, mpath)
    private static final Set<String> ANIMATION = Set.of("animate", "set", "animateMotion", "animateColor", "animateTransform", "discard", "mpath");
    // SVG Tiny PS: no multimedia, raster images, foreign content or links (SVG Tiny 1.2 image, audio, video, animation,
    // foreignObject, a, prefetch; HTML iframe); style is not an SVG Tiny 1.2 element (Tiny uses presentation attributes)
    private static final Set<String> EXTERNAL = Set.of("image", "audio", "video", "animation", "foreignObject", "a", "prefetch",
            "iframe", "style");

    private SvgTinyPs() {}

    /** The outcome of {@link #check}. */
    public sealed interface Result permits Valid, Invalid {}

    /** A conforming Indicator; {@code title} is the root's title text (for logs). */
    public record Valid(String title) implements Result {}

    /** Not a conforming Indicator, with the first reason found. */
    public record Invalid(String reason) implements Result {}

    /** Checks an (uncompressed) SVG document; never throws. */
    public static Result check(byte[] svg) {
        if (svg == null || svg.length == 0) return new Invalid("empty document");
        if (svg.length > MAX_BYTES) return new Invalid("larger than " + MAX_BYTES + " bytes"); // BIMI draft §8.6 step 1
        Checker checker = new Checker();
        try {
            XMLReader reader = newReader();
            reader.setContentHandler(checker);
            reader.setErrorHandler(checker);
            reader.setEntityResolver(checker);
            reader.setProperty("http://xml.org/sax/properties/declaration-handler", (DeclHandler) checker);
            reader.setProperty("http://xml.org/sax/properties/lexical-handler", checker);
            reader.parse(new InputSource(new ByteArrayInputStream(svg)));
        } catch (Rejected r) {
            return new Invalid(r.getMessage());
        } catch (SAXParseException e) {
            return new Invalid("not well-formed XML: line " + e.getLineNumber() + ": " + BimiRecord.clip(String.valueOf(e.getMessage())));
        } catch (SAXException | IOException | RuntimeException e) {
            return new Invalid("not parseable XML: " + BimiRecord.clip(String.valueOf(e.getMessage())));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks a required security feature", e);
        }
        if (!checker.rootSeen) return new Invalid("no root element");
        // SVG Tiny PS: the title element MUST be present (it names the brand)
        if (!checker.titleSeen) return new Invalid("no title element in the root svg element");
        return new Valid(checker.title.toString().strip());
    }

    /** Decompresses an SVGZ (gzip, RFC 1952) Indicator, bounded; other input is returned as it is. */
    public static byte[] gunzipIfCompressed(byte[] data, int maxBytes) throws IOException {
        // BIMI draft §6.3 / §8.10: an SVGZ Indicator is uncompressed before use
        if (data.length < 2 || (data[0] & 0xFF) != 0x1F || (data[1] & 0xFF) != 0x8B) return data;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            byte[] out = in.readNBytes(maxBytes + 1);
            if (out.length > maxBytes) throw new IOException("uncompressed SVGZ larger than " + maxBytes + " bytes");
            return out;
        }
    }

    private static XMLReader newReader() throws ParserConfigurationException, SAXException {
        SAXParserFactory f = SAXParserFactory.newInstance();
        f.setNamespaceAware(true);
        f.setValidating(false);
        f.setXIncludeAware(false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        XMLReader r = f.newSAXParser().getXMLReader();
        r.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        r.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return r;
    }

    /** A rule violation: ends the parse at once. */
    private static final class Rejected extends SAXException {
        Rejected(String reason) {
            super(reason);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private static final class Checker extends DefaultHandler2 {
        int depth;
        int elements;
        boolean rootSeen;
        boolean titleSeen;
        boolean inRootTitle;
        int metadataDepth = -1;
        final StringBuilder title = new StringBuilder();

        @Override
        public void startElement(String uri, String local, String qName, Attributes atts) throws SAXException {
            depth++;
            if (depth > MAX_DEPTH) throw new Rejected("elements nested deeper than " + MAX_DEPTH);
            if (++elements > MAX_ELEMENTS) throw new Rejected("more than " + MAX_ELEMENTS + " elements");
            boolean svgNs = SVG_NS.equals(uri);
            if (depth == 1) {
                rootSeen = true;
                // SVG Tiny PS: the root is an svg element in the SVG namespace ...
                if (!svgNs || !"svg".equals(local)) throw new Rejected("root element is not svg in " + SVG_NS);
                // ... with version="1.2" and baseProfile="tiny-ps"
                if (!"1.2".equals(atts.getValue("", "version"))) throw new Rejected("root svg has no version=\"1.2\"");
                if (!"tiny-ps".equals(atts.getValue("", "baseProfile"))) throw new Rejected("root svg has no baseProfile=\"tiny-ps\"");
                // SVG Tiny PS: x= and y= MUST NOT be used on the root svg element
                if (atts.getValue("", "x") != null || atts.getValue("", "y") != null) throw new Rejected("x= or y= on the root svg element");
            } else if (metadataDepth < 0) {
                // SVG Tiny PS admits only SVG Tiny elements; foreign markup only inside metadata
                if (!svgNs) throw new Rejected("element " + BimiRecord.clip(qName) + " outside the SVG namespace");
                if (SCRIPT.contains(local)) throw new Rejected("script element " + local);
                if (ANIMATION.contains(local)) throw new Rejected("animation element " + local);
                if (EXTERNAL.contains(local)) throw new Rejected("element " + local + " is not allowed in SVG Tiny PS");
                if ("metadata".equals(local)) metadataDepth = depth;
                if (depth == 2 && "title".equals(local)) {
                    titleSeen = true;
                    inRootTitle = true;
                }
            }
            checkAttributes(local, atts);
        }

        private void checkAttributes(String element, Attributes atts) throws Rejected {
            for (int i = 0; i < atts.getLength(); i++) {
                String ns = atts.getURI(i);
                String name = atts.getLocalName(i);
                String value = atts.getValue(i);
                // SVG Tiny PS: no scripting, so no event attributes (SVG Tiny 1.2 onclick, onload, ...; XML Events ev:event)
                if (name.length() > 2 && name.regionMatches(true, 0, "on", 0, 2)) throw new Rejected("event attribute " + BimiRecord.clip(name));
                if ("http://www.w3.org/2001/xml-events".equals(ns)) throw new Rejected("XML Events attribute " + BimiRecord.clip(name));
                // SVG Tiny PS: no external references: href / xlink:href only to a fragment of this document
                if ("href".equals(name) && (ns.isEmpty() || XLINK_NS.equals(ns))) {
                    if (!value.strip().startsWith("#")) throw new Rejected("external reference " + BimiRecord.clip(value) + " on " + element);
                }
                if (XML_NS.equals(ns) && "base".equals(name)) throw new Rejected("xml:base on " + element);
                // paint and other IRI references: url(#id) only
                String lower = value.toLowerCase(Locale.ROOT);
                int u = lower.indexOf("url(");
                while (u >= 0) {
                    String target = lower.substring(u + 4).stripLeading();
                    if (target.startsWith("'") || target.startsWith("\"")) target = target.substring(1);
                    if (!target.startsWith("#")) throw new Rejected("external url() reference in " + BimiRecord.clip(name));
                    u = lower.indexOf("url(", u + 4);
                }
            }
        }

        @Override
        public void endElement(String uri, String local, String qName) {
            if (depth == metadataDepth) metadataDepth = -1;
            if (depth == 2) inRootTitle = false;
            depth--;
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (inRootTitle && title.length() < 256) title.append(ch, start, Math.min(length, 256 - title.length()));
        }

        @Override
        public void processingInstruction(String target, String data) throws SAXException {
            // xml-stylesheet and friends would make the renderer fetch something
            throw new Rejected("processing instruction " + BimiRecord.clip(target));
        }

        @Override
        public void internalEntityDecl(String name, String value) throws SAXException {
            throw new Rejected("entity declaration " + BimiRecord.clip(name));
        }

        @Override
        public void externalEntityDecl(String name, String publicId, String systemId) throws SAXException {
            throw new Rejected("external entity declaration " + BimiRecord.clip(name));
        }

        @Override
        public void skippedEntity(String name) throws SAXException {
            // a reference to an entity declared nowhere we read (the external DTD is never loaded)
            throw new Rejected("reference to undeclared entity " + BimiRecord.clip(name));
        }

        @Override
        public void startDTD(String name, String publicId, String systemId) {
            // a DOCTYPE alone is tolerated; its external subset is never loaded (load-external-dtd off)
        }

        @Override
        public InputSource resolveEntity(String name, String publicId, String baseURI, String systemId) throws SAXException {
            throw new Rejected("external entity or DTD reference " + BimiRecord.clip(String.valueOf(systemId)));
        }

        @Override
        public InputSource getExternalSubset(String name, String baseURI) {
            return null;
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    }
}
