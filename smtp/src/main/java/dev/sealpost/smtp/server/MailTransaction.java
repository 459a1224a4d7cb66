package dev.sealpost.smtp.server;

import dev.sealpost.core.mail.EmailAddress;

import java.util.List;
import java.util.Map;

/**
 * The envelope of one mail transaction as the engine parsed it (RFC 5321 §3.3), with the
 * ESMTP parameters kept for later hops (RFC 3461 DSN, RFC 6152 8BITMIME, RFC 6531 SMTPUTF8,
 * RFC 8689 REQUIRETLS).
 *
 * @param reversePath the MAIL FROM address, or null for the null reverse-path {@code <>}
 * @param bodyType    {@code 7BIT}, {@code 8BITMIME} or {@code BINARYMIME}
 * @param smtpUtf8    SMTPUTF8 parameter given
 * @param requireTls  REQUIRETLS parameter given
 * @param declaredSize the SIZE parameter, or -1
 * @param dsnRet      RET=FULL|HDRS or null
 * @param dsnEnvid    ENVID (xtext-decoded) or null
 * @param recipients  the accepted recipients so far
 */
public record MailTransaction(EmailAddress reversePath, String bodyType, boolean smtpUtf8, boolean requireTls,
                              long declaredSize, String dsnRet, String dsnEnvid, List<Recipient> recipients) {

    /**
     * One accepted recipient.
     *
     * @param address the forward-path
     * @param dsnNotify DSN NOTIFY values (NEVER, SUCCESS, FAILURE, DELAY), empty when not given
     * @param orcpt   ORCPT as {@code addr-type;xtext-decoded address}, or null
     */
    public record Recipient(EmailAddress address, List<String> dsnNotify, String orcpt) {}

    /** Parameters not understood by the engine are refused (555) before the handler sees them. */
    public static Map<String, String> none() { return Map.of(); }
}
