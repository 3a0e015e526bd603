package dev.ferry.testing;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What every {@link TestDatabase} has, whoever provides it: kind, name, the shared admin account, and a close
 * that happens once and rules out restarts. Subclasses say how to reach the server and what closing frees.
 */
abstract class AbstractTestDatabase implements TestDatabase {

    private final ServerKind kind;
    private final String name;
    private boolean closed;

    AbstractTestDatabase(ServerKind kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    @Override
    public ServerKind kind() {
        return kind;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String adminUser() {
        return DatabaseServer.ADMIN_USER;
    }

    @Override
    public String adminPassword() {
        return DatabaseServer.ADMIN_PASSWORD;
    }

    @Override
    public Connection connect() throws SQLException {
        return connect(null);
    }

    @Override
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        release();
    }

    /** Frees what the server holds (processes, files, container); run once, by the first {@link #close()}. */
    abstract void release();

    /** For restart(): a closed server has nothing left to start. Caller holds the lock. */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }
}
