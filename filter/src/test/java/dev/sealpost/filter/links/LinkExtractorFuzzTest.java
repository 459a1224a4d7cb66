package dev.sealpost.filter.links;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sealpost.dns.PublicSuffixList;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzz target for the link extractor and the URL helpers (untrusted text/plain and text/html):
 * they never throw, return at most {@link LinkExtractor#MAX_LINKS} links of bounded size, and the
 * link check runs on whatever they return. Seeds: {@code src/test/resources/dev/sealpost/filter/links/LinkExtractorFuzzTestInputs/extract/}.
 */
class LinkExtractorFuzzTest {
    private static final LinkCheck CHECK = new LinkCheck(PublicSuffixList.bundled(), null, List.of());

    @FuzzTest(maxDuration = "60s")
    void extract(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        for (List<Link> links : List.of(LinkExtractor.fromHtml(text), LinkExtractor.fromPlain(text))) {
            check(links.size() <= LinkExtractor.MAX_LINKS, "too many links");
            for (Link l : links) {
                check(l.href().length() <= LinkExtractor.MAX_URL + 8, "href too long");
                check(l.text().length() <= LinkExtractor.MAX_URL, "text too long");
                Urls.host(l.href());
                check(Urls.embeddedTargets(l.href()).size() <= 16, "too many targets");
            }
            CHECK.check(links);
        }
        Urls.isIp(text);
        Urls.percentDecode(text);
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new AssertionError(message);
    }
}
