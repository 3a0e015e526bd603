package dev.ferry.dialect.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.dialect.Dialects;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The grants {@code ferry prepare} prints for each database, as exact text: an admin runs them as they are. MySQL's
 * are also run by CliCheckITCase; PostgreSQL's and Oracle's by no test here, so their text is pinned.
 */
class WriteGrantsTest {
    private static final GrantRequest TARGET = new GrantRequest("ferry", "'ferry'@'%'", false, true,
            Set.of("shop"), List.of());

    private static List<String> grants(String url, GrantRequest request) {
        return Dialects.factory(url).writeGrants().statements(request);
    }

    @Test
    void postgreSqlGrantsCreateOnTheDatabaseAndFerrysSchemaToTheUser() {
        assertThat(grants("jdbc:postgresql://h/db", TARGET)).containsExactly(
                "GRANT CREATE ON DATABASE <this database> TO \"ferry\";",
                "GRANT USAGE, CREATE ON SCHEMA ferry TO \"ferry\";",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ferry TO \"ferry\";");
    }

    @Test
    void oracleGrantsTheAnyPrivilegesToTheUserInUpperCase() {
        assertThat(grants("jdbc:oracle:thin:@//h:1521/FREEPDB1", TARGET)).containsExactly(
                "GRANT CREATE SESSION, CREATE ANY TABLE, ALTER ANY TABLE, DROP ANY TABLE, CREATE ANY INDEX,"
                        + " SELECT ANY TABLE, INSERT ANY TABLE, UPDATE ANY TABLE, DELETE ANY TABLE TO FERRY;");
    }

    @Test
    void mySqlGrantsToTheAccountWhatEachRoleNeeds() {
        GrantRequest both = new GrantRequest("ferry", "'ferry'@'10.0.0.%'", true, true, Set.of("a`b"),
                List.of("shop_%.*"));
        assertThat(grants("jdbc:mariadb://h:3306", both)).containsExactly(
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO 'ferry'@'10.0.0.%';",
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX ON `ferry`.* TO 'ferry'@'10.0.0.%';",
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, TRIGGER ON `a``b`.* TO"
                        + " 'ferry'@'10.0.0.%';",
                "-- and the same for each other database that 'tables.include' pattern 'shop_%.*' matches");
        GrantRequest sourceOnly = new GrantRequest("ferry", "'ferry'@'%'", true, false, Set.of("shop"),
                List.of("shop_%.*"));
        assertThat(grants("jdbc:mysql://h:3306", sourceOnly)).containsExactly(
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT ON *.* TO 'ferry'@'%';",
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX ON `ferry`.* TO 'ferry'@'%';");
    }

    /** Oracle's privileges and triggers are not read: a warning with where to look, without touching the server. */
    @Test
    void oracleWarnsThatItDoesNotCheck() throws Exception {
        CheckedSite site = new CheckedSite("ora", "ferry");
        var oracle = Dialects.factory("jdbc:oracle:thin:@//h:1521/FREEPDB1");
        assertThat(oracle.writeGrants().check(null, site, Set.of())).isEqualTo(Verdict.warn("not checked for Oracle",
                "see the Privileges section of docs/operations.md"));
        assertThat(oracle.triggerCheck().check(null, site, null, List.of())).containsExactly(Verdict.warn(
                "not checked for Oracle", "drop or disable the triggers of the replicated tables there: they would"
                        + " run again on the rows Ferry copies"));
    }
}
