package org.kextkit.kit.internal;

/**
 * Find the hosted kernel that a kit call belongs to.
 *
 * <p>A call is routed by the class loader of the calling class (each kext's loader is bound to one
 * kernel); failing that, by the kernel the current thread is running for; failing that, the message
 * goes to standard error, so that plain unit tests of driver logic without a kernel still see it.
 */
public final class KernelRuntime {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final InheritableThreadLocal<KernelServices> CURRENT = new InheritableThreadLocal<>();

    private KernelRuntime() {
    }

    /** Return the class that called the kit function which calls this method. */
    public static Class<?> callerClass() {
        // frame 0 is this method, 1 the kit function, 2 its caller
        return WALKER.walk(frames -> frames.skip(2).findFirst().map(StackWalker.StackFrame::getDeclaringClass).orElse(null));
    }

    /** Return the kernel services for a caller, or {@code null} when no kernel is involved. */
    public static KernelServices servicesFor(Class<?> caller) {
        if (caller != null && caller.getClassLoader() instanceof KernelBound) {
            return ((KernelBound) caller.getClassLoader()).kernelServices();
        }
        return CURRENT.get();
    }

    /** Log through the caller's kernel. */
    public static void log(Class<?> caller, String function, String message) {
        String line = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
        KernelServices services = servicesFor(caller);
        if (services != null) {
            services.log(caller, function, line);
        } else {
            System.err.println(line);
        }
    }

    /**
     * Run on behalf of a kernel until the returned scope is closed; threads started meanwhile
     * inherit the binding.
     */
    public static Scope enter(KernelServices services) {
        KernelServices previous = CURRENT.get();
        CURRENT.set(services);
        return () -> CURRENT.set(previous);
    }

    /** Restore the previous binding when closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
