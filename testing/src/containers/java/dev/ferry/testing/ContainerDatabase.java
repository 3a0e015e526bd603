package dev.ferry.testing;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.JdbcDatabaseContainer;

/**
 * The container half of a {@link TestDatabase}: a database container whose port is bound to a fixed host port,
 * so that a stopped or killed container starts again where the tests (and Ferry's channel files) expect it.
 * Subclasses say what the database is: its URL, its SQL for a version and a new database.
 *
 * <p>Testcontainers removes the container when the JVM exits (its Ryuk container), like the local servers'
 * shutdown hook.
 */
abstract class ContainerDatabase extends AbstractTestDatabase {

    private static final System.Logger LOG = System.getLogger(ContainerDatabase.class.getName());
    private static final int STOP_TIMEOUT_SECONDS = (int) ServerProcesses.STOP_TIMEOUT.toSeconds();

    private final JdbcDatabaseContainer<?> container;
    /** Chosen before the container starts and bound explicitly: Docker gives a random port a new one on restart. */
    private final int hostPort;

    ContainerDatabase(ServerKind kind, String name, JdbcDatabaseContainer<?> container, int containerPort) {
        super(kind, name);
        this.container = container;
        this.hostPort = ServerProcesses.freePort();
        container.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                new PortBinding(Ports.Binding.bindPort(hostPort), new ExposedPort(containerPort))));
    }

    /** Starts the container and waits until it accepts connections; stops it again if that fails. */
    void startContainer() {
        long t0 = System.nanoTime();
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop();
            throw new IllegalStateException("cannot start " + this + " from image " + container.getDockerImageName()
                    + ": " + e.getMessage() + "\n--- container log ---\n" + logTail(), e);
        }
        LOG.log(Level.INFO, "{0} started from {1} in {2} ms", this, container.getDockerImageName(),
                Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }

    JdbcDatabaseContainer<?> container() {
        return container;
    }

    /** How long a started container may take until it accepts connections (Oracle needs longer than MySQL). */
    abstract Duration startTimeout();

    /** An admin connection with short timeouts, to see whether the server accepts connections yet. */
    abstract Connection probe() throws SQLException;

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return hostPort;
    }

    /** docker stop: SIGTERM, the server shuts down cleanly; SIGKILL after the stop timeout. */
    @Override
    public synchronized void stop() {
        if (isRunning()) {
            docker().stopContainerCmd(id()).withTimeout(STOP_TIMEOUT_SECONDS).exec();
            awaitStopped();
        }
    }

    /** docker kill: SIGKILL, as in a crash. */
    @Override
    public synchronized void kill() {
        if (isRunning()) {
            docker().killContainerCmd(id()).exec();
            awaitStopped();
        }
    }

    /** docker start on the same container, so the same data and host port; stops it first if it runs. */
    @Override
    public synchronized void restart() {
        ensureOpen();
        stop();
        docker().startContainerCmd(id()).exec();
        Await.until(this::acceptsConnections, startTimeout(), this + " to accept connections after a restart");
    }

    @Override
    public boolean isRunning() {
        String id = container.getContainerId();
        if (id == null) {
            return false;
        }
        Boolean running = docker().inspectContainerCmd(id).exec().getState().getRunning();
        return Boolean.TRUE.equals(running);
    }

    /** Removes the container and its data. */
    @Override
    void release() {
        container.stop();
    }

    @Override
    public String toString() {
        return kind() + " container '" + name() + "' at " + (container.getContainerId() == null ? "127.0.0.1" : host())
                + ":" + hostPort;
    }

    private boolean acceptsConnections() {
        try (Connection c = probe()) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void awaitStopped() {
        Await.until(() -> !isRunning(), Duration.ofSeconds(STOP_TIMEOUT_SECONDS + 30L), this + " to stop");
    }

    private String logTail() {
        try {
            List<String> lines = container.getLogs().lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (RuntimeException e) {
            return "(no container log: " + e.getMessage() + ")";
        }
    }

    private String id() {
        return container.getContainerId();
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }
}
