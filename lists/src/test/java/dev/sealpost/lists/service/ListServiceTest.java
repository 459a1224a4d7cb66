package dev.sealpost.lists.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The request parser and the one-click secret file (the rest runs end to end in it/ListsEndToEndTest). */
class ListServiceTest {
    @Test
    void requestCommandsComeFromTheSubjectOrTheFirstLines() {
        assertThat(ListService.firstCommand("subscribe", "")).isEqualTo("subscribe");
        assertThat(ListService.firstCommand("Re: confirm abc", "")).isEqualTo("confirm");
        assertThat(ListService.firstCommand("", "\r\nunsubscribe\r\n")).isEqualTo("unsubscribe");
        assertThat(ListService.firstCommand("hello", "join please")).isEqualTo("subscribe");
        assertThat(ListService.firstCommand("what is this", "some text")).isEqualTo("help");
        assertThat(ListService.firstCommand("set self_copy off", "")).isEqualTo("self_copy_off");
        assertThat(ListService.firstCommand("", "Set MyPosts On\r\n")).isEqualTo("self_copy_on");
        assertThat(ListService.firstCommand("set self_copy maybe", "")).isEqualTo("help");
        // only the first ten body lines are read
        assertThat(ListService.firstCommand("", "x\n".repeat(10) + "unsubscribe")).isEqualTo("help");
    }

    @Test
    void theSecretIsMadeOnceOwnerOnlyAndKept(@TempDir Path dir) throws Exception {
        byte[] first = ListService.secret(dir.resolve("lists"));
        assertThat(first).hasSize(32);
        assertThat(ListService.secret(dir.resolve("lists"))).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("lists/unsubscribe.key")))).isEqualTo("rw-------");
    }
}
