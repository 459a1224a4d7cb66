package dev.sealpost.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FsyncTest {
    @TempDir
    Path dir;

    @Test
    void writeDurablyCreatesAndReplaces() throws IOException {
        Path target = dir.resolve("state.txt");
        Fsync.writeDurably(target, "one".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("one");
        Fsync.writeDurably(target, "two".getBytes(StandardCharsets.UTF_8));
        assertThat(target).hasContent("two");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target); // no temporary file left behind
        }
    }

    @Test
    void writeDurablyLeavesNoTempFileOnFailure() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path target = sub.resolve("blocker");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x"); // a non-empty directory cannot be replaced
        assertThatThrownBy(() -> Fsync.writeDurably(target, new byte[]{1})).isInstanceOf(IOException.class);
        try (var files = Files.list(sub)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void fsyncFileAndDirectory() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "data");
        Fsync.fsyncFile(f);
        Fsync.fsyncDirectory(dir);
        assertThatThrownBy(() -> Fsync.fsyncFile(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Fsync.fsyncDirectory(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void largeContentIsWrittenCompletely() throws IOException {
        byte[] data = new byte[3 * 1024 * 1024 + 7];
        for (int i = 0; i < data.length; i++) data[i] = (byte) i;
        Path target = dir.resolve("big");
        Fsync.writeDurably(target, data);
        assertThat(Files.readAllBytes(target)).isEqualTo(data);
    }
}
