package dev.ferry.testing;

/** The database servers the tests can start. Both are reached with MySQL Connector/J. */
public enum ServerKind {
    /** MariaDB from the host's Debian packages ({@code mariadbd}, {@code mariadb-install-db}). */
    MARIADB,
    /** Oracle MySQL, run with chroot from the root filesystem built by deploy/test-servers/mysql-rootfs.sh. */
    MYSQL;

    /** Lower-case name used in directory names. */
    String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
