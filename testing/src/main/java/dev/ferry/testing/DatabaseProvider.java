package dev.ferry.testing;

import java.util.Optional;

/**
 * Where test databases come from: {@link LocalProcesses} (the default) or containers (the {@code containers}
 * Maven profile, selected with {@code -Dferry.test.databases=containers}). {@link TestServers} picks one per JVM.
 */
public interface DatabaseProvider {

    /** Why a kind of server cannot be had, and whether a CI run must fail for it instead of skipping. */
    record Unavailable(String reason, boolean requiredInCi) {
    }

    /** Empty if this provider can start servers of this kind here, else what is missing and how to fix it. */
    Optional<Unavailable> unavailable(ServerKind kind);

    /**
     * Starts a new server of this kind for a site.
     *
     * @param timeZone the server's default time zone, e.g. {@code +08:00}
     */
    TestDatabase start(ServerKind kind, String siteName, String timeZone);
}
