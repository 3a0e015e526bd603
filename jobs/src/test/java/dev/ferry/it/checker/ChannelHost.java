package dev.ferry.it.checker;

import java.util.List;

/** Where the channel's directions run: in this JVM or as a {@code ferry run} process. */
interface ChannelHost extends AutoCloseable {
    String kind();

    /** The Flink REST address of the jobs. */
    String restUrl() throws Exception;

    /** What the directions reported as failing so far, in order, as {@code ferry run} prints it. */
    List<String> problems();

    /** Stops at once, without a savepoint: the next host resumes from the retained checkpoints. */
    void crash() throws Exception;

    @Override
    default void close() throws Exception {
        crash();
    }
}
