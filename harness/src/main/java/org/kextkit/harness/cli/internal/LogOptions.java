package org.kextkit.harness.cli.internal;

import java.util.Map;
import java.util.Stack;
import picocli.CommandLine.IParameterPreprocessor;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Declare the {@code -q}/{@code -quiet} and {@code -v}/{@code -verbose [level]} options shared by
 * kextload, kextunload, kextutil and kextlibs.
 */
public final class LogOptions {
    @Option(names = {"-q", "-quiet", "--quiet"}, order = 90,
            description = "Quiet mode: print no informational or error messages.")
    boolean quiet;

    // The level is optional and must not swallow a following kext path, which picocli's own
    // optional-parameter handling would do; the preprocessor takes it only if it looks like a level.
    @Option(names = {"-v", "-verbose", "--verbose"}, arity = "0..1", paramLabel = "LEVEL", order = 91,
            preprocessor = VerbosePreprocessor.class,
            description = "Verbose mode: 0-6, or 0x<flags> whose low nibble is the level; a bare -v means 1.")
    String verbose;

    /** Return true if {@code -q} was given. */
    public boolean quiet() {
        return quiet;
    }

    /** Return the log threshold: silent with {@code -q}, the {@code -v} level, else {@code defaultThreshold}. */
    public int threshold(int defaultThreshold) {
        if (quiet) {
            return ToolLog.SILENT;
        }
        return verbose == null ? defaultThreshold : VerboseLevel.threshold(verbose);
    }

    /** Return true if {@code -v} was given. */
    public boolean verboseGiven() {
        return verbose != null;
    }

    /** Take {@code -v}'s argument only when it is a level, as kext_tools' {@code setLogFilterForOpt} does. */
    public static final class VerbosePreprocessor implements IParameterPreprocessor {
        @Override
        public boolean preprocess(Stack<String> args, CommandSpec commandSpec, ArgSpec argSpec, Map<String, Object> info) {
            String separator = String.valueOf(info.get("separator"));
            boolean attached = !" ".equals(separator);
            String next = args.isEmpty() ? null : args.peek();
            if (attached) {
                // "-v=2" or "-v0x8": the value was typed as part of the option, so it must be a level.
                args.pop();
                if (!VerboseLevel.isLevel(next)) {
                    throw new ParameterException(commandSpec.commandLine(),
                            "Can't parse verbose argument " + next + ".");
                }
                argSpec.setValue(next);
            } else if (VerboseLevel.isLevel(next)) {
                args.pop();
                argSpec.setValue(next);
            } else if (VerboseLevel.looksHex(next)) {
                throw new ParameterException(commandSpec.commandLine(), "Can't parse verbose argument " + next + ".");
            } else {
                argSpec.setValue(VerboseLevel.BARE);
            }
            return true;
        }
    }
}
