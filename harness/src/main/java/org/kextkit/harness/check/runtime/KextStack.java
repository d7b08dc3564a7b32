package org.kextkit.harness.check.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.check.CodeSite;
import org.kextkit.harness.link.KextClassLoader;
import org.kextkit.kit.internal.KextFrames;

/** Find the frames of kext code (classes a kext's own loader defined) on the current stack. */
final class KextStack {
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

    private KextStack() {
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

    /**
     * The kext stacks of lock acquisitions, remembered per call path, so that an acquisition does not
     * walk the Java stack each time. Instrumented kext code keeps, for each of its frames, the method
     * and the line it is calling out from ({@link KextFrames.Stack}); the
     * innermost {@code limit} of those, with the lock's class, name the call path. The first
     * acquisition on a path walks the stack ({@link #stack}); later ones on the same path reuse what
     * it found, which names the same frames and lines. Without instrumented kext frames on the thread
     * every acquisition walks.
     */
    static final class StackCache {
        private static final int MAX_PATHS = 1 << 16;
        private final int limit;
        private final Map<Path, List<Frame>> paths = new ConcurrentHashMap<>();

        StackCache(int limit) {
            this.limit = limit;
        }

        /** Return {@link #stack stack(limit)} for an acquisition of a lock of class {@code lockClass}. */
        List<Frame> stack(Object lockClass) {
            KextFrames.Stack frames = KextFrames.current();
            int depth = Math.min(frames.depth(), limit);
            if (depth == 0) {
                return KextStack.stack(limit);
            }
            int[] path = new int[2 * depth];
            for (int i = 0; i < depth; i++) {
                path[2 * i] = frames.methodAt(i);
                path[2 * i + 1] = frames.lineAt(i);
            }
            Path key = new Path(lockClass, path);
            List<Frame> known = paths.get(key);
            if (known != null) {
                return known;
            }
            List<Frame> walked = List.copyOf(KextStack.stack(limit));
            if (paths.size() < MAX_PATHS) {
                paths.putIfAbsent(key, walked);
            }
            return walked;
        }

        /** A lock class and the innermost kext frames' method ids and lines. */
        private static final class Path {
            private final Object lockClass;
            private final int[] frames;
            private final int hash;

            Path(Object lockClass, int[] frames) {
                this.lockClass = lockClass;
                this.frames = frames;
                this.hash = 31 * System.identityHashCode(lockClass) + Arrays.hashCode(frames);
            }

            @Override
            public boolean equals(Object other) {
                return other instanceof Path that && that.lockClass == lockClass && Arrays.equals(that.frames, frames);
            }

            @Override
            public int hashCode() {
                return hash;
            }
        }
    }

    /** Return the bundle of the kext that defined {@code type}, or {@code null}. */
    static KextBundle bundleOf(Class<?> type) {
        return type != null && type.getClassLoader() instanceof KextClassLoader loader ? loader.bundle() : null;
    }
}
