package dev.sealpost.auth.bimi;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

class SvgTinyPsTest {
    static final String OPEN = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.2\" baseProfile=\"tiny-ps\" viewBox=\"0 0 100 100\">";
    static final String VALID = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + OPEN
            + "<title>Example Brand</title><desc>logo</desc>"
            + "<defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#f00\"/></linearGradient><path id=\"p\" d=\"M0 0h10v10z\"/></defs>"
            + "<rect width=\"100\" height=\"100\" fill=\"url(#g)\"/><use xlink:href=\"#p\"/><circle cx=\"50\" cy=\"50\" r=\"40\" fill=\"#fff\"/></svg>";

    static HttpServer server;
    static final AtomicInteger requests = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            byte[] body = "<!ENTITY leak 'secret'>".getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    static SvgTinyPs.Result check(String svg) {
        return SvgTinyPs.check(svg.getBytes(StandardCharsets.UTF_8));
    }

    static String local() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/x";
    }

    @Test
    void validIndicator() {
        assertThat(check(VALID)).isEqualTo(new SvgTinyPs.Valid("Example Brand"));
        // a DOCTYPE without internal subset is tolerated, its DTD never read
        String withDoctype = "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"" + local() + "\">" + VALID.substring(VALID.indexOf('\n') + 1);
        assertThat(check(withDoctype)).isInstanceOf(SvgTinyPs.Valid.class);
        // metadata may hold foreign markup (RDF)
        assertThat(check(OPEN + "<title>t</title><metadata><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/></metadata></svg>"))
                .isInstanceOf(SvgTinyPs.Valid.class);
        assertThat(requests).hasValue(0);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            <title>t</title><script>alert(1)</script>                              | script element
            <title>t</title><rect><animate attributeName="x" to="5"/></rect>        | animation element animate
            <title>t</title><set attributeName="fill" to="red"/>                    | animation element set
            <title>t</title><animateMotion path="M0 0"/>                            | animation element animateMotion
            <title>t</title><image xlink:href="#i"/>                                | element image
            <title>t</title><foreignObject/>                                        | element foreignObject
            <title>t</title><a xlink:href="#x"><rect/></a>                          | element a
            <title>t</title><style>rect {fill:red}</style>                          | element style
            <title>t</title><use xlink:href="https://evil.example/x.svg#a"/>        | external reference
            <title>t</title><use href="other.svg#a"/>                               | external reference
            <title>t</title><rect fill="url(https://evil.example/p.svg#g)"/>        | external url()
            <title>t</title><rect onclick="alert(1)"/>                              | event attribute onclick
            <title>t</title><rect xml:base="https://evil.example/"/>                | xml:base
            <title>t</title><html:p xmlns:html="http://www.w3.org/1999/xhtml"/>     | outside the SVG namespace
            <desc>no title</desc>                                                   | no title element
            """)
    void invalidContent(String inner, String reason) {
        assertThat(check(OPEN + inner + "</svg>")).isInstanceOfSatisfying(SvgTinyPs.Invalid.class, i -> assertThat(i.reason()).contains(reason));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            <svg xmlns="http://www.w3.org/2000/svg" version="1.2"><title>t</title></svg>                                      | baseProfile
            <svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny"><title>t</title></svg>                   | baseProfile
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" baseProfile="tiny-ps"><title>t</title></svg>                | version
            <svg version="1.2" baseProfile="tiny-ps"><title>t</title></svg>                                                   | root element is not svg
            <svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" x="0" y="0"><title>t</title></svg>    | x= or y=
            <svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" onload="x()"><title>t</title></svg>   | event attribute
            <svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps"><title>t</title>                      | not well-formed
            <?xml-stylesheet href="https://evil.example/s.css"?><svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps"><title>t</title></svg> | processing instruction
            """)
    void invalidRoot(String svg, String reason) {
        assertThat(check(svg)).isInstanceOfSatisfying(SvgTinyPs.Invalid.class, i -> assertThat(i.reason()).contains(reason));
    }

    @Test
    void xxeIsRejectedWithoutFetching() {
        String[] attacks = {
                "<!DOCTYPE svg [<!ENTITY xxe SYSTEM \"" + local() + "\">]>" + OPEN + "<title>&xxe;</title></svg>",
                "<!DOCTYPE svg [<!ENTITY % p SYSTEM \"" + local() + "\"> %p;]>" + OPEN + "<title>t</title></svg>",
                "<!DOCTYPE svg SYSTEM \"" + local() + "\">" + OPEN + "<title>&leak;</title></svg>",
                "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>" + OPEN + "<title>&b;</title></svg>",
        };
        for (String a : attacks) assertThat(check(a)).as(a).isInstanceOf(SvgTinyPs.Invalid.class);
        assertThat(requests).as("nothing fetched").hasValue(0);
    }

    @Test
    void sizeAndDepthBounded() {
        String pad = "<!--" + "x".repeat(SvgTinyPs.MAX_BYTES) + "-->";
        assertThat(check(OPEN + "<title>t</title>" + pad + "</svg>")).isInstanceOfSatisfying(SvgTinyPs.Invalid.class,
                i -> assertThat(i.reason()).contains("larger than"));
        String deep = "<g>".repeat(100) + "</g>".repeat(100);
        assertThat(check(OPEN + "<title>t</title>" + deep + "</svg>")).isInstanceOfSatisfying(SvgTinyPs.Invalid.class,
                i -> assertThat(i.reason()).contains("deeper"));
        assertThat(SvgTinyPs.check(new byte[0])).isInstanceOf(SvgTinyPs.Invalid.class);
        assertThat(SvgTinyPs.check(new byte[] {(byte) 0xFF, 0, 1})).isInstanceOf(SvgTinyPs.Invalid.class);
    }

    @Test
    void svgzIsUncompressedBounded() throws IOException {
        byte[] svg = VALID.getBytes(StandardCharsets.UTF_8);
        assertThat(SvgTinyPs.gunzipIfCompressed(BimiTestCerts.gzip(svg), SvgTinyPs.MAX_BYTES)).isEqualTo(svg);
        assertThat(SvgTinyPs.gunzipIfCompressed(svg, SvgTinyPs.MAX_BYTES)).isSameAs(svg);
        byte[] bomb = BimiTestCerts.gzip(new byte[10 * SvgTinyPs.MAX_BYTES]);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SvgTinyPs.gunzipIfCompressed(bomb, SvgTinyPs.MAX_BYTES))
                .isInstanceOf(IOException.class).hasMessageContaining("larger than");
    }
}
