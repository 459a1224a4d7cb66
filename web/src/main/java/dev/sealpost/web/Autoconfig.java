package dev.sealpost.web;

/**
 * The Thunderbird autoconfig document ({@code clientConfig} version 1.1, as described at
 * wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat): IMAP and POP3 incoming
 * servers, SMTP submission outgoing servers, the full address as user name, and passwords sent
 * only inside TLS (implicit TLS first, RFC 8314 §5.1). The ManageSieve server (RFC 5804), which
 * the format has no element for, follows the provider as {@code <manageSieveServer>}: a sibling
 * of {@code emailProvider} that Thunderbird does not read and sieve clients may.
 */
final class Autoconfig {
    private Autoconfig() {}

    static String xml(String domain, WebServerConfig.ClientEndpoints c) {
        String d = escape(domain);
        String host = escape(c.host());
        StringBuilder b = new StringBuilder();
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<clientConfig version=\"1.1\">\n");
        b.append("  <emailProvider id=\"").append(d).append("\">\n");
        b.append("    <domain>").append(d).append("</domain>\n");
        b.append("    <displayName>").append(d).append(" mail</displayName>\n");
        b.append("    <displayShortName>").append(d).append("</displayShortName>\n");
        server(b, "incomingServer", "imap", host, c.imaps(), "SSL");
        server(b, "incomingServer", "imap", host, c.imap(), "STARTTLS");
        server(b, "incomingServer", "pop3", host, c.pop3s(), "SSL");
        server(b, "outgoingServer", "smtp", host, c.submissions(), "SSL");
        server(b, "outgoingServer", "smtp", host, c.submission(), "STARTTLS");
        b.append("  </emailProvider>\n");
        if (c.managesieve() != 0) {
            // our extension: RFC 5804 §1.8 port 4190, STARTTLS before AUTHENTICATE (§2.2)
            b.append("  <manageSieveServer>\n");
            b.append("    <hostname>").append(host).append("</hostname>\n");
            b.append("    <port>").append(c.managesieve()).append("</port>\n");
            b.append("    <socketType>STARTTLS</socketType>\n");
            b.append("    <username>%EMAILADDRESS%</username>\n");
            b.append("  </manageSieveServer>\n");
        }
        b.append("</clientConfig>\n");
        return b.toString();
    }

    private static void server(StringBuilder b, String element, String type, String host, int port, String socketType) {
        if (port == 0) return;
        b.append("    <").append(element).append(" type=\"").append(type).append("\">\n");
        b.append("      <hostname>").append(host).append("</hostname>\n");
        b.append("      <port>").append(port).append("</port>\n");
        b.append("      <socketType>").append(socketType).append("</socketType>\n");
        b.append("      <authentication>password-cleartext</authentication>\n");
        b.append("      <username>%EMAILADDRESS%</username>\n");
        b.append("    </").append(element).append(">\n");
    }

    /** XML character data and attribute values (XML 1.0 §2.4, §3.3.3). */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') b.append('?');
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }
}
