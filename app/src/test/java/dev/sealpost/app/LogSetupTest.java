package dev.sealpost.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sealpost.app.config.SealpostConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code [log]}: level, file and the JSON-lines format with the text format's fields. */
class LogSetupTest {
    @TempDir
    Path dir;

    @AfterEach
    void back() {
        LogSetup.apply(new SealpostConfig.Log("info", null, "text"));
    }

    @Test
    void jsonLinesToAFileAtTheConfiguredLevel() throws Exception {
        Path file = dir.resolve("sealpost.log");
        SealpostConfig cfg = SealpostConfig.parse("""
                [server]
                data_dir = "data"
                [listeners]
                submission = ""
                submissions = ""
                imap = ""
                imaps = ""
                pop3 = ""
                pop3s = ""
                [log]
                level = "warn"
                file = "sealpost.log"
                format = "json"
                """, dir);
        assertThat(cfg.log()).isEqualTo(new SealpostConfig.Log("warn", file, "json"));
        LogSetup.apply(cfg.log());
        var log = LoggerFactory.getLogger("dev.sealpost.smtp.SmtpServer");
        log.info("not at warn");
        log.warn("auth failed proto=smtp user=\"a\\b\" ip=192.0.2.1");
        log.error("broken", new IllegalStateException("boom"));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("level").asText()).isEqualTo("WARN");
        assertThat(first.get("logger").asText()).isEqualTo("SmtpServer");
        assertThat(first.get("msg").asText()).isEqualTo("auth failed proto=smtp user=\"a\\b\" ip=192.0.2.1");
        assertThat(first.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)");
        JsonNode second = new ObjectMapper().readTree(lines.get(1));
        assertThat(second.get("exception").asText()).contains("IllegalStateException: boom");
    }

    @Test
    void textFormatKeepsTheUsualLine() throws Exception {
        Path file = dir.resolve("text.log");
        LogSetup.apply(new SealpostConfig.Log("debug", file, "text"));
        LoggerFactory.getLogger("dev.sealpost.x.Thing").debug("hello {}", 42);
        assertThat(Files.readString(file)).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(Z|[+-]\\d\\d:\\d\\d) DEBUG \\[Thing] hello 42\\n");
    }
}
