package org.kextkit.harness.cli.support;

/**
 * Hold what one command run printed and returned.
 *
 * @param status the exit status
 * @param out standard output
 * @param err standard error
 */
public record CliResult(int status, String out, String err) {
    @Override
    public String toString() {
        return "status " + status + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
}
