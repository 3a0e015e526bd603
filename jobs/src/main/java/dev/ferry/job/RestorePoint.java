package dev.ferry.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a direction's state lives under the channel's state directory, and which snapshot to
 * resume from: the newest completed one, a savepoint taken at a clean stop or the last retained
 * checkpoint after a crash. A snapshot is complete once its {@code _metadata} file exists.
 */
public final class RestorePoint {
    private RestorePoint() {}

    /** {@code <state-dir>/<from>-<to>}: direction names contain "->", which some tools dislike. */
    public static Path directionDir(Path stateDir, String direction) {
        return stateDir.resolve(direction.replace("->", "-to-").replaceAll("[^A-Za-z0-9_.-]", "_"));
    }

    public static Path checkpointDir(Path stateDir, String direction) {
        return directionDir(stateDir, direction).resolve("checkpoints");
    }

    public static Path savepointDir(Path stateDir, String direction) {
        return directionDir(stateDir, direction).resolve("savepoints");
    }

    public static Optional<Path> latest(Path stateDir, String direction) {
        Path dir = directionDir(stateDir, direction);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(dir, 4)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .max(Comparator.comparingLong(RestorePoint::modified))
                    .map(Path::getParent);
        } catch (IOException e) {
            throw new FerryException("Cannot read the state directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
