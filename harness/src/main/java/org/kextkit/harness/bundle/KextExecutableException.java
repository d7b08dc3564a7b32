package org.kextkit.harness.bundle;

import java.nio.file.Path;

/**
 * Report that a kext's executable jar cannot be used; the message names the file and the problem.
 */
public final class KextExecutableException extends Exception {
    private final Path path;
    private final String problem;

    /** Create an exception for {@code path} with a problem phrase such as "is not a valid jar". */
    public KextExecutableException(Path path, String problem) {
        super(path + " " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** Return the executable's path. */
    public Path path() {
        return path;
    }

    /** Return the problem phrase without the path, such as "is not a valid jar (no entries)". */
    public String problem() {
        return problem;
    }
}
