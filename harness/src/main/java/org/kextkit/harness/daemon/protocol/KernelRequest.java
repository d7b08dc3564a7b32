package org.kextkit.harness.daemon.protocol;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Carry one command from a client to the kernel daemon: its argv, the client's working directory and a
 * few facts about the client's environment.
 *
 * @param argv the command and its arguments, for example {@code [kextstat, -l]}
 * @param cwd the client's working directory; relative paths in {@code argv} are relative to it
 * @param facts small facts about the client, keyed by the names in {@link #FACT_NAMES} (others are
 *     ignored by this daemon version)
 */
public record KernelRequest(List<String> argv, String cwd, Map<String, String> facts) {
    /** The client's process id. */
    public static final String FACT_PID = "pid";
    /** The client's user name ({@code user.name}). */
    public static final String FACT_USER = "user";
    /** {@code true} if the client runs on a terminal ({@code System.console() != null}), else {@code false}. */
    public static final String FACT_CONSOLE = "console";
    /** The client's {@code COLUMNS} environment variable, when set. */
    public static final String FACT_COLUMNS = "COLUMNS";
    /** The client's {@code TERM} environment variable, when set. */
    public static final String FACT_TERM = "TERM";
    /** Every fact name this protocol version defines. */
    public static final List<String> FACT_NAMES = List.of(FACT_PID, FACT_USER, FACT_CONSOLE, FACT_COLUMNS, FACT_TERM);

    /** Copy the collections so that a request cannot change after it is built. */
    public KernelRequest {
        argv = List.copyOf(argv);
        Objects.requireNonNull(cwd, "cwd");
        facts = Map.copyOf(facts);
    }
}
