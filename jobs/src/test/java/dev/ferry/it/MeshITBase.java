package dev.ferry.it;

import dev.ferry.cli.LocalRunner;
import dev.ferry.testing.ServerKind;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Runs every direction of a {@link Mesh} through {@code ferry run}'s in-process runner, on servers of one kind. */
abstract class MeshITBase {
    @TempDir
    Path stateDir;

    LocalRunner runner;
    /** What the runner reported as failing, e.g. a direction that stopped. */
    final List<String> problems = new CopyOnWriteArrayList<>();

    abstract ServerKind kind();

    @AfterEach
    void stopRunner() throws Exception {
        if (runner != null) {
            runner.close();
        }
    }

    void start(Mesh mesh) throws Exception {
        runner = new LocalRunner(mesh.config(), 0, problems::add);
        runner.start();
    }
}
