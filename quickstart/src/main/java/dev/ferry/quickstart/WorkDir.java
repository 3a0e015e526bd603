package dev.ferry.quickstart;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/**
 * The quickstart's working directory ({@code --dir}): making or emptying it, the files written into it (channel
 * file, client option files, log) and removing the run's data at the end.
 */
final class WorkDir {
    private static final String MARKER = ".ferry-quickstart";

    private final Path dir;
    private final PrintStream err;

    WorkDir(Path dir, PrintStream err) {
        this.dir = dir.toAbsolutePath().normalize();
        this.err = err;
    }

    Path path() {
        return dir;
    }

    Path resolve(String name) {
        return dir.resolve(name);
    }

    String channelYaml(DemoServer sh, DemoServer us, Path passwordFile) {
        StringBuilder y = new StringBuilder();
        y.append("# Written by `ferry quickstart`: two sites on this machine, replicated both ways.\n");
        y.append("channel: ").append(Quickstart.CHANNEL).append('\n');
        y.append("sites:\n");
        for (DemoServer s : List.of(sh, us)) {
            y.append("  ").append(s.site()).append(":\n");
            y.append("    url: \"").append(s.jdbcUrl()).append("\"\n");
            y.append("    user: ferry\n");
            y.append("    password-file: ").append(yamlString(passwordFile.toString())).append('\n');
        }
        y.append("directions:\n");
        // only the first direction's source may seed the others: snapshot rows carry no loop stamp
        y.append("  - { from: sh, to: us, startup: initial }   # copy sh's rows to us, then follow sh's binlog\n");
        y.append("  - { from: us, to: sh, startup: latest }    # follow us's binlog from now on\n");
        y.append("tables:\n");
        y.append("  include: ['").append(Shop.DATABASE).append("\\..*']\n");
        y.append("conflicts:\n");
        y.append("  default: { priority: sh }   # when both sites change one row at once, sh's version wins\n");
        y.append("state-dir: ").append(yamlString(dir.resolve("state").toString())).append('\n');
        y.append("checkpoint-interval: 500ms\n");
        return y.toString();
    }

    private static String yamlString(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    void writeClientFile(DemoServer server, String ferryPassword) throws IOException {
        Secrets.writePrivate(clientFile(server), "[client]\nhost=127.0.0.1\nport=" + server.port()
                + "\nuser=ferry\npassword=" + ferryPassword
                // the demo servers run without TLS (see DemoServer); the 11.4 client insists on it by default
                + "\nskip-ssl\n");
    }

    Path clientFile(DemoServer server) {
        return dir.resolve(server.site() + ".cnf");
    }

    Path binaries() {
        return dir.resolve("mariadb");
    }

    Path logFile() {
        return Path.of(System.getProperty("ferry.log", dir.resolve("ferry.log").toString())).toAbsolutePath();
    }

    /**
     * Creates the working directory, or empties one that an earlier quickstart made. Refuses any other
     * non-empty directory, so that a typo in --dir cannot delete someone's files.
     */
    void prepare() throws IOException {
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER))) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(display(dir) + " exists and was not made by ferry quickstart;"
                            + " choose another directory with --dir");
                }
            }
        }
        if (Files.exists(dir.resolve(MARKER))) {
            System.out.println("Replacing the previous quickstart in " + display(dir) + ".");
            for (String site : List.of("sh", "us")) {
                DemoServer.stopLeftover(dir.resolve(site).resolve("data"));
            }
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path p : entries.toList()) {
                    if (!p.getFileName().toString().equals(MARKER)) {
                        deleteRecursively(p);
                    }
                }
            }
        }
        Secrets.privateDirectory(dir);
        Files.writeString(dir.resolve(MARKER), "made by ferry quickstart; the next quickstart run empties this directory\n");
    }

    void removeRunData() {
        for (String name : List.of("sh", "us", "state", "mariadb", "ferry.password", "sh.cnf", "us.cnf")) {
            try {
                deleteRecursively(dir.resolve(name));
            } catch (IOException | UncheckedIOException e) {
                err.println("ferry quickstart: could not remove " + display(dir.resolve(name)) + ": " + e.getMessage());
            }
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                try {
                    Files.deleteIfExists(d);
                } catch (DirectoryNotEmptyException raced) {
                    deleteRecursively(d);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Logs go to {@code <dir>/ferry.log}, and only warnings to the console. An explicit log4j configuration
     * (as {@code ./ferry} passes) is respected; it is given the log file through {@code ferry.log}.
     */
    void configureLogging() {
        // the binlog client logs each connection through java.util.logging, straight onto the console
        for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
            if (h.getLevel().intValue() < java.util.logging.Level.WARNING.intValue()) {
                h.setLevel(java.util.logging.Level.WARNING);
            }
        }
        if (System.getProperty("ferry.log") == null) {
            System.setProperty("ferry.log", dir.resolve("ferry.log").toString());
        }
        if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("log4j.configurationFile") == null) {
            URL bundled = Quickstart.class.getResource("log4j2-quickstart.properties");
            if (bundled != null) {
                System.setProperty("log4j2.configurationFile", bundled.toString());
            }
        }
    }

    /** A path as the user can best read it: relative to the current directory if it is inside it. */
    static String display(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? "./" + cwd.relativize(abs) : abs.toString();
    }
}
