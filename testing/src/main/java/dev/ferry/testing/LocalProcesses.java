package dev.ferry.testing;

import java.util.Map;
import java.util.Optional;

/**
 * Test databases as processes of this machine: MariaDB, MySQL 9.x and 8.0 ({@link DatabaseServer}) and PostgreSQL
 * ({@link PostgresServer}). Oracle needs a container, so it is never available here.
 */
public final class LocalProcesses implements DatabaseProvider {

    @Override
    public Optional<Unavailable> unavailable(ServerKind kind) {
        // CI installs the local servers (.ci/run), so a missing one is a failure there; it has no Docker for Oracle
        return ServerBinaries.unavailableReason(kind).map(reason -> new Unavailable(reason, kind != ServerKind.ORACLE));
    }

    @Override
    public TestDatabase start(ServerKind kind, String siteName, String timeZone) {
        switch (kind) {
            case MARIADB:
            case MYSQL:
            case MYSQL_8_0:
                return DatabaseServer.start(kind, siteName, Map.of("default-time-zone", timeZone));
            case POSTGRESQL:
                return PostgresServer.start(siteName, timeZone);
            default:
                throw new IllegalStateException("cannot start " + kind + " server '" + siteName + "': "
                        + ServerBinaries.unavailableReason(kind).orElse("not supported by local processes"));
        }
    }
}
