package org.kextkit.harness.check;

/** How bad a finding is; the SARIF level it maps to. */
public enum Severity {
    /** The kernel panicked: everything after it is lost on a real machine. */
    FATAL("error"),
    /** A defect that crashes, corrupts or hangs a real kernel (or panics a debug kernel). */
    ERROR("error"),
    /** A defect that leaks or misbehaves without crashing at once, or a likely defect. */
    WARNING("warning"),
    /** Advice: style, portability, something worth a look. */
    NOTE("note");

    private final String sarifLevel;

    Severity(String sarifLevel) {
        this.sarifLevel = sarifLevel;
    }

    /** Return the SARIF 2.1.0 {@code level} of this severity. */
    public String sarifLevel() {
        return sarifLevel;
    }
}
