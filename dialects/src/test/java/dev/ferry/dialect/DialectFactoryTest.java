package dev.ferry.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** What each database's factory tells the rest of Ferry, as exact values: the drivers read them by name. */
class DialectFactoryTest {
    private static final DialectFactory MYSQL = Dialects.factory("jdbc:mysql://h:3306/");
    private static final DialectFactory POSTGRESQL = Dialects.factory("jdbc:postgresql://h/db");
    private static final DialectFactory ORACLE = Dialects.factory("jdbc:oracle:thin:@//h:1521/FREEPDB1");

    @Test
    void eachUrlHasOneFactory() {
        assertThat(MYSQL).isInstanceOf(MySqlDialectFactory.class);
        assertThat(Dialects.factory("jdbc:mariadb://h:3306")).isInstanceOf(MySqlDialectFactory.class);
        assertThat(POSTGRESQL).isInstanceOf(PostgreSqlDialectFactory.class);
        assertThat(ORACLE).isInstanceOf(OracleDialectFactory.class);
        assertThat(Dialects.factoryOf("jdbc:sqlserver://h")).isEmpty();
        assertThat(Dialects.factoryOf("jdbc:postgres://h")).isEmpty();
    }

    @Test
    void namesTheDatabaseOfAUrl() {
        assertThat(MYSQL.displayName("jdbc:mysql://h")).isEqualTo("MySQL");
        assertThat(MYSQL.displayName("jdbc:mariadb://h")).isEqualTo("MariaDB");
        assertThat(POSTGRESQL.displayName("jdbc:postgresql://h/db")).isEqualTo("PostgreSQL");
        assertThat(ORACLE.displayName("jdbc:oracle:thin:@h")).isEqualTo("Oracle");
    }

    @Test
    void onlyTheMySqlFamilyCanBeASource() {
        assertThat(MYSQL.hasBinlog()).isTrue();
        assertThat(POSTGRESQL.hasBinlog()).isFalse();
        assertThat(ORACLE.hasBinlog()).isFalse();
        assertThat(Dialects.home()).isSameAs(MYSQL);
    }

    @Test
    void siteUrlsReadTheHostAfterTheLongestPrefix() {
        assertThat(ORACLE.siteUrlForm().afterPrefix("jdbc:oracle:thin:@//h:1521/S")).isEqualTo("h:1521/S");
        assertThat(ORACLE.siteUrlForm().afterPrefix("jdbc:oracle:thin:@h:1521/S")).isEqualTo("h:1521/S");
        assertThat(ORACLE.siteUrlForm().named()).containsExactly("jdbc:oracle:thin:@//");
        assertThat(MYSQL.siteUrlForm().afterPrefix("jdbc:mariadb://h")).isEqualTo("h");
        assertThat(MYSQL.siteUrlForm().afterPrefix("jdbc:mysql:h")).isNull();
        assertThat(POSTGRESQL.siteUrlForm().pathNames()).isEqualTo("database");
        assertThat(MYSQL.siteUrlForm().pathNames()).isNull();
    }

    /** A fix must not suggest a URL the check would refuse, nor a port other than the database's. */
    @Test
    void eachExampleIsAUrlOfItsOwnForm() {
        for (DialectFactory f : Dialects.factories()) {
            String example = f.siteUrlForm().example();
            assertThat(Dialects.factory(example)).as(example).isSameAs(f);
            assertThat(f.siteUrlForm().afterPrefix(example)).as(example).startsWith("db.example.com:" + f.defaultPort());
            assertThat(f.siteUrlForm().named()).as(example).anyMatch(example::startsWith);
        }
    }

    @Test
    void drivers() {
        assertThat(MYSQL.driverClass()).isEqualTo("com.mysql.cj.jdbc.Driver");
        assertThat(POSTGRESQL.driverClass()).isEqualTo("org.postgresql.Driver");
        assertThat(ORACLE.driverClass()).isEqualTo("oracle.jdbc.OracleDriver");
    }

    @Test
    void connectionDefaults() {
        assertThat(MYSQL.connectionDefaults()).containsExactly(entry("rewriteBatchedStatements", "true"),
                entry("characterEncoding", "UTF-8"), entry("tinyInt1isBit", "false"), entry("connectTimeout", "10000"),
                entry("socketTimeout", "600000"));
        assertThat(MYSQL.valueProperties()).containsExactly(entry("tinyInt1isBit", "false"));
        assertThat(POSTGRESQL.connectionDefaults()).containsExactly(entry("stringtype", "unspecified"),
                entry("autosave", "always"), entry("reWriteBatchedInserts", "true"), entry("connectTimeout", "10"),
                entry("socketTimeout", "600"));
        assertThat(POSTGRESQL.valueProperties()).isEmpty();
        assertThat(ORACLE.connectionDefaults()).containsExactly(entry("oracle.net.CONNECT_TIMEOUT", "10000"),
                entry("oracle.jdbc.ReadTimeout", "600000"));
    }

    @Test
    void connectorJTls() {
        assertThat(MYSQL.tlsProperties(TlsMode.PREFERRED, null, null)).containsExactly(entry("sslMode", "PREFERRED"),
                entry("allowPublicKeyRetrieval", "true"));
        assertThat(MYSQL.tlsProperties(TlsMode.DISABLED, null, null)).containsExactly(entry("sslMode", "DISABLED"),
                entry("allowPublicKeyRetrieval", "true"));
        assertThat(MYSQL.tlsProperties(TlsMode.REQUIRED, null, null)).containsExactly(entry("sslMode", "REQUIRED"));
        assertThat(MYSQL.tlsProperties(TlsMode.VERIFY_IDENTITY, "/etc/ca.p12", "pw")).containsExactly(
                entry("sslMode", "VERIFY_IDENTITY"), entry("trustCertificateKeyStoreUrl", "file:/etc/ca.p12"),
                entry("trustCertificateKeyStorePassword", "pw"));
        assertThat(MYSQL.tlsProperties(TlsMode.VERIFY_CA, "/etc/ca.jks", null)).containsExactly(
                entry("sslMode", "VERIFY_CA"), entry("trustCertificateKeyStoreUrl", "file:/etc/ca.jks"));
    }

    @Test
    void pgJdbcAndOracleTls() {
        assertThat(POSTGRESQL.tlsProperties(TlsMode.DISABLED, null, null)).containsExactly(entry("sslmode", "disable"));
        assertThat(POSTGRESQL.tlsProperties(TlsMode.PREFERRED, null, null)).containsExactly(entry("sslmode", "prefer"));
        assertThat(POSTGRESQL.tlsProperties(TlsMode.REQUIRED, null, null)).containsExactly(entry("sslmode", "require"));
        assertThat(POSTGRESQL.tlsProperties(TlsMode.VERIFY_CA, "/t", "pw")).containsExactly(entry("sslmode", "verify-ca"));
        assertThat(POSTGRESQL.tlsProperties(TlsMode.VERIFY_IDENTITY, null, null))
                .containsExactly(entry("sslmode", "verify-full"));
        assertThat(ORACLE.tlsProperties(TlsMode.VERIFY_IDENTITY, "/t", "pw")).isEmpty();
    }

    @Test
    void ferrysOwnTables() {
        assertThat(MYSQL.ferrySchemaFile()).isEqualTo("ferry-schema.sql");
        assertThat(POSTGRESQL.ferrySchemaFile()).isEqualTo("ferry-schema-postgresql.sql");
        assertThat(ORACLE.ferrySchemaFile()).isEqualTo("ferry-schema-oracle.sql");
        assertThat(MYSQL.ferryTablesQuery()).isEqualTo(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ferry'");
        assertThat(POSTGRESQL.ferryTablesQuery()).isEqualTo(MYSQL.ferryTablesQuery());
        assertThat(ORACLE.ferryTablesQuery()).isEqualTo("SELECT LOWER(TABLE_NAME) FROM ALL_TABLES WHERE OWNER = 'FERRY'");
    }

    @Test
    void refusedLogins() {
        assertThat(MYSQL.isAccessDenied(new SQLException("denied", "28000", 1045))).isTrue();
        assertThat(MYSQL.isAccessDenied(new SQLException("no password", "28000", 1698))).isTrue();
        assertThat(MYSQL.isAccessDenied(new SQLException("file not found", "HY000", 1017))).isFalse();
        assertThat(POSTGRESQL.isAccessDenied(new SQLException("password authentication failed", "28P01"))).isTrue();
        assertThat(POSTGRESQL.isAccessDenied(new SQLException("no pg_hba.conf entry", "28000"))).isTrue();
        assertThat(POSTGRESQL.isAccessDenied(new SQLException("connection refused", "08001"))).isFalse();
        assertThat(ORACLE.isAccessDenied(new SQLException("ORA-01017", "72000", 1017))).isTrue();
        assertThat(ORACLE.isAccessDenied(new SQLException("ORA-01045", "72000", 1045))).isTrue();
        assertThat(ORACLE.isAccessDenied(new SQLException("ORA-12541", "08006", 12541))).isFalse();
    }

    @Test
    void lockErrors() {
        assertThat(MYSQL.isDeadlock(new SQLException("deadlock", "40001", 1213))).isTrue();
        assertThat(MYSQL.isLockWaitTimeout(new SQLException("lock wait", "HY000", 1205))).isTrue();
        assertThat(MYSQL.isDeadlock(new SQLException("lock wait", "HY000", 1205))).isFalse();
        assertThat(POSTGRESQL.isDeadlock(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(POSTGRESQL.isLockWaitTimeout(new SQLException("lock timeout", "55P03"))).isTrue();
        assertThat(ORACLE.isDeadlock(new SQLException("ORA-00060", "61000", 60))).isFalse();
        for (DialectFactory f : Dialects.factories()) {
            assertThat(f.isRetriable(new SQLException("serialization failure", "40001"))).as(f.toString()).isTrue();
            assertThat(f.isRetriable(new SQLException("syntax", "42000", 1064))).as(f.toString()).isFalse();
        }
    }
}
