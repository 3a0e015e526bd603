package dev.ferry.operators.indexes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.common.TableId;
import dev.ferry.loop.FerryTables;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Index sets read from real servers, and the ALTER TABLE that turns one into another. */
class IndexesTest {
    private static final TableId T = new TableId("shop", "orders");

    @Test
    void aDeltaDropsAndAddsByName() {
        String was = "INDEX `a` (`x`)\nUNIQUE INDEX `b` (`y`)\nINDEX `c` (`z`)";
        String now = "INDEX `a` (`x`)\nINDEX `b` (`y`)\nINDEX `d``e` (`w`(10) DESC)";
        assertThat(Indexes.delta(was, now)).isEqualTo("DROP `b`\nDROP `c`\nADD INDEX `b` (`y`)\n"
                + "ADD INDEX `d``e` (`w`(10) DESC)");
        assertThat(Indexes.delta(now, now)).isEmpty();
    }

    @Test
    void aDeltaChangesOnlyWhatItNamesAndSkipsWhatIsDone() {
        String delta = "DROP `b`\nDROP `gone`\nADD INDEX `b` (`y`)\nADD INDEX `d` (`w`)";
        // the target also has an index `n` made there meanwhile: a delta never touches it
        String target = "UNIQUE INDEX `b` (`y`)\nINDEX `d` (`w`)\nINDEX `n` (`v`)";
        assertThat(Indexes.alter(T, target, delta))
                .isEqualTo("ALTER TABLE `shop`.`orders` DROP INDEX `b`, ADD INDEX `b` (`y`)");
        assertThat(Indexes.alter(T, "INDEX `b` (`y`)\nINDEX `d` (`w`)", delta)).as("already applied").isNull();
        assertThat(Indexes.alter(T, "INDEX `d` (`v`)", "ADD INDEX `d` (`w`)"))
                .isEqualTo("ALTER TABLE `shop`.`orders` DROP INDEX `d`, ADD INDEX `d` (`w`)");
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void readsEveryKindOfIndexAndRecreatesItExactly(ServerKind kind) throws Exception {
        TestDatabase server = TestServers.site(kind, "us");
        String db = server.createDatabase("indexes");
        TableId source = new TableId(db, "source");
        TableId copy = new TableId(db, "copy");
        for (TableId t : List.of(source, copy)) {
            server.execute("CREATE TABLE `" + db + "`.`" + t.table() + "` (id INT PRIMARY KEY, a VARCHAR(40),"
                    + " `b c` INT, d TEXT) ENGINE=InnoDB");
        }
        server.execute("CREATE UNIQUE INDEX u ON `" + db + "`.source (a, `b c`)",
                "CREATE INDEX `pre fix` ON `" + db + "`.source (a(10), `b c` DESC)",
                "CREATE FULLTEXT INDEX ft ON `" + db + "`.source (d)");
        try (Connection c = server.connect()) {
            String set = Indexes.read(c, source);
            assertThat(set).contains("UNIQUE INDEX `u` (`a`, `b c`)", "FULLTEXT INDEX `ft` (`d`)",
                    "INDEX `pre fix` (`a`(10), `b c`");
            server.execute(Indexes.alter(copy, Indexes.read(c, copy), Indexes.delta("", set)));
            assertThat(Indexes.read(c, copy)).isEqualTo(set);
            assertThat(Indexes.read(c, t -> t.database().equals(db))).containsEntry(source, set)
                    .containsEntry(copy, set).doesNotContainKey(FerryTables.COMMIT);
        }
    }
}
