package dev.sealpost.filter.links;

import dev.sealpost.dns.PublicSuffixList;
import dev.sealpost.filter.FilterInput;
import dev.sealpost.filter.Hit;
import dev.sealpost.filter.spoof.LookalikeDomains;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LinkCheckTest {
    private static final PublicSuffixList PSL = PublicSuffixList.bundled();
    private final LinkCheck check = new LinkCheck(PSL, new LookalikeDomains(PSL, List.of("mybank.com")), List.of("short.example"));

    private List<Hit> html(String body) {
        String m = "From: a@b.example\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body + "\r\n";
        return check.run(FilterInput.offline(m.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void extractor() {
        List<Link> l = LinkExtractor.fromHtml("<p>x <A class=btn HREF=http://a.example/x?y=1&amp;z=2>Go <b>now</b></a> "
                + "<a title='t' href = \"https://b.example\">https://b.example</a><area href=http://c.example/>"
                + "<a name=anchor>no href</a>");
        assertThat(l).containsExactly(new Link("http://a.example/x?y=1&z=2", "Go now", true),
                new Link("https://b.example", "https://b.example", true), new Link("http://c.example/", "", true));
        assertThat(LinkExtractor.fromPlain("See https://a.example/p?q=1, or www.b.example. (http://c.example/x)"))
                .extracting(Link::href).containsExactly("https://a.example/p?q=1", "www.b.example", "http://c.example/x");
    }

    @Test
    void hosts() {
        assertThat(Urls.host("HTTP://user:pw@WWW.Example.COM.:8080/x")).isEqualTo("www.example.com");
        assertThat(Urls.host("https://mybank.com@evil.example/login")).isEqualTo("evil.example");
        assertThat(Urls.host("http:\\\\evil.example\\x")).isEqualTo("evil.example");
        assertThat(Urls.host("mailto:a@b.example")).isNull();
        assertThat(Urls.host("/relative")).isNull();
        assertThat(Urls.host("http://[::1]:80/")).isEqualTo("[::1]");
        assertThat(Urls.isIp("3232235777")).isTrue();
        assertThat(Urls.isIp("0xc0.0xa8.1.1")).isTrue();
        assertThat(Urls.isIp("10.0.0.1")).isTrue();
        assertThat(Urls.isIp("1.2.3.example")).isFalse();
    }

    @Test
    void phishingAndOtherLinks() {
        List<Hit> hits = html("<a href=\"http://evil.example/login\">https://www.mybank.com/login</a>");
        assertThat(hits).extracting(Hit::name).containsExactly("phishing_link");
        assertThat(hits.get(0).detail()).isEqualTo("shows www.mybank.com, goes to evil.example");
        assertThat(html("<a href=\"http://evil.example/\">Click here</a>")).isEmpty();
        assertThat(html("<a href=\"https://login.mybank.com/\">www.mybank.com</a>")).isEmpty();
        assertThat(html("<a href=\"http://192.168.1.1/x\">mybank.com</a>")).extracting(Hit::name).containsExactly("phishing_link", "ip_link");
        assertThat(html("<a href=\"https://bit.ly/abc\">more</a> <a href=https://short.example/x>x</a>"))
                .extracting(Hit::name).containsExactly("url_shortener");
        List<Hit> look = html("<a href=\"https://rnybank.com/\">sign in</a>");
        assertThat(look).extracting(Hit::name).containsExactly("lookalike_link");
        assertThat(look.get(0).detail()).contains("mybank.com");
        String plain = "From: a@b.example\r\n\r\nGo to http://10.1.2.3/pay now\r\n";
        assertThat(check.run(FilterInput.offline(plain.getBytes(StandardCharsets.US_ASCII)))).extracting(Hit::name).containsExactly("ip_link");
    }
}
