package dev.ferry.compat.ddlstatements;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.connector.mysql.antlr.MySqlAntlrDdlParser;
import io.debezium.relational.Table;
import io.debezium.relational.Tables;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Statements Debezium 1.9.8's parser refuses, rewritten with that parser as the judge. */
class UnparseableStatementsTest {
    private static final ClassLoader LOADER = UnparseableStatementsTest.class.getClassLoader();

    private static String rewrite(String sql) {
        return UnparseableStatements.rewrite(sql, "db1", (s, db) -> UnparseableStatements.parses(LOADER, s, db));
    }

    /** Debezium's schema of db1.t after a CREATE of three columns and {@code statement}, as its reader applies it. */
    private static Table afterStatement(String statement) {
        Tables tables = new Tables();
        MySqlAntlrDdlParser parser = new MySqlAntlrDdlParser();
        parser.setCurrentDatabase("db1");
        parser.parse("CREATE TABLE t (id INT PRIMARY KEY, a INT, b VARCHAR(5))", tables);
        parser.parse(statement, tables);
        return tables.forTable("db1", null, "t");
    }

    private static List<String> columns(Table table) {
        return table.columns().stream().map(c -> c.name()).toList();
    }

    /** Statements the parser reads, and what is no CREATE or ALTER TABLE, stay the same string. */
    @Test
    void statementsTheParserReadsStayAsTheyAre() {
        for (String sql : new String[] {"ALTER TABLE t ADD COLUMN c INT", "CREATE TABLE u (id INT PRIMARY KEY)",
            "BEGIN", "INSERT INTO t VALUES (1, 2, 'x')", "CREATE TEMPORARY TABLE x (a INT) WITH SYSTEM VERSIONING",
            "DROP TABLE t", "ALTER TABLE t ADD COLUMN IF NOT EXISTS c INT, ALGORITHM=INSTANT"}) {
            assertThat(rewrite(sql)).as(sql).isSameAs(sql);
        }
    }

    /**
     * MariaDB's IF EXISTS and WAIT/NOWAIT, MySQL's NOT ENFORCED and SRID change no column: Debezium reads the statement
     * without them, and follows it; the original stays in the marker for the target.
     */
    @Test
    void wordsThatChangeNoColumnAreLeftOutForTheParserAndTheOriginalKept() {
        String[][] cases = {
            {"ALTER TABLE IF EXISTS t ADD COLUMN c INT FIRST", "[c, id, a, b]"},
            {"/* app */ ALTER TABLE `db1`.`t` WAIT 5 ADD COLUMN c INT", "[id, a, b, c]"},
            {"alter table t nowait drop column a", "[id, b]"},
            {"ALTER TABLE t ADD COLUMN c INT FIRST, ADD CONSTRAINT c_positive CHECK (c > 0) NOT ENFORCED",
                "[c, id, a, b]"},
            {"ALTER TABLE t ADD COLUMN g GEOMETRY NOT NULL SRID 4326", "[id, a, b, g]"},
            {"ALTER TABLE t ADD COLUMN c INT AFTER a, ALGORITHM=NOCOPY", "[id, a, c, b]"},
            {"ALTER TABLE t ALGORITHM NOCOPY, LOCK=NONE, ADD COLUMN c INT", "[id, a, b, c]"},
            // as Ferry applies it at the other site, its stamp after the verb, and as that site's reader reads it
            {"ALTER /* ferry:ck_1:sh->us */ TABLE IF EXISTS t WAIT 10 ADD COLUMN c INT, ALGORITHM=NOCOPY",
                "[id, a, b, c]"},
        };
        for (String[] c : cases) {
            String rewritten = rewrite(c[0]);
            assertThat(rewritten).as(c[0]).contains(UnparseableStatements.PARSED_AS);
            assertThat(UnparseableStatements.original(rewritten)).as(c[0]).contains(c[0]);
            assertThat(UnparseableStatements.unparseable(rewritten)).as(c[0]).isEmpty();
            assertThat(columns(afterStatement(rewritten)).toString()).as(c[0]).isEqualTo(c[1]);
        }
    }

    /**
     * A statement the parser refuses otherwise gives the table the forgotten column, in a statement Debezium reads and
     * keeps the marker of in its schema change (the text between the first and the last word).
     */
    @Test
    void otherwiseTheTableIsForgottenWithTheOriginalInTheMarker() {
        String create = "CREATE TABLE `no``tes` (id INT PRIMARY KEY, body VARCHAR(100)) WITH SYSTEM VERSIONING";
        String rewritten = rewrite(create);
        assertThat(UnparseableStatements.unparseable(rewritten)).contains(create);
        Tables tables = new Tables();
        MySqlAntlrDdlParser parser = new MySqlAntlrDdlParser();
        parser.setCurrentDatabase("db1");
        parser.parse(rewritten, tables);
        assertThat(columns(tables.forTable("db1", null, "no`tes"))).containsExactly(UnparseableStatements.FORGOTTEN);
        assertThat(parser.getDdlChanges().toString()).contains(UnparseableStatements.UNPARSEABLE);

        String alter = "ALTER TABLE t ADD COLUMN c BLOB COMPRESSED";
        Table altered = afterStatement(rewrite(alter));
        assertThat(columns(altered)).containsExactly("id", "a", "b", UnparseableStatements.FORGOTTEN);
        assertThat(UnparseableStatements.unparseable(rewrite(alter))).contains(alter);
        assertThat(columns(afterStatement(rewrite(alter) + "; " + rewrite("ALTER TABLE t ADD SYSTEM VERSIONING"))))
                .as("forgotten twice: still one such column").hasSize(4);
        assertThat(rewrite("ALTER TABLE (x) garbage")).as("no table name to hold").isEqualTo("ALTER TABLE (x) garbage");
    }

    /**
     * MariaDB's CREATE OR REPLACE TABLE: Debezium parses it but keeps a table it knows as it was. It gets a marked
     * DROP first, then the CREATE (rewritten as the others if need be), and follows the new columns.
     */
    @Test
    void createOrReplaceTableReachesTheReaderAsAMarkedDropAndTheCreate() {
        String replace = "CREATE OR REPLACE TABLE t (id INT PRIMARY KEY, v INT)";
        assertThat(columns(afterStatement(replace))).as("what Debezium did with it").containsExactly("id", "a", "b");
        String rewritten = rewrite(replace);
        assertThat(columns(afterStatement(rewritten))).containsExactly("id", "v");
        assertThat(UnparseableStatements.original(rewritten)).contains(replace);
        Tables tables = new Tables();
        MySqlAntlrDdlParser parser = new MySqlAntlrDdlParser();
        parser.setCurrentDatabase("db1");
        parser.parse("CREATE TABLE t (id INT PRIMARY KEY)", tables);
        parser.getDdlChanges().reset();
        parser.parse(rewritten, tables);
        List<String> statements = new java.util.ArrayList<>();
        parser.getDdlChanges().getEventsByDatabase((db, events) -> events.forEach(e -> statements.add(e.statement())));
        assertThat(statements).hasSize(2);
        assertThat(UnparseableStatements.isReplacingDrop(statements.get(0))).as(statements.get(0)).isTrue();
        assertThat(UnparseableStatements.isReplacingDrop(statements.get(1))).isFalse();
        assertThat(UnparseableStatements.original(statements.get(1))).as(statements.get(1)).contains(replace);

        String versioned = "CREATE OR REPLACE TABLE t (id INT PRIMARY KEY) WITH SYSTEM VERSIONING";
        assertThat(columns(afterStatement(rewrite(versioned)))).containsExactly(UnparseableStatements.FORGOTTEN);
        assertThat(UnparseableStatements.unparseable(rewrite(versioned))).contains(versioned);
        String stamped = "CREATE /* ferry:ck_1:sh->us */ OR REPLACE TABLE t (id INT PRIMARY KEY, v INT)";
        assertThat(columns(afterStatement(rewrite(stamped)))).containsExactly("id", "v");
        String temporary = "CREATE OR REPLACE TEMPORARY TABLE x (a INT)";
        assertThat(rewrite(temporary)).isSameAs(temporary);
    }

    /** The markers are only read where whole. */
    @Test
    void markersAreReadOnlyWhereWhole() {
        assertThat(UnparseableStatements.original("ALTER /*ferry:parsed-without:QUJD*/ TABLE t")).contains("ABC");
        assertThat(UnparseableStatements.original("ALTER /*ferry:parsed-without:QUJD TABLE t")).isEmpty();
        assertThat(UnparseableStatements.unparseable("ALTER /*ferry:unparseable:!!*/ TABLE t")).isEmpty();
        assertThat(UnparseableStatements.unparseable(null)).isEmpty();
    }
}
