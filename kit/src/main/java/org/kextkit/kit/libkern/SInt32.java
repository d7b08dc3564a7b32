package org.kextkit.kit.libkern;

/**
 * A mutable 32-bit integer, the Java form of an {@code SInt32 *} out-parameter such as the score
 * {@code IOService::probe} may change.
 */
public final class SInt32 {
    /** The value. */
    public int value;

    /** Create one holding {@code value}. */
    public SInt32(int value) {
        this.value = value;
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
