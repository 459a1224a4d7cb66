package dev.sealpost.app.cli;

import dev.sealpost.secure.openpgp.KeyProfile;
import dev.sealpost.store.Keys;
import dev.sealpost.store.Store;

/** Test access to {@code KeysCommand}'s key generation from other packages. */
public final class KeysCommandAccess {
    private KeysCommandAccess() {}

    public static Keys.OwnKey generatePgp(Store s, String address, KeyProfile profile) {
        return KeysCommand.generatePgp(s, address, profile);
    }
}
