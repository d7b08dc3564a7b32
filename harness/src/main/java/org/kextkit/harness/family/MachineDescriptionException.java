package org.kextkit.harness.family;

/**
 * A machine description that cannot be used; the message names the file, the device entry and key,
 * and what was expected.
 */
public class MachineDescriptionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Create one with a complete message. */
    public MachineDescriptionException(String message) {
        super(message);
    }
}
