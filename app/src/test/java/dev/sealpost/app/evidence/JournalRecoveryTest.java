package dev.sealpost.app.evidence;

import dev.sealpost.evidence.log.EvidenceLog;
import dev.sealpost.evidence.record.EvidenceEvent;
import dev.sealpost.evidence.record.EvidenceRecord;
import dev.sealpost.store.Spool;
import dev.sealpost.store.Store;
import dev.sealpost.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The evidence journal (docs/evidence.md "One durable round trip"): the acceptance record commits
 * with the spool rows; the log gets it afterwards. These tests leave the data directory in the
 * states a SIGKILL leaves (the store and the log are closed without the service running, which is
 * what the disk holds after a kill between the two steps) and check what the next start does.
 */
class JournalRecoveryTest {
    private static final Clock CLOCK = Clock.systemUTC();

    private static Spool.Envelope envelope() {
        return new Spool.Envelope("a@elsewhere.test", List.of(new Spool.Recipient("b@example.test", null, null)), "192.0.2.7", "client.test",
                null, "s1", false, false, null, null, null, Instant.now());
    }

    private static EvidenceRecord record(long queueId, String sha256, String mid) {
        return new EvidenceRecord(EvidenceRecord.newId(), EvidenceEvent.RECEIVED_FROM_NON_REM, Instant.now(), mid, sha256, "a@elsewhere.test",
                List.of("b@example.test"), null, "192.0.2.7", Map.of("queue_id", queueId));
    }

    /** Enqueues a message with its record in the journal, as InboundHandler does; returns the record committed. */
    private static EvidenceRecord accept(Store store, String mid) throws Exception {
        List<EvidenceRecord> made = new ArrayList<>();
        var w = store.blobs().newWriter();
        w.write(("Message-ID: " + mid + "\r\n\r\nhello " + mid + "\r\n").getBytes(StandardCharsets.US_ASCII));
        store.spool().enqueue(envelope(), w, null, null, (qid, blob) -> {
            made.clear();
            EvidenceRecord r = record(qid, blob.id(), mid);
            made.add(r);
            return List.of(r.canonicalBytes());
        });
        return made.getFirst();
    }

    @Test
    void aRecordCommittedWithItsMessageButNotYetAppendedIsInTheLogAfterRestart(@TempDir Path data) throws Exception {
        EvidenceRecord committed;
        try (Store store = Store.open(StoreConfig.sqlite(data))) {
            // the server ran once: the log exists
            EvidenceService.open(data, "mx.example.test", false, Duration.ofHours(1), store, CLOCK).close();
            // the spool commit happened (with the journal row) and then the process died before the log append
            committed = accept(store, "<crash-1@elsewhere.test>");
            assertThat(store.evidenceJournal().count()).isEqualTo(1);
        }
        try (EvidenceLog log = EvidenceLog.openExisting(data).orElseThrow()) {
            assertThat(log.indexOf(committed.id())).as("not in the log before the restart").isEmpty();
        }
        try (Store store = Store.open(StoreConfig.sqlite(data))) {
            EvidenceService service = EvidenceService.open(data, "mx.example.test", false, Duration.ofHours(1), store, CLOCK);
            try {
                // appended at start, before the service serves anything
                long index = service.log().indexOf(committed.id()).orElseThrow();
                assertThat(service.log().read(index).record()).isEqualTo(committed);
                assertThat(store.evidenceJournal().count()).as("journal emptied once the log has the record").isZero();
            } finally {
                service.close();
            }
        }
        var audit = EvidenceLog.audit(data, EvidenceLog.publicKey(data).orElseThrow());
        assertThat(audit.problems()).isEmpty();
    }

    @Test
    void aRecordAppendedButStillInTheJournalIsNotAppendedTwice(@TempDir Path data) throws Exception {
        EvidenceRecord first;
        EvidenceRecord second;
        try (Store store = Store.open(StoreConfig.sqlite(data))) {
            EvidenceService.open(data, "mx.example.test", false, Duration.ofHours(1), store, CLOCK).close();
            first = accept(store, "<dup-1@elsewhere.test>");
            second = accept(store, "<dup-2@elsewhere.test>");
            // the appender put the first into the log; the kill came before the journal rows were deleted
            try (EvidenceLog log = EvidenceLog.openExisting(data).orElseThrow()) {
                log.appendAll(List.of(first));
            }
            assertThat(store.evidenceJournal().count()).isEqualTo(2);
        }
        try (Store store = Store.open(StoreConfig.sqlite(data))) {
            EvidenceService service = EvidenceService.open(data, "mx.example.test", false, Duration.ofHours(1), store, CLOCK);
            try {
                EvidenceLog log = service.log();
                assertThat(log.size()).isEqualTo(2);
                assertThat(log.indexOf(first.id())).hasValue(0L);
                assertThat(log.indexOf(second.id())).hasValue(1L);   // in the journal's (commit) order
                assertThat(store.evidenceJournal().count()).isZero();
            } finally {
                service.close();
            }
        }
    }

    @Test
    void aRolledBackAcceptanceLeavesNoRecordAnywhere(@TempDir Path data) throws Exception {
        try (Store store = Store.open(StoreConfig.sqlite(data))) {
            EvidenceService service = EvidenceService.open(data, "mx.example.test", false, Duration.ofHours(1), store, CLOCK);
            try {
                var w = store.blobs().newWriter();
                w.write("Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
                // the journal's rows are part of the spool's transaction: a failure in it rolls back the message too
                assertThatThrownBy(() -> store.spool().enqueue(envelope(), w, null, null, (qid, blob) -> {
                    throw new IllegalStateException("fails inside the transaction");
                })).isInstanceOf(RuntimeException.class);
                assertThat(store.evidenceJournal().count()).isZero();
                assertThat(store.spool().pendingLocal(10)).isEmpty();
                assertThat(service.awaitJournal(Duration.ofSeconds(5))).isTrue();
                assertThat(service.log().size()).isZero();
                // and a committed one reaches the log through the background appender
                EvidenceRecord ok = accept(store, "<live-1@elsewhere.test>");
                assertThat(service.awaitJournal(Duration.ofSeconds(10))).isTrue();
                assertThat(service.log().indexOf(ok.id())).hasValue(0L);
            } finally {
                service.close();
            }
            assertThat(store.evidenceJournal().count()).as("a clean stop leaves the journal empty").isZero();
        }
    }
}
