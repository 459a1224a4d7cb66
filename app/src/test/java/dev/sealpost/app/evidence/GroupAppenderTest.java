package dev.sealpost.app.evidence;

import dev.sealpost.evidence.log.EvidenceLog;
import dev.sealpost.evidence.record.EvidenceEvent;
import dev.sealpost.evidence.record.EvidenceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupAppenderTest {
    private static EvidenceRecord record(String id) {
        return new EvidenceRecord(id, EvidenceEvent.SUBMISSION_ACCEPTANCE, Instant.parse("2026-12-07T20:00:00Z"), "<" + id + "@x.test>",
                EvidenceRecord.sha256Hex(id.getBytes()), "a@x.test", List.of("b@y.test"), "a@x.test", "192.0.2.1", Map.of());
    }

    @Test
    void concurrentAppendsEachGetOneDistinctDurableLeaf(@TempDir Path dir) throws Exception {
        try (EvidenceLog log = EvidenceLog.open(dir, "mx.example.test/evidence")) {
            GroupAppender g = new GroupAppender(log);
            Set<Long> indexes = ConcurrentHashMap.newKeySet();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String id = "rec-" + i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        indexes.add(g.append(record(id)).index());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            assertThat(indexes).hasSize(64);
            assertThat(log.size()).isEqualTo(64);
            for (int i = 0; i < 64; i++) assertThat(log.indexOf("rec-" + i)).isPresent();
            log.checkpoint();
            assertThat(log.audit().ok()).isTrue();
            // a refused record fails its caller only
            assertThatThrownBy(() -> g.append(record("rec-3"))).hasMessageContaining("already in the log");
            assertThat(g.append(record("rec-64")).index()).isEqualTo(64);
        }
    }
}
