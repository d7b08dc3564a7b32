package org.kextkit.harness.check.instrument;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.bundle.KextExecutableException;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.CodeSite;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.check.FindingSink;
import org.kextkit.harness.check.RelatedSite;
import org.kextkit.harness.check.instrument.internal.FrameInstrumenter;
import org.kextkit.harness.check.instrument.internal.KextAnalysis;
import org.kextkit.harness.check.instrument.internal.KextScan;
import org.kextkit.harness.link.KextClassTransformer;
import org.kextkit.kit.internal.KernelPanic;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.internal.KextFrames;

/**
 * The checkers' load-time work on a kext's bytecode: a static pass over its whole jar before any
 * class is defined ({@link #prepare}: recursion, large frames, user-space APIs, floating point,
 * naming), and the instrumentation of each class as its {@link org.kextkit.harness.link.KextClassLoader}
 * defines it ({@link #transform}): every method charges its frame ({@link FrameEstimate}) against the
 * thread's kernel stack budget on entry and releases it on every exit, and entry points (the methods
 * the kernel calls) are reported to an {@link EntryPointListener}.
 *
 * <p>Only kext classes ever pass through here: a kext's loader transforms the classes of its own jar
 * and nothing it borrows from the kit, the families or the JDK. A frame that does not fit panics the
 * kernel with {@code kernel stack overflow}, the repeating frames and the depth, and reports
 * STK-OVERFLOW, long before the JVM's own stack would run out.
 *
 * <p>One instance serves one hosted kernel; it is safe for concurrent use.
 */
public final class KextInstrumenter implements KextClassTransformer {
    private final int stackBudget;
    private final int largeFrameBytes;
    private final FindingSink sink;
    private volatile EntryPointListener listener = EntryPointListener.NONE;
    // Each state is its kext's KextFrames monitor, which must outlive the kext's instrumented classes:
    // KextFrames releases a method's id once its monitor is collected. Every loader that defines
    // instrumented classes holds this instrumenter, so states are kept for its life, also those a
    // kext loaded again replaced (classes of the earlier load may still run).
    private final Map<KextBundle, KextState> kexts = new ConcurrentHashMap<>();
    private final List<KextState> replaced = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * Create an instrumenter.
     *
     * @param stackBudget the kernel stack budget of each thread, in bytes (at least 256)
     * @param sink where findings go (the kernel's findings)
     */
    public KextInstrumenter(int stackBudget, FindingSink sink) {
        if (stackBudget < 256) {
            throw new IllegalArgumentException("kernel stack budget must be at least 256 bytes, got " + stackBudget);
        }
        this.stackBudget = stackBudget;
        this.largeFrameBytes = FrameEstimate.LARGE_FRAME_BYTES;
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Return the stack budget of each kernel thread, in bytes. */
    public int stackBudget() {
        return stackBudget;
    }

    /** Send entry and exit of every kext entry point to {@code listener} from now on. */
    public void entryPointListener(EntryPointListener newListener) {
        this.listener = Objects.requireNonNull(newListener, "listener");
    }

    /**
     * Run the static checks over a kext's jar, report their findings, and return why the kext must
     * not load (empty if it may). Call it before the kext is linked; {@link #transform} runs it
     * itself, without a kernel to panic, if it was not called.
     *
     * @param services the kernel that a stack overflow in this kext's code panics
     */
    public List<String> prepare(KextBundle kext, KextExecutable executable, KernelServices services) {
        KextState state = analyze(kext, executable, services);
        KextState earlier = kexts.put(kext, state);
        if (earlier != null) {
            replaced.add(earlier);
        }
        state.analysis.findings().forEach(sink::report);
        return List.copyOf(state.analysis.refusals());
    }

    private KextState analyze(KextBundle kext, KextExecutable executable, KernelServices services) {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        for (String name : executable.classNames()) {
            classes.put(name, executable.classBytes(name));
        }
        // The Info.plist text the bundle was read from: its lines are not read from disk again.
        KextAnalysis analysis = KextAnalysis.analyze(kext.identifier(), kext.versionString(), kext.infoPlistPath(),
                kext::infoPlistLines, classes, largeFrameBytes);
        return new KextState(kext.identifier(), kext.versionString(), analysis, services);
    }

    @Override
    public byte[] transform(KextBundle kext, String binaryName, byte[] classBytes) {
        KextState state = kexts.get(kext);
        if (state == null) {
            state = kexts.computeIfAbsent(kext, k -> {
                try {
                    return analyze(k, k.executable(), null);
                } catch (KextExecutableException e) {
                    throw new IllegalStateException("Can't read the executable of " + k.displayName() + ": " + e.getMessage(), e);
                }
            });
        }
        KextState owner = state;
        Map<Integer, KextScan.MethodInfo> registered = new java.util.HashMap<>();
        return FrameInstrumenter.instrument(classBytes, new FrameInstrumenter.Methods() {
            @Override
            public int register(String className, String name, String descriptor) {
                KextScan.ClassInfo info = owner.analysis.classInfo(className);
                KextScan.MethodInfo method = info == null ? null : info.methods.get(name + descriptor);
                if (method == null || !method.hasCode) {
                    return -1;
                }
                int id = KextFrames.register(owner, info.binaryName(), name, descriptor, info.sourceFile, method.firstLine,
                        FrameEstimate.bytes(method.maxLocals, method.maxStack), method.entryPointKind);
                registered.put(id, method);
                return id;
            }

            @Override
            public int frameBytes(int id) {
                KextScan.MethodInfo method = registered.get(id);
                return FrameEstimate.bytes(method.maxLocals, method.maxStack);
            }

            @Override
            public boolean isEntryPoint(int id) {
                return registered.get(id).entryPointKind != null;
            }

            @Override
            public int maxLocals(int id) {
                return registered.get(id).maxLocals;
            }
        });
    }

    /** Return the site of an instrumented method (its first line). */
    static CodeSite siteOf(KextFrames.Method method) {
        return new CodeSite(method.className(), method.methodName(), method.fileName(), method.line());
    }

    /** One kext's analysis, and the monitor its instrumented methods report to. */
    private final class KextState implements KextFrames.Monitor {
        private final String bundleId;
        private final String bundleVersion;
        private final KextAnalysis analysis;
        private final KernelServices services;
        private final Map<Integer, EntryPointListener.EntryPoint> entryPoints = new ConcurrentHashMap<>();

        KextState(String bundleId, String bundleVersion, KextAnalysis analysis, KernelServices services) {
            this.bundleId = bundleId;
            this.bundleVersion = bundleVersion;
            this.analysis = analysis;
            this.services = services;
        }

        @Override
        public int stackBudget() {
            return stackBudget;
        }

        @Override
        public void stackOverflow(KextFrames.Overflow overflow) {
            List<KextFrames.Method> cycle = overflow.cycle();
            List<KextFrames.Method> frames = overflow.frames();
            KextFrames.Method top = frames.get(frames.size() - 1);
            StringBuilder shown = new StringBuilder();
            List<RelatedSite> related = new ArrayList<>();
            if (cycle.isEmpty()) {
                shown.append("no repeating frames; deepest ");
                List<KextFrames.Method> last = frames.subList(Math.max(0, frames.size() - 5), frames.size());
                appendChain(shown, last);
                last.forEach(m -> related.add(new RelatedSite("on the stack", siteOf(m))));
            } else {
                shown.append("recursive cycle ");
                List<KextFrames.Method> closed = new ArrayList<>(cycle);
                closed.add(cycle.get(0));
                appendChain(shown, closed);
                cycle.forEach(m -> related.add(new RelatedSite("in the cycle", siteOf(m))));
            }
            String panicString = "kernel stack overflow: " + shown + ", depth " + overflow.depth() + " kext frames ("
                    + overflow.bytes() + " bytes of the " + overflow.budget() + "-byte kernel stack budget) in "
                    + bundleId;
            sink.report(new Finding(Checks.STK_OVERFLOW, Checks.get(Checks.STK_OVERFLOW).severity(), bundleId, bundleVersion,
                    "The kernel stack budget of " + overflow.budget() + " bytes was exceeded at depth " + overflow.depth()
                            + " (" + shown + ").", siteOf(top), related, null));
            if (services != null) {
                throw services.panic(panicString);
            }
            throw new KernelPanic(panicString);
        }

        private void appendChain(StringBuilder out, List<KextFrames.Method> methods) {
            for (int i = 0; i < methods.size(); i++) {
                if (i > 0) {
                    out.append(" -> ");
                }
                out.append(methods.get(i));
            }
        }

        private EntryPointListener.EntryPoint entryPoint(KextFrames.Method method) {
            return entryPoints.computeIfAbsent(method.id(),
                    id -> new EntryPointListener.EntryPoint(bundleId, method.entryPointKind(), siteOf(method)));
        }

        @Override
        public void entryPointEntered(KextFrames.Method method) {
            EntryPointListener current = listener;
            if (current != EntryPointListener.NONE) {
                current.entered(entryPoint(method));
            }
        }

        @Override
        public void entryPointReturned(KextFrames.Method method, boolean threw) {
            EntryPointListener current = listener;
            if (current != EntryPointListener.NONE) {
                current.returned(entryPoint(method), threw);
            }
        }
    }
}
