package dev.sealpost.smtp.client;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Opens client connections to SMTP servers. */
public final class SmtpClient {
    private SmtpClient() {}

    /**
     * Connects and reads the greeting (RFC 5321 §3.1, §4.5.3.2.1). The connection is returned
     * whatever the greeting says: check {@link SmtpConnection#greeting()} (a 554 means "no
     * service": {@link SmtpConnection#quit()}).
     *
     * @param address a resolved address (MX look-up is the caller's business)
     * @throws IOException when the connection or the greeting fails (refused, timeout, bad reply)
     */
    public static SmtpConnection connect(InetSocketAddress address, ClientSettings settings) throws IOException {
        return SmtpConnection.open(address, settings);
    }
}
