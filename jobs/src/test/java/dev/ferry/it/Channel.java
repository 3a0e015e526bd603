package dev.ferry.it;

import dev.ferry.config.ChannelConfig;
import dev.ferry.testing.ServerKind;
import dev.ferry.testing.TestDatabase;
import dev.ferry.testing.TestServers;
import java.nio.file.Path;
import java.util.Map;

/**
 * A one-direction test channel {@code sh->us} over one test database name at two servers. The
 * password comes from an environment variable, as a user would configure it.
 */
public final class Channel {
    public static final String PASSWORD_VARIABLE = "FERRY_TEST_PASSWORD";

    public final String name;
    public final String database;
    public final TestDatabase sh;
    public final TestDatabase us;
    public final Path stateDir;

    public Channel(String name, String database, TestDatabase sh, TestDatabase us, Path stateDir) {
        this.name = name;
        this.database = database;
        this.sh = sh;
        this.us = us;
        this.stateDir = stateDir;
    }

    /**
     * A channel over a new database {@code prefix...} at the sh and us test servers of {@code kind}; its
     * name is unique per test JVM and server kind.
     */
    static Channel onNewDatabase(ServerKind kind, String prefix, Path stateDir) {
        TestDatabase sh = TestServers.site(kind, "sh");
        TestDatabase us = TestServers.site(kind, "us");
        return new Channel(prefix + ProcessHandle.current().pid() + kind.ordinal(), sh.createDatabase(prefix), sh, us,
                stateDir);
    }

    public String yaml(String startup, String applyMode) {
        return String.join("\n",
                "channel: " + name,
                "sites:",
                "  sh: { url: \"" + sh.jdbcUrl() + "\", user: " + sh.adminUser() + ", password: \"${env:"
                        + PASSWORD_VARIABLE + "}\" }",
                "  us: { url: \"" + us.jdbcUrl() + "\", user: " + us.adminUser() + ", password: \"${env:"
                        + PASSWORD_VARIABLE + "}\" }",
                OneDirection.channelTail("sh", "us", startup, database, stateDir, applyMode));
    }

    public ChannelConfig config(String startup, String applyMode) {
        return ChannelConfig.parse(yaml(startup, applyMode), name + ".yaml",
                Map.of(PASSWORD_VARIABLE, sh.adminPassword())::get);
    }
}
