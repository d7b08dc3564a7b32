package org.kextkit.kit.internal;

/**
 * Thrown to unwind a kext call when the kernel panics: the hosted kernel that catches it at the
 * kernel/kext boundary stops, records a panic report, and refuses further work; the harness and
 * other kernels in the same JVM go on.
 *
 * <p>It is an {@link Error} so that a kext's own {@code catch (Exception e)} does not swallow it.
 */
public class KernelPanic extends Error {
    private static final long serialVersionUID = 1L;

    /** Create a panic with the panic string the report shows first. */
    public KernelPanic(String panicString) {
        super(panicString);
    }

    /** Create a panic caused by a throwable (a kext's exception that escaped a primary-interrupt routine, ...). */
    public KernelPanic(String panicString, Throwable cause) {
        super(panicString, cause);
    }
}
