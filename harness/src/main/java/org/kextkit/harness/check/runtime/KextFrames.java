package org.kextkit.harness.check.runtime;

import java.util.List;
import java.util.stream.Collectors;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.check.CodeSite;
import org.kextkit.harness.link.KextClassLoader;

/** Find the frames of kext code (classes a kext's own loader defined) on the current stack. */
final class KextFrames {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** One frame of kext code. */
    record Frame(Class<?> type, StackTraceElement element) {
        CodeSite site() {
            return CodeSite.of(element);
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
                .map(f -> new Frame(f.getDeclaringClass(), f.toStackTraceElement())).orElse(null));
    }

    /** Return up to {@code limit} frames of kext code, innermost first. */
    static List<Frame> stack(int limit) {
        return WALKER.walk(frames -> frames.filter(f -> isKext(f.getDeclaringClass())).limit(limit)
                .map(f -> new Frame(f.getDeclaringClass(), f.toStackTraceElement())).collect(Collectors.toList()));
    }

    /** Return the bundle of the kext that defined {@code type}, or {@code null}. */
    static KextBundle bundleOf(Class<?> type) {
        return type != null && type.getClassLoader() instanceof KextClassLoader loader ? loader.bundle() : null;
    }
}
