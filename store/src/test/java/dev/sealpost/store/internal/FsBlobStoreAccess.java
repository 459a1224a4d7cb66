package dev.sealpost.store.internal;

import dev.sealpost.store.BlobStore;

import java.io.IOException;
import java.nio.file.Path;

/** Test access to the file-system blob store without a database. */
public final class FsBlobStoreAccess {
    private FsBlobStoreAccess() {}

    public static BlobStore open(Path root) throws IOException {
        return new FsBlobStore(root);
    }
}
