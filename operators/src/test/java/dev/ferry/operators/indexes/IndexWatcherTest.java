package dev.ferry.operators.indexes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.loop.FerryTables;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestServers;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The watcher against a real source: what it sends to ferry.ferry_index_sync, and what it does not. */
class IndexWatcherTest {
    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void sendsALocalIndexChangeOnceItIsSeenTwice(ServerKind kind) throws Exception {
        TestDatabase server = TestServers.site(kind, "us"); // behind UTC: applied_at and the poll time must agree
        String db = tableT(server);
        IndexWatcher watcher = new IndexWatcher(t -> t.database().equals(db), db, "sh->us");
        try (Connection c = server.connect()) {
            watcher.poll(c); // baseline
            server.execute("CREATE INDEX ia ON `" + db + "`.t (a)");
            watcher.poll(c);
            assertThat(sent(server, db)).as("not before a second poll has seen it").isEmpty();
            watcher.poll(c);
            assertThat(sent(server, db)).containsExactly("t: ADD INDEX `ia` (`a`)");

            server.execute("DROP INDEX ia ON `" + db + "`.t");
            watcher.poll(c);
            watcher.poll(c);
            assertThat(sent(server, db)).containsExactly("t: DROP `ia`");
        }
    }

    @ParameterizedTest
    @EnumSource(value = ServerKind.class, names = {"MARIADB", "MYSQL"})
    void doesNotSendAChangeThatAFerrySinkMadeButSendsTheNextLocalOne(ServerKind kind) throws Exception {
        TestDatabase server = TestServers.site(kind, "us"); // behind UTC: applied_at and the poll time must agree
        String db = tableT(server);
        IndexWatcher watcher = new IndexWatcher(t -> t.database().equals(db), db, "sh->us");
        try (Connection c = server.connect()) {
            watcher.poll(c);
            server.execute("ALTER /* ferry:x:us->sh */ TABLE `" + db + "`.t ADD INDEX ia (a)",
                    "INSERT INTO ferry.ferry_ddl (channel, direction, subtask, epoch, seq, table_schema, table_name,"
                            + " statement, source_position, outcome, detail, index_set_after, applied_at) VALUES ('x',"
                            + " 'us->sh', 0, 1, 1, '" + db + "', 't', 'ALTER ...', 'f:1', 'applied', NULL,"
                            + " 'INDEX `ia` (`a`)', UTC_TIMESTAMP(6))");
            watcher.poll(c);
            assertThat(sent(server, db)).isEmpty();

            // a local change right after it (one poll later) is still sent: it leaves another index set
            server.execute("DROP INDEX ia ON `" + db + "`.t");
            watcher.poll(c);
            watcher.poll(c);
            assertThat(sent(server, db)).containsExactly("t: DROP `ia`");
        }
    }

    /** A new database with table t (id, a) and no secondary index; Ferry's tables exist. */
    private static String tableT(TestDatabase server) {
        server.execute(FerryTables.schemaStatements().toArray(String[]::new));
        String db = server.createDatabase("watch");
        server.execute("CREATE TABLE `" + db + "`.t (id INT PRIMARY KEY, a INT)");
        return db;
    }

    private static List<String> sent(TestDatabase server, String channel) {
        return server.query("SELECT table_name, index_change FROM ferry.ferry_index_sync WHERE channel = ?", channel)
                .stream().map(r -> r.get(0) + ": " + r.get(1)).toList();
    }
}
