package dev.sealpost.imap.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-mailbox "first recent UID" boundary behind IMAP4rev1 \Recent (RFC 3501 §2.3.2). */
class RecentTrackerTest {
    @Test
    void claimsMoveTheBoundaryOnlyForward() {
        RecentTracker t = new RecentTracker();
        assertThat(t.peek(7, 100)).isEqualTo(1); // nobody selected it: everything is recent
        assertThat(t.claim(7, 100, 5)).isEqualTo(1); // the claimer gets UIDs 1..5
        assertThat(t.peek(7, 100)).isEqualTo(6);
        assertThat(t.claim(7, 100, 5)).isEqualTo(6); // a second claimer gets nothing
        assertThat(t.claim(7, 100, 3)).isEqualTo(6); // never backwards
        assertThat(t.peek(7, 100)).isEqualTo(6);
        // another incarnation of the mailbox (new UIDVALIDITY) starts afresh
        assertThat(t.peek(7, 101)).isEqualTo(1);
        t.forget(7, 100);
        assertThat(t.peek(7, 100)).isEqualTo(1);
    }
}
