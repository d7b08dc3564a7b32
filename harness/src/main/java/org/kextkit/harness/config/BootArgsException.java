package org.kextkit.harness.config;

/**
 * Report a boot-arg whose value has the wrong form, naming the argument, what was expected and what
 * was found.
 */
public final class BootArgsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String arg;
    private final String expected;
    private final String found;

    /** Create an exception for argument {@code arg} as written. */
    public BootArgsException(String arg, String expected, String found) {
        super("boot-arg " + arg + ": expected " + expected + ", found " + found);
        this.arg = arg;
        this.expected = expected;
        this.found = found;
    }

    /** Return the offending argument as written, for example {@code debug=0xZZ}. */
    public String arg() {
        return arg;
    }

    /** Return what the argument should have looked like. */
    public String expected() {
        return expected;
    }

    /** Return what was found instead. */
    public String found() {
        return found;
    }
}
