package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The REST address of a channel's running {@code ferry run}, recorded in its state directory, so that
 * {@code ferry status} reads that channel's own cluster and not whatever else listens on a port.
 */
public final class RunAddress {
    static final String FILE = "ferry-run.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A recorded run: its REST address and the process that serves it. */
    public record Recorded(String url, long pid, Path file) {
        /** Whether the recording process still runs (a kill -9 leaves the file behind). */
        public boolean alive() {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    private RunAddress() {}

    static void record(Path stateDir, String url) {
        try {
            Files.createDirectories(stateDir);
            Path tmp = Files.createTempFile(stateDir, FILE, ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(JSON.createObjectNode().put("url", url)
                    .put("pid", ProcessHandle.current().pid())));
            // a reader never sees half a file
            Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot record the dashboard address in " + stateDir.resolve(FILE), e);
        }
    }

    /** Removes the record if this process wrote it. */
    static void forget(Path stateDir) {
        read(stateDir).filter(r -> r.pid() == ProcessHandle.current().pid()).ifPresent(r -> {
            try {
                Files.deleteIfExists(r.file());
            } catch (IOException e) {
                // a stale record is recognised by its dead process
            }
        });
    }

    /** The run recorded in this state directory, if any. */
    public static Optional<Recorded> read(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return Optional.of(new Recorded(n.path("url").asText(), n.path("pid").asLong(-1), file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
