package dev.sealpost.queue;

import java.util.List;

/**
 * Told of every SMTP transaction the outbound queue had with a next hop, after its results are
 * recorded (the evidence log: relay accepted / failed). Called on the delivery threads; an
 * exception is logged and does not change the delivery.
 */
@FunctionalInterface
public interface RelayListener {
    void relayed(Relayed relayed);

    /**
     * @param queueId        the queue message id
     * @param sha256         lower-case hex SHA-256 of the message bytes sent (the stored blob)
     * @param mailFrom       the envelope sender ("" for the null reverse-path)
     * @param authUser       the submitting account, or null
     * @param host           the next hop's host name
     * @param ip             its address
     * @param reply          the reply to the end of data (or the transaction's failing reply)
     * @param tlsProtocol    e.g. {@code TLSv1.3}, or null without TLS
     * @param tlsCipher      the cipher suite, or null
     * @param tlsAuthenticated whether the peer was authenticated (PKIX, or DANE through the trust manager)
     * @param peerSpkiSha256 base64 SHA-256 of the peer certificate's SubjectPublicKeyInfo, or null
     * @param accepted       recipients the next hop accepted
     * @param refused        recipients it refused for good
     */
    record Relayed(long queueId, String sha256, String mailFrom, String authUser, String host, String ip, String reply,
                   String tlsProtocol, String tlsCipher, boolean tlsAuthenticated, String peerSpkiSha256,
                   List<String> accepted, List<String> refused) {}
}
