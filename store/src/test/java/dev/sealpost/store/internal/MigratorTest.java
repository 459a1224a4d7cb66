package dev.sealpost.store.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class MigratorTest {

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void indexListsEveryMigrationFileInOrder(Dialect d) throws Exception {
        URL url = getClass().getClassLoader().getResource("db/migration/" + d.migrationDir() + "/migrations.txt");
        assertThat(url).isNotNull();
        Path dir = Path.of(url.toURI()).getParent();
        List<String> onDisk;
        try (Stream<Path> s = Files.list(dir)) {
            onDisk = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }
        List<Migrator.Migration> listed = Migrator.migrations(d);
        assertThat(listed).extracting(m -> m.resource().substring(m.resource().lastIndexOf('/') + 1))
                .containsExactlyInAnyOrderElementsOf(onDisk);
        assertThat(listed.getFirst().version()).isEqualTo(1);
        assertThat(listed.getFirst().description()).isEqualTo("init");
    }

    @Test
    void bothDialectsHaveTheSameMigrations() {
        assertThat(Migrator.migrations(Dialect.POSTGRESQL)).extracting(Migrator.Migration::version, Migrator.Migration::description)
                .isEqualTo(Migrator.migrations(Dialect.SQLITE).stream()
                        .map(m -> org.assertj.core.groups.Tuple.tuple(m.version(), m.description())).toList());
    }

    @Test
    void statementSplitting() {
        String script = """
                -- a comment; with a semicolon
                CREATE TABLE a (x INTEGER, -- trailing comment
                    y TEXT DEFAULT '');
                INSERT INTO a VALUES (1, 'x');

                CREATE INDEX a_x ON a(x)
                """;
        assertThat(Migrator.statements(script)).containsExactly(
                "CREATE TABLE a (x INTEGER,\n    y TEXT DEFAULT '')",
                "INSERT INTO a VALUES (1, 'x')",
                "CREATE INDEX a_x ON a(x)");
    }
}
