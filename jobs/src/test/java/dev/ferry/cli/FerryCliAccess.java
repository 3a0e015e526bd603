package dev.ferry.cli;

/** Lets tests in other packages run a {@code ferry} command in-process and see its exit code. */
public final class FerryCliAccess {
    private FerryCliAccess() {}

    public static int run(String... args) {
        return FerryCli.run(args);
    }
}
