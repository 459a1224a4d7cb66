package dev.sealpost.auth.dmarc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.sealpost.testkit.SharedSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DmarcReportXmlTest {
    static final Path SAMPLES = SharedSuite.path("dmarc/stalwart-reports");

    static DmarcAggregateReport sample() {
        return new DmarcAggregateReport("1.0",
                new Metadata("Sealpost <test> & co", "dmarc-reports@mx.sealpost.example", "https://sealpost.example/dmarc",
                        "mx.sealpost.example!example.com!1767225600", 1767225600L, 1767311999L, List.of("one error"), "sealpost"),
                PolicyPublished.of("example.com", DmarcRecordTest.valid("v=DMARC1; p=reject; sp=quarantine; np=reject; pct=50; adkim=s; fo=1:d")),
                List.of(new Record(new Row("192.0.2.1", 12, "quarantine", "fail", "pass", List.of(new Reason("sampled_out", null))),
                                new Identifiers("mx.sealpost.example", "bounce.example.com", "example.com"),
                                List.of(new DkimResult("example.com", "sel", "fail", "bad signature")),
                                List.of(new SpfResult("bounce.example.com", "mfrom", "pass"))),
                        new Record(new Row("2001:db8::1", 3, "none", "pass", "fail", List.of()),
                                new Identifiers(null, null, "example.com"),
                                List.of(), List.of(new SpfResult("helo.example.net", "helo", "softfail")))));
    }

    @Test
    void writesThenParsesBack() throws IOException {
        DmarcAggregateReport r = sample();
        byte[] xml = DmarcReportXml.write(r);
        String text = new String(xml, StandardCharsets.UTF_8);
        assertThat(text).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").contains("<feedback><version>1.0</version><report_metadata>")
                .contains("<org_name>Sealpost &lt;test&gt; &amp; co</org_name>")
                .contains("<policy_published><domain>example.com</domain><adkim>s</adkim><aspf>r</aspf><p>reject</p><sp>quarantine</sp><np>reject</np><pct>50</pct><fo>1:d</fo></policy_published>");
        assertThat(DmarcReportXml.parse(new ByteArrayInputStream(xml))).isEqualTo(r);
        // gzip travels too
        byte[] gz = DmarcReportXml.gzip(xml);
        assertThat(gz[0] & 0xFF).isEqualTo(0x1F);
        assertThat(DmarcReportXml.parse(new ByteArrayInputStream(gz))).isEqualTo(r);
        assertThat(DmarcReportXml.filename("mx.sealpost.example", "example.com", 1767225600L, 1767311999L, null, true))
                .isEqualTo("mx.sealpost.example!example.com!1767225600!1767311999.xml.gz");
        assertThat(DmarcReportXml.filename("a.example", "b.example", 1, 2, "u1", false)).isEqualTo("a.example!b.example!1!2!u1.xml");
        assertThat(DmarcReportXml.subject("example.com", "mx.sealpost.example", "42"))
                .isEqualTo("Report Domain: example.com Submitter: mx.sealpost.example Report-ID: <42>");
    }

    @Test
    void refusesDtdsAndEntities() throws IOException {
        Path secret = Files.createTempFile("secret", ".txt");
        Files.writeString(secret, "TOPSECRET");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<feedback><report_metadata><org_name>&x;</org_name></report_metadata><policy_published/></feedback>";
        assertThatThrownBy(() -> DmarcReportXml.parse(new ByteArrayInputStream(xxe.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class).hasMessageNotContaining("TOPSECRET");
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE f [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><feedback>&b;</feedback>";
        assertThatThrownBy(() -> DmarcReportXml.parse(new ByteArrayInputStream(laughs.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class);
        Files.delete(secret);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not xml", "<other/>", "<feedback/>", "<feedback><report_metadata/><policy_published/><record/></feedback>",
            "<feedback><report_metadata><date_range><begin>x</begin><end>1</end></date_range></report_metadata><policy_published/></feedback>"})
    void rejectsNonReports(String xml) {
        assertThatThrownBy(() -> DmarcReportXml.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void boundedDecompression() {
        byte[] bomb = DmarcReportXml.gzip(new byte[DmarcReportXml.MAX_XML_BYTES + 1]);
        assertThatThrownBy(() -> DmarcReportXml.parse(new ByteArrayInputStream(bomb))).isInstanceOf(IOException.class).hasMessageContaining("larger");
    }

    /** The stalwart samples: each NNN.xml parses and matches the values of its NNN.json. */
    @ParameterizedTest
    @ValueSource(strings = {"001", "002", "003", "004", "005"})
    void stalwartXmlSamples(String name) throws IOException {
        DmarcAggregateReport r;
        try (InputStream in = Files.newInputStream(SAMPLES.resolve(name + ".xml"))) {
            r = DmarcReportXml.parse(in);
        }
        assertMatches(r, new ObjectMapper().readTree(SAMPLES.resolve(name + ".json").toFile()));
    }

    /** The report mails: the attachment (zip or gzip, base64) is found, and matches 1NN.json. */
    @ParameterizedTest
    @ValueSource(strings = {"100", "101", "102", "103", "104"})
    void stalwartMailSamples(String name) throws IOException {
        DmarcAggregateReport r;
        try (InputStream in = Files.newInputStream(SAMPLES.resolve(name + ".eml"))) {
            r = DmarcReportMail.parse(in);
        }
        assertMatches(r, new ObjectMapper().readTree(SAMPLES.resolve(name + ".json").toFile()));
    }

    @Test
    void sampleCount() throws IOException {
        try (var files = Files.list(SAMPLES)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".xml") || f.endsWith(".eml")).count()).isEqualTo(10);
        }
    }

    static void assertMatches(DmarcAggregateReport r, JsonNode j) {
        JsonNode md = j.get("report_metadata");
        assertThat(r.metadata().orgName()).isEqualTo(md.get("org_name").asText());
        assertThat(r.metadata().email()).isEqualTo(md.get("email").asText());
        assertThat(r.metadata().extraContactInfo()).isEqualTo(str(md.get("extra_contact_info")));
        assertThat(r.metadata().reportId()).isEqualTo(md.get("report_id").asText());
        assertThat(r.metadata().begin()).isEqualTo(md.get("date_range").get("begin").asLong());
        assertThat(r.metadata().end()).isEqualTo(md.get("date_range").get("end").asLong());
        assertThat(r.metadata().generator()).isEqualTo(str(md.get("generator")));
        if (r.version() != null) assertThat(Double.parseDouble(r.version())).isEqualTo(j.get("version").asDouble());
        JsonNode pp = j.get("policy_published");
        assertThat(r.policy().domain()).isEqualTo(pp.get("domain").asText());
        assertThat(r.policy().p()).isEqualTo(policy(pp.get("p")));
        assertThat(r.policy().sp()).isEqualTo(policy(pp.get("sp")));
        assertThat(r.policy().np()).isEqualTo(policy(pp.get("np")));
        assertThat(r.policy().adkim()).isEqualTo(alignment(pp.get("adkim")));
        assertThat(r.policy().aspf()).isEqualTo(alignment(pp.get("aspf")));
        assertThat(r.policy().fo()).isEqualTo(str(pp.get("fo")));
        JsonNode recs = j.get("record");
        assertThat(r.records()).hasSize(recs.size());
        for (int i = 0; i < recs.size(); i++) {
            Record rec = r.records().get(i);
            JsonNode jr = recs.get(i), row = jr.get("row"), pe = row.get("policy_evaluated");
            assertThat(rec.row().sourceIp()).isEqualTo(row.get("source_ip").asText());
            assertThat(rec.row().count()).isEqualTo(row.get("count").asLong());
            assertThat(rec.row().disposition()).isEqualTo(enumText(pe.get("disposition")));
            assertThat(rec.row().dkim()).isEqualTo(enumText(pe.get("dkim")));
            assertThat(rec.row().spf()).isEqualTo(enumText(pe.get("spf")));
            assertThat(rec.row().reasons()).hasSize(pe.get("reason").size());
            for (int k = 0; k < pe.get("reason").size(); k++) {
                JsonNode jreason = pe.get("reason").get(k);
                Reason reason = rec.row().reasons().get(k);
                assertThat(reason.comment()).isEqualTo(str(jreason.get("comment")));
                // stalwart maps types it does not know (e.g. sampled_out in 005) to "Other"
                if (!jreason.get("type_").asText().equals("Other")) {
                    assertThat(reason.type().replace("_", "")).isEqualTo(enumText(jreason.get("type_")));
                }
            }
            JsonNode ids = jr.get("identifiers");
            assertThat(rec.identifiers().headerFrom()).isEqualTo(ids.get("header_from").asText());
            assertThat(rec.identifiers().envelopeTo()).isEqualTo(str(ids.get("envelope_to")));
            assertThat(rec.identifiers().envelopeFrom()).isEqualTo(str(ids.get("envelope_from"))); // stalwart: "" when absent
            JsonNode dk = jr.get("auth_results").get("dkim"), sp = jr.get("auth_results").get("spf");
            assertThat(rec.dkim()).hasSize(dk.size());
            for (int k = 0; k < dk.size(); k++) {
                DkimResult d = rec.dkim().get(k);
                assertThat(d.domain()).isEqualTo(dk.get(k).get("domain").asText());
                assertThat(d.selector()).isEqualTo(str(dk.get(k).get("selector")));
                assertThat(d.result()).isEqualTo(enumText(dk.get(k).get("result")));
                assertThat(d.humanResult()).isEqualTo(str(dk.get(k).get("human_result")));
            }
            assertThat(rec.spf()).hasSize(sp.size());
            for (int k = 0; k < sp.size(); k++) {
                SpfResult s = rec.spf().get(k);
                assertThat(s.domain()).isEqualTo(sp.get(k).get("domain").asText());
                assertThat(s.result()).isEqualTo(enumText(sp.get(k).get("result")));
                String scope = sp.get(k).get("scope").asText();
                assertThat(s.scope()).isEqualTo(switch (scope) {
                    case "MailFrom" -> "mfrom";
                    case "Helo" -> "helo";
                    default -> null;
                });
            }
        }
    }

    /** Stalwart's null or "" is our absent. */
    static String str(JsonNode n) {
        return n == null || n.isNull() || n.asText().isEmpty() ? null : n.asText();
    }

    /** Stalwart's CamelCase enum names as our lower-case keywords ("TrustedForwarder" -> "trustedforwarder"). */
    static String enumText(JsonNode n) {
        return n == null || n.isNull() || n.asText().equals("Unspecified") ? null : n.asText().toLowerCase(Locale.ROOT);
    }

    static Policy policy(JsonNode n) {
        String t = enumText(n);
        return t == null ? null : Policy.valueOf(t.toUpperCase(Locale.ROOT));
    }

    static Alignment alignment(JsonNode n) {
        String t = enumText(n);
        return t == null ? null : Alignment.valueOf(t.toUpperCase(Locale.ROOT));
    }
}
