package org.kextkit.harness.config;

import java.util.Optional;

/**
 * Name the CPU architectures the hosted kernel can pretend to run on.
 *
 * <p>The names are Apple's ({@code kextstat -a}, {@code OSBundleExecutable} slices).
 */
public enum Arch {
    /** Intel 64-bit. */
    X86_64("x86_64"),
    /** Apple silicon. */
    ARM64("arm64");

    private final String archName;

    Arch(String archName) {
        this.archName = archName;
    }

    /** Return Apple's name for the architecture, for example {@code x86_64}. */
    public String archName() {
        return archName;
    }

    /** Return the architecture with Apple's name {@code name}, if there is one. */
    public static Optional<Arch> byName(String name) {
        for (Arch a : values()) {
            if (a.archName.equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return archName;
    }
}
