package org.kextkit.kit.internal;

import java.security.CodeSource;
import java.util.Objects;

/**
 * Find the code that called into the kit: the first stack frame outside the kit's own classes and
 * the JDK. Allocation, free and fault sites in reports point there, at the driver's line.
 *
 * <p>The kit is recognised by where its classes were loaded from, not by package name, so tests that
 * live in kit packages but in another class folder still count as callers.
 */
public final class CallSites {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final Object KIT_LOCATION = locationOf(CallSites.class);
    private static final ClassValue<Boolean> SKIPPED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            ClassLoader loader = type.getClassLoader();
            if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
                return true;
            }
            Object location = locationOf(type);
            return location != null && Objects.equals(location, KIT_LOCATION);
        }
    };

    private CallSites() {
    }

    /** Return the first frame of the current stack outside the kit and the JDK, or {@code null}. */
    public static StackTraceElement caller() {
        return WALKER.walk(frames -> frames
                .filter(frame -> !SKIPPED.get(frame.getDeclaringClass()))
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
    }

    /** Return the first class on the current stack outside the kit and the JDK, or {@code null}. */
    public static Class<?> callerClass() {
        return WALKER.walk(frames -> frames
                .map(StackWalker.StackFrame::getDeclaringClass)
                .filter(type -> !SKIPPED.get(type))
                .findFirst()
                .orElse(null));
    }

    private static Object locationOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }
}
