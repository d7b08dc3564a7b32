package org.kextkit.harness.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Format Java stacks the way kext authors read them: as {@code class.method(File:line)} frames, with
 * the kext's own frames picked out, and without the scheduler's parking frames on top.
 */
public final class Backtrace {
    // Class loaders that never define kext code: the JDK's and the application's (harness, tests).
    private static final Set<String> HOST_LOADERS = Set.of("app", "platform", "boot");
    private static final String[] PLUMBING = {"java.lang.Thread.getStackTrace", "jdk.internal.", "java.util.concurrent.",
        "org.kextkit.harness.scheduler.VirtualTimeScheduler.", "org.kextkit.harness.scheduler.VirtualTimeScheduler$",
        "org.kextkit.harness.scheduler.KernelLock."};

    // Outside callers' stacks go down through the test runner or the command line; the top is what matters.
    private static final int MAX_FRAMES = 40;

    private Backtrace() {
    }

    /**
     * Return true if a frame belongs to kext code: kexts' classes are defined by class loaders named
     * after their bundle identifiers, never by the JDK's or the application's loader.
     */
    public static boolean isKextFrame(StackTraceElement frame) {
        String loader = frame.getClassLoaderName();
        return loader != null && !HOST_LOADERS.contains(loader);
    }

    /** Return the bundle identifier of a kext frame's kext, or {@code null} for other frames. */
    public static String kextOf(StackTraceElement frame) {
        return isKextFrame(frame) ? frame.getClassLoaderName() : null;
    }

    /** Return the stack without the frames of the JDK's locks and the scheduler that sit above the interesting ones. */
    public static List<StackTraceElement> withoutPlumbing(StackTraceElement[] stack) {
        int first = 0;
        while (first < stack.length && isPlumbing(stack[first])) {
            first++;
        }
        List<StackTraceElement> frames = new ArrayList<>();
        for (int i = first; i < stack.length; i++) {
            frames.add(stack[i]);
        }
        return frames;
    }

    private static boolean isPlumbing(StackTraceElement frame) {
        String name = frame.getClassName() + "." + frame.getMethodName();
        for (String prefix : PLUMBING) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Return the kext frames of a stack, innermost first. */
    public static List<StackTraceElement> kextFrames(List<StackTraceElement> stack) {
        List<StackTraceElement> kext = new ArrayList<>();
        for (StackTraceElement frame : stack) {
            if (isKextFrame(frame)) {
                kext.add(frame);
            }
        }
        return kext;
    }

    /** Return a frame as {@code class.method(File:line)}, without the class loader and module prefixes. */
    public static String frame(StackTraceElement frame) {
        String where;
        if (frame.isNativeMethod()) {
            where = "Native Method";
        } else if (frame.getFileName() == null) {
            where = "Unknown Source";
        } else if (frame.getLineNumber() >= 0) {
            where = frame.getFileName() + ":" + frame.getLineNumber();
        } else {
            where = frame.getFileName();
        }
        return frame.getClassName() + "." + frame.getMethodName() + "(" + where + ")";
    }

    /** Return {@code class.method} of a frame, as a panic's caller is shown. */
    public static String method(StackTraceElement frame) {
        return frame.getClassName() + "." + frame.getMethodName();
    }

    /**
     * Return the lines of a stack, kext frames first: a "kext frames" block (if any) and then the
     * whole stack, each line indented by {@code indent}.
     */
    public static List<String> lines(List<StackTraceElement> stack, String indent) {
        List<String> out = new ArrayList<>();
        List<StackTraceElement> kext = kextFrames(stack);
        if (!kext.isEmpty()) {
            out.add(indent + "Kext frames:");
            for (StackTraceElement frame : kext) {
                out.add(indent + "  " + frame(frame) + " [" + kextOf(frame) + "]");
            }
        }
        out.add(indent + "Java stack:");
        int shown = Math.min(stack.size(), MAX_FRAMES);
        for (StackTraceElement frame : stack.subList(0, shown)) {
            out.add(indent + "  " + frame(frame));
        }
        if (shown < stack.size()) {
            out.add(indent + "  ... " + (stack.size() - shown) + " more");
        }
        return out;
    }

    /** Format kernel time in nanoseconds as seconds with nine decimals, as panic logs show uptime. */
    public static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%d.%09d s", nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }
}
