package dev.sealpost.store;

import java.util.Objects;

/**
 * A stored blob.
 *
 * @param id   lowercase hex SHA-256 of the original (uncompressed) content
 * @param size length of the original content in bytes
 */
public record BlobRef(String id, long size) {
    public BlobRef {
        Objects.requireNonNull(id, "id");
        if (size < 0) throw new IllegalArgumentException("negative size");
    }
}
