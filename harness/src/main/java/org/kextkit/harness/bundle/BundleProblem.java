package org.kextkit.harness.bundle;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Describe why a path could not be read as a kext: not a kext, no Info.plist, an unreadable
 * Info.plist. The message is complete (it names the path) and can be printed as it is.
 *
 * @param path the path that was being read
 * @param message what was wrong and what to do
 */
public record BundleProblem(Path path, String message) {
    /** Check the components. */
    public BundleProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return message;
    }
}
