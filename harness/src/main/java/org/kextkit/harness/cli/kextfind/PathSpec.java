package org.kextkit.harness.cli.kextfind;

import java.nio.file.Path;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Choose how kextfind prints a kext's path: in full (the default), relative to its repository
 * ({@code -relative-paths}), or as the bundle name alone ({@code -no-paths}).
 */
public enum PathSpec {
    /** The absolute path. */
    FULL,
    /** The path below the repository directory; a plug-in's includes its container. */
    RELATIVE,
    /** The bundle directory's name only. */
    NONE;

    /** Return the kext's own path in this style. */
    public String format(KextBundle kext) {
        return format(kext, kext.path());
    }

    /**
     * Return {@code file} (the kext or a file inside it) in this style; with {@link #NONE} a file
     * inside the kext is given relative to the directory holding the kext.
     */
    public String format(KextBundle kext, Path file) {
        switch (this) {
            case NONE:
                if (file.equals(kext.path())) {
                    return String.valueOf(file.getFileName());
                }
                return relativeTo(kext.path().getParent(), file);
            case RELATIVE:
                KextBundle top = kext;
                while (top.parent() != null) {
                    top = top.parent();
                }
                return relativeTo(top.path().getParent(), file);
            default:
                return file.toString();
        }
    }

    private static String relativeTo(Path base, Path file) {
        return base == null ? file.toString() : base.relativize(file).toString();
    }
}
