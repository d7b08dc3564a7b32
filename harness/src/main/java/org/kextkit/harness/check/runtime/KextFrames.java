package org.kextkit.harness.check.runtime;

import java.util.List;
import java.util.stream.Collectors;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.check.CodeSite;
import org.kextkit.harness.link.KextClassLoader;

/** Find the frames of kext code (classes a kext's own loader defined) on the current stack. */
final class KextFrames {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /**
     * One frame of kext code. The frame keeps the walker's frame and makes its stack-trace element
     * (file and line) only when a finding needs it: locks record a stack on every acquisition.
     */
    record Frame(Class<?> type, StackWalker.StackFrame frame) {
        CodeSite site() {
            return CodeSite.of(frame.toStackTraceElement());
        }
    }

    private KextFrames() {
    }

    /** Return true if {@code type} is kext code. */
    static boolean isKext(Class<?> type) {
        return type != null && type.getClassLoader() instanceof KextClassLoader;
    }

    /** Return the innermost frame of kext code, or {@code null} if none is on the stack. */
    static Frame first() {
        return WALKER.walk(frames -> frames.filter(f -> isKext(f.getDeclaringClass())).findFirst()
                .map(f -> new Frame(f.getDeclaringClass(), f)).orElse(null));
    }

    // How many frames of any kind a stack is looked for in: kext frames deeper than this (below the
    // kernel's own frames that called the kext) add nothing to a finding and cost a walk each time.
    private static final int FRAMES_SEARCHED = 24;

    /** Return up to {@code limit} frames of kext code among the innermost frames, innermost first. */
    static List<Frame> stack(int limit) {
        return WALKER.walk(frames -> frames.limit(FRAMES_SEARCHED).filter(f -> isKext(f.getDeclaringClass())).limit(limit)
                .map(f -> new Frame(f.getDeclaringClass(), f)).collect(Collectors.toList()));
    }

    /** Return the bundle of the kext that defined {@code type}, or {@code null}. */
    static KextBundle bundleOf(Class<?> type) {
        return type != null && type.getClassLoader() instanceof KextClassLoader loader ? loader.bundle() : null;
    }
}
