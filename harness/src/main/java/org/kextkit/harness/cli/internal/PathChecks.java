package org.kextkit.harness.cli.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.kextkit.harness.cli.ExitCodes;

/**
 * Check paths named on a command line the way kext_tools' {@code checkPath} does, with its messages.
 */
public final class PathChecks {
    private PathChecks() {
    }

    /**
     * Check {@code typed} (resolved to {@code resolved}): if {@code suffix} is given, the name must end
     * in {@code .<suffix>} (trailing slashes ignored); the path must exist; if {@code directoryRequired},
     * it must be a directory. Log the failure and return its exit code: {@link ExitCodes#EX_USAGE} for a
     * wrong name or a non-directory, {@link ExitCodes#EX_NOINPUT} for a missing path; else
     * {@link ExitCodes#EX_OK}.
     */
    public static int check(String typed, Path resolved, String suffix, boolean directoryRequired, ToolLog log) {
        if (suffix != null) {
            String name = typed;
            while (name.length() > 1 && name.endsWith("/")) {
                name = name.substring(0, name.length() - 1);
            }
            String tail = "." + suffix;
            if (name.length() <= tail.length() || !name.endsWith(tail)) {
                log.error(typed + " not of type '" + suffix + "'.");
                return ExitCodes.EX_USAGE;
            }
        }
        if (!Files.exists(resolved)) {
            log.error("Can't stat " + typed + " - No such file or directory.");
            return ExitCodes.EX_NOINPUT;
        }
        if (directoryRequired && !Files.isDirectory(resolved)) {
            log.error(typed + " is not a directory.");
            return ExitCodes.EX_USAGE;
        }
        return ExitCodes.EX_OK;
    }
}
