package dev.sealpost.dns.internal;

/**
 * The DNS root zone's key-signing keys as DS records (IANA root-anchors.xml): KSK-2017 (tag 20326)
 * and KSK-2024 (tag 38696), both algorithm 8 (RSA/SHA-256) with SHA-256 digests (RFC 4509).
 * Either one validating the root DNSKEY set is enough (RFC 4035 §5).
 */
public final class RootTrustAnchors {
    private RootTrustAnchors() {}

    public static final String DS_RECORDS = """
            . 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
            . 172800 IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
            """;
}
