package dev.ferry.testing;

import java.util.Optional;

import org.testcontainers.DockerClientFactory;

/**
 * The provider of {@code -Dferry.test.databases=containers} (compiled only with the {@code containers} Maven
 * profile): MySQL ({@link MySqlContainerDatabase}) and Oracle ({@link OracleContainerDatabase}) as containers;
 * MariaDB and PostgreSQL stay local processes ({@link LocalProcesses}), which need no Docker.
 */
public final class ContainerDatabases implements DatabaseProvider {

    private final LocalProcesses local = new LocalProcesses();
    private volatile Optional<String> dockerMissing;

    @Override
    public Optional<Unavailable> unavailable(ServerKind kind) {
        if (!inContainers(kind)) {
            return local.unavailable(kind);
        }
        // CI machines have no Docker engine: skip there too, instead of failing
        return dockerMissing().map(reason -> new Unavailable(reason, false));
    }

    @Override
    public TestDatabase start(ServerKind kind, String siteName, String timeZone) {
        if (!inContainers(kind)) {
            return local.start(kind, siteName, timeZone);
        }
        dockerMissing().ifPresent(reason -> {
            throw new IllegalStateException("cannot start a " + kind + " container for site '" + siteName + "': "
                    + reason);
        });
        return kind == ServerKind.MYSQL
                ? MySqlContainerDatabase.start(siteName, timeZone)
                : OracleContainerDatabase.start(siteName, timeZone);
    }

    private static boolean inContainers(ServerKind kind) {
        return kind == ServerKind.MYSQL || kind == ServerKind.ORACLE;
    }

    /** Empty if Testcontainers finds a Docker engine; asked once per JVM (the search takes seconds). */
    private Optional<String> dockerMissing() {
        Optional<String> missing = dockerMissing;
        if (missing == null) {
            synchronized (this) {
                if (dockerMissing == null) {
                    dockerMissing = findDocker();
                }
                missing = dockerMissing;
            }
        }
        return missing;
    }

    private static Optional<String> findDocker() {
        try {
            DockerClientFactory.instance().client(); // throws, saying which strategies it tried, if none works
            return DockerClientFactory.instance().isDockerAvailable()
                    ? Optional.empty()
                    : Optional.of(noDocker("Testcontainers found no working Docker environment"));
        } catch (RuntimeException e) {
            return Optional.of(noDocker(e.getMessage()));
        }
    }

    private static String noDocker(String why) {
        return "Docker is not available (" + why + "); the containers profile needs a Docker engine that this"
                + " user can reach (DOCKER_HOST or /var/run/docker.sock): start one, or run without"
                + " -Dferry.test.databases=containers";
    }
}
