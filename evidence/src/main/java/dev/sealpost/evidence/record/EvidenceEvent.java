package dev.sealpost.evidence.record;

import java.util.Optional;

/**
 * The events a record attests. Wire names follow the ETSI EN 319 522-2 evidence types where one
 * fits (SubmissionAcceptance, RelayAcceptance, ContentConsignment, ...); the others are named in
 * the same style.
 */
public enum EvidenceEvent {
    /** The submission server said "250" to a message (ETSI: SubmissionAcceptance). */
    SUBMISSION_ACCEPTANCE("SubmissionAcceptance"),
    /** The submission server refused a message (ETSI: SubmissionRejection). */
    SUBMISSION_REJECTION("SubmissionRejection"),
    /** The next hop accepted the message (ETSI: RelayAcceptance). */
    RELAY_ACCEPTANCE("RelayAcceptance"),
    /** Relaying failed for good (ETSI: RelayFailure). */
    RELAY_FAILURE("RelayFailure"),
    /** Delivered into a local mailbox (ETSI: ContentConsignment). */
    CONTENT_CONSIGNMENT("ContentConsignment"),
    /** A delivery status notification (RFC 3464) about the message arrived. */
    DSN_RECEIVED("DeliveryStatusNotificationReceived"),
    /** A read notification (MDN, RFC 8098) about the message arrived. */
    MDN_RECEIVED("ReadNotificationReceived"),
    /** A signed receipt (RFC 2634) arrived and verified. */
    SIGNED_RECEIPT_RECEIVED("SignedReceiptReceived"),
    /** Inbound mail from outside was received, with its authentication results (ETSI: ReceivedFromNonREMSystem). */
    RECEIVED_FROM_NON_REM("ReceivedFromNonREMSystem");

    private final String wire;

    EvidenceEvent(String wire) {
        this.wire = wire;
    }

    /** The name in records. */
    public String wire() {
        return wire;
    }

    public static Optional<EvidenceEvent> fromWire(String s) {
        for (EvidenceEvent e : values()) if (e.wire.equals(s)) return Optional.of(e);
        return Optional.empty();
    }
}
