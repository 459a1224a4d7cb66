package dev.sealpost.store;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Message-security keys (S/MIME and OpenPGP): the own keys of local accounts, other people's
 * certificates and keys with their origin and validity, and each local domain's internal S/MIME
 * CA. Private parts are sealed (AES-256-GCM) under the server key-encryption key, a file outside
 * the database ({@code keys/kek} in the data directory, docs/keys.md); {@link #privateKey} and
 * {@link #caPrivateKey} open them. The store holds opaque octets: parsing and checking keys is
 * the {@code secure} module's job.
 */
public interface Keys {
    /** The kind of key. */
    enum Type {
        OPENPGP, SMIME;

        /** The name stored and shown: {@code openpgp}, {@code smime}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Type of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    /** Where another party's key came from. */
    enum Origin {
        IMPORT, AUTOCRYPT, WKD, SMIMEA, OPENPGPKEY, SIGNATURE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Origin of(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * An own key of a local account (public part only; the private part through {@link #privateKey}).
     *
     * @param fingerprint upper-case hex: the OpenPGP primary key's, or SHA-256 of the certificate DER
     * @param publicKey   binary OpenPGP certificate, or X.509 certificate DER
     */
    record OwnKey(long id, String address, Type type, String fingerprint, byte[] publicKey, Instant createdAt, Instant revokedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    /** Another party's key; {@code validFrom}/{@code validUntil} as the key states them (null: unbounded). */
    record PeerKey(long id, String address, Type type, String fingerprint, byte[] publicKey, Origin origin,
                   Instant validFrom, Instant validUntil, Instant addedAt, Instant lastSeen, Instant revokedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }

        /** Not revoked and inside its validity at {@code now}. */
        public boolean validAt(Instant now) {
            return !revoked() && (validFrom == null || !now.isBefore(validFrom)) && (validUntil == null || now.isBefore(validUntil));
        }
    }

    /** A local domain's internal S/MIME CA (certificate DER). */
    record DomainCa(String domain, byte[] certificate, Instant createdAt) {}

    /**
     * Stores an own key of the local account {@code address}, sealing {@code privateKey}.
     *
     * @throws DirectoryException when the account does not exist or the key is already stored
     */
    OwnKey addOwn(String address, Type type, String fingerprint, byte[] publicKey, byte[] privateKey);

    /** The account's own keys, newest first (revoked ones included). */
    List<OwnKey> own(String address);

    /** The own key used for {@code address}: the newest non-revoked one of the type. */
    Optional<OwnKey> currentOwn(String address, Type type);

    /** The current (newest non-revoked) own keys of the type for every account in {@code domain}. */
    List<OwnKey> currentOwnInDomain(String domain, Type type);

    /** An own key by fingerprint (upper-case hex). */
    Optional<OwnKey> ownByFingerprint(Type type, String fingerprint);

    /** The opened private part of an own key. */
    byte[] privateKey(OwnKey key);

    /** Marks an own key revoked; false when there is no such key or it already was. */
    boolean revokeOwn(long id);

    /**
     * Records another party's key: a new row, or for one already known (same address, type and
     * fingerprint) the new last-seen time (and the validity, public key and origin given).
     */
    PeerKey putPeer(String address, Type type, String fingerprint, byte[] publicKey, Origin origin, Instant validFrom, Instant validUntil);

    /** Other parties' keys for {@code address}, newest first; every address when null. */
    List<PeerKey> peers(String address);

    /** Marks a peer key revoked; false when there is no such key or it already was. */
    boolean revokePeer(long id);

    /** Stores the internal S/MIME CA of local domain {@code domain}; fails when it has one. */
    DomainCa putCa(String domain, byte[] certificate, byte[] privateKey);

    Optional<DomainCa> ca(String domain);

    byte[] caPrivateKey(DomainCa ca);

    /**
     * Rotates the key-encryption key: makes a new one and re-seals every stored private key under
     * it in one transaction; the old KEK file is then deleted.
     *
     * @return how many private keys were re-sealed
     */
    int rotateKek();

    /** The current key-encryption key's id (16 hex digits), creating the KEK when there is none. */
    String kekId();
    /**
     * A message-security policy row (migration V15) for a scope: a mail address or a domain, lower
     * case. A null field is not set here (the domain's row, then the default, decides).
     *
     * @param sign    {@code never} or {@code always}
     * @param encrypt {@code never}, {@code tagged}, {@code when-possible} or {@code required}
     * @param inbound {@code keep} or {@code decrypt}
     */
    record Policy(String scope, String sign, String encrypt, String inbound, Instant updatedAt) {}

    /** The values each policy field may take, in order of strength. */
    List<String> SIGN_VALUES = List.of("never", "always");
    List<String> ENCRYPT_VALUES = List.of("never", "tagged", "when-possible", "required");
    List<String> INBOUND_VALUES = List.of("keep", "decrypt");

    /** The policy row of {@code scope} (an address or a domain), if it has one. */
    Optional<Policy> policy(String scope);

    /**
     * Sets the fields given (non-null) of {@code scope}'s row, creating it; the others keep their value.
     *
     * @throws DirectoryException for a bad scope or value
     */
    Policy putPolicy(String scope, String sign, String encrypt, String inbound);

    /** Removes {@code scope}'s row; false when it had none. */
    boolean removePolicy(String scope);

    /** Every policy row, by scope. */
    List<Policy> policies();
}
