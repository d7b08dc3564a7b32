package org.kextkit.harness.check.instrument.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.kextkit.harness.bundle.InfoPlistText;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.CodeSite;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.check.RelatedSite;
import org.kextkit.harness.check.instrument.FrameEstimate;
import org.kextkit.harness.check.instrument.internal.KextScan.Call;
import org.kextkit.harness.check.instrument.internal.KextScan.ClassInfo;
import org.kextkit.harness.check.instrument.internal.KextScan.MethodInfo;
import org.kextkit.kit.internal.KextFrames;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The static checks over a kext's whole jar, before any of its classes is defined: recursion in
 * its call graph (STK-RECURSION), large frames (STK-FRAME), user-space APIs (API-USER, some
 * refused), floating point (API-FLOAT) and naming (STY-NAME); it also marks the methods the kernel
 * calls (entry points) for the instrumentation.
 */
public final class KextAnalysis {
    private static final Pattern REVERSE_DNS = Pattern.compile("[a-z][a-z0-9-]*(\\.[A-Za-z0-9_-]+){2,}");
    private static final Pattern RESERVED_CLASS = Pattern.compile("(OS|IO|AAPL|Apple)[A-Z].*");

    private final String bundleId;
    private final String bundleVersion;
    private java.nio.file.Path infoPlist;
    private Supplier<Optional<List<String>>> infoPlistLines;
    private final Map<String, ClassInfo> classes;
    private final int largeFrameBytes;
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();

    private KextAnalysis(String bundleId, String bundleVersion, Map<String, ClassInfo> classes, int largeFrameBytes) {
        this.bundleId = bundleId;
        this.bundleVersion = bundleVersion;
        this.classes = classes;
        this.largeFrameBytes = largeFrameBytes;
    }

    /**
     * Analyse a kext's classes.
     *
     * @param bundleId the kext's bundle identifier
     * @param bundleVersion its version string
     * @param classBytes the bytes of every class of its jar, by binary name
     * @param largeFrameBytes the frame estimate from which STK-FRAME flags a method
     */
    public static KextAnalysis analyze(String bundleId, String bundleVersion, Map<String, byte[]> classBytes,
                                       int largeFrameBytes) {
        return analyze(bundleId, bundleVersion, null, classBytes, largeFrameBytes);
    }

    /**
     * Analyse a kext's classes; findings about the bundle identifier point at {@code infoPlist}'s line
     * of the {@code CFBundleIdentifier} value.
     */
    public static KextAnalysis analyze(String bundleId, String bundleVersion, java.nio.file.Path infoPlist,
                                       Map<String, byte[]> classBytes, int largeFrameBytes) {
        return analyze(bundleId, bundleVersion, infoPlist, () -> readLines(infoPlist), classBytes, largeFrameBytes);
    }

    /**
     * Analyse a kext's classes; findings about the bundle identifier point at the line of the
     * {@code CFBundleIdentifier} value in {@code infoPlistLines}, the text of {@code infoPlist}
     * (asked for only when such a finding is made; empty when the file is not text).
     */
    public static KextAnalysis analyze(String bundleId, String bundleVersion, java.nio.file.Path infoPlist,
                                       Supplier<Optional<List<String>>> infoPlistLines, Map<String, byte[]> classBytes,
                                       int largeFrameBytes) {
        Map<String, ClassInfo> classes = new LinkedHashMap<>();
        for (byte[] bytes : classBytes.values()) {
            ClassInfo info = KextScan.scan(bytes);
            classes.put(info.name, info);
        }
        KextAnalysis analysis = new KextAnalysis(bundleId, bundleVersion, classes, largeFrameBytes);
        analysis.infoPlist = infoPlist;
        analysis.infoPlistLines = infoPlistLines;
        analysis.run();
        return analysis;
    }

    /** Return the findings, in jar order per check. */
    public List<Finding> findings() {
        return findings;
    }

    /** Return the reasons the kext must not load (empty if it may). */
    public List<String> refusals() {
        return refusals;
    }

    /** Return the analysed class with this internal name, or {@code null}. */
    public ClassInfo classInfo(String internalName) {
        return classes.get(internalName);
    }

    private void run() {
        checkNames();
        for (ClassInfo c : classes.values()) {
            markEntryPoints(c);
            checkApis(c);
        }
        checkRecursion();
    }

    // ---- sites and findings

    private CodeSite site(MethodInfo m, int line) {
        return new CodeSite(m.owner.binaryName(), m.name, m.owner.sourceFile, line);
    }

    private void report(String check, String message, CodeSite site, List<RelatedSite> related) {
        findings.add(new Finding(check, Checks.get(check).severity(), bundleId, bundleVersion, message, site, related, null));
    }

    // ---- naming

    private void checkNames() {
        if (bundleId != null) {
            if (!REVERSE_DNS.matcher(bundleId).matches()) {
                report(Checks.STY_NAME, "Bundle identifier '" + bundleId + "' is not in reverse-DNS form (such as"
                        + " com.example.driver.MyDriver): kernel-wide names must be unique.", bundleIdSite(), List.of());
            } else if (bundleId.startsWith("com.apple.")) {
                report(Checks.STY_NAME, "Bundle identifier '" + bundleId + "' uses the com.apple. prefix, which is"
                        + " reserved for Apple's kexts: use your own reverse-DNS domain.", bundleIdSite(), List.of());
            }
        }
        for (ClassInfo c : classes.values()) {
            if ((c.access & Opcodes.ACC_SYNTHETIC) != 0 || c.name.endsWith("package-info") || c.name.endsWith("module-info")) {
                continue;
            }
            String simple = c.name.substring(c.name.lastIndexOf('/') + 1);
            simple = simple.substring(simple.lastIndexOf('$') + 1);
            if (RESERVED_CLASS.matcher(simple).matches()) {
                String prefix = simple.startsWith("OS") ? "OS" : simple.startsWith("IO") ? "IO"
                        : simple.startsWith("AAPL") ? "AAPL" : "Apple";
                MethodInfo first = c.methods.values().stream().filter(m -> m.firstLine >= 0).findFirst().orElse(null);
                CodeSite where = new CodeSite(c.binaryName(), "<class>", c.sourceFile, first == null ? -1 : first.firstLine);
                report(Checks.STY_NAME, "Class " + c.binaryName() + " uses the reserved prefix '" + prefix
                        + "' of I/O Kit and libkern class names: prefix third-party classes with your company's"
                        + " reverse-DNS name or a short vendor prefix.", where, List.of());
            }
        }
    }

    /**
     * Return the site of the {@code CFBundleIdentifier} value in the Info.plist, or {@code null}. The
     * property-list parser keeps no line numbers, so the XML text is searched: the first
     * {@code <key>CFBundleIdentifier</key>} followed by a string equal to the bundle id (a
     * personality's own {@code CFBundleIdentifier} usually comes later, in {@code IOKitPersonalities}).
     */
    private CodeSite bundleIdSite() {
        if (infoPlist == null) {
            return null;
        }
        Optional<List<String>> text = infoPlistLines.get();
        if (text.isEmpty()) {
            return null; // a binary property list, or one that can't be read: no line to show
        }
        int line = InfoPlistText.find(text.get(), List.of("CFBundleIdentifier"), bundleId).bestLine();
        return CodeSite.inPropertyList(infoPlist, "CFBundleIdentifier", line);
    }

    private static Optional<List<String>> readLines(java.nio.file.Path file) {
        if (file == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    // ---- forbidden APIs and floating point

    private void checkApis(ClassInfo c) {
        if (c.superName != null) {
            ApiRules.Verdict verdict = ApiRules.judge(new KextScan.Use("extends", c.superName, "", null, -1));
            if (verdict != null) {
                MethodInfo first = c.methods.values().stream().filter(m -> m.firstLine >= 0).findFirst().orElse(null);
                CodeSite where = new CodeSite(c.binaryName(), "<class>", c.sourceFile, first == null ? -1 : first.firstLine);
                api(verdict, where, "Class " + c.binaryName() + " extends " + c.superName.replace('/', '.'));
            }
        }
        for (MethodInfo m : c.methods.values()) {
            for (KextScan.Use use : m.uses) {
                ApiRules.Verdict verdict = ApiRules.judge(use);
                if (verdict != null) {
                    CodeSite where = site(m, use.line());
                    api(verdict, where, where + " uses " + verdict.api());
                }
            }
            if (m.floatLine != -2) {
                report(Checks.API_FLOAT, site(m, m.floatLine) + " uses floating point. Kernel code should avoid it: the"
                        + " kernel does not save floating-point state on every entry, and some contexts forbid it;"
                        + " use fixed-point integers.", site(m, m.floatLine), List.of());
            }
            if (m.hasCode) {
                int bytes = FrameEstimate.bytes(m.maxLocals, m.maxStack);
                if (bytes >= largeFrameBytes) {
                    report(Checks.STK_FRAME, site(m, m.firstLine) + " has an estimated frame of " + bytes + " bytes ("
                            + m.maxLocals + " local slots, " + m.maxStack + " operand-stack slots), at least "
                            + largeFrameBytes + ": a few such frames exhaust a kernel stack.", site(m, m.firstLine), List.of());
                }
            }
        }
    }

    private void api(ApiRules.Verdict verdict, CodeSite where, String what) {
        if (verdict.refused()) {
            refusals.add(what + ", which kernel code may not use (" + verdict.advice() + ").");
            report(Checks.API_USER, what + ": a user-space API kernel code may not use; the kext is refused ("
                    + verdict.advice() + ").", where, List.of());
        } else {
            report(Checks.API_USER, what + ": a user-space API, wrong in kernel code (" + verdict.advice() + ").", where,
                    List.of());
        }
    }

    // ---- entry points

    private static final ClassLoader KIT_LOADER = KextFrames.class.getClassLoader();
    /** Overridable methods of kit and JDK types, by internal name: {@code name+descriptor -> Declarer.name}. */
    private static final Map<String, Map<String, String>> KERNEL_METHODS = new ConcurrentHashMap<>();

    private void markEntryPoints(ClassInfo c) {
        Map<String, String> inherited = new HashMap<>();
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        if (c.superName != null) {
            todo.add(c.superName);
        }
        for (String i : c.interfaces) {
            todo.add(i);
        }
        while (!todo.isEmpty()) {
            String type = todo.poll();
            if (!seen.add(type)) {
                continue;
            }
            ClassInfo own = classes.get(type);
            if (own != null) {
                if (own.superName != null) {
                    todo.add(own.superName);
                }
                for (String i : own.interfaces) {
                    todo.add(i);
                }
            } else {
                kernelMethods(type).forEach(inherited::putIfAbsent);
            }
        }
        for (MethodInfo m : c.methods.values()) {
            if (m.hasCode && (m.access & (Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE)) == 0) {
                String kind = inherited.get(m.key());
                if (kind != null) {
                    m.entryPointKind = kind;
                }
            }
            for (KextScan.LambdaImpl lambda : m.lambdas) {
                String iface = lambda.iface();
                if (iface.startsWith("org/kextkit/") || iface.equals("java/lang/Runnable")
                        || iface.equals("java/util/concurrent/Callable")) {
                    ClassInfo implOwner = classes.get(lambda.implOwner());
                    MethodInfo impl = implOwner == null ? null : implOwner.methods.get(lambda.implName() + lambda.implDescriptor());
                    if (impl != null && impl.entryPointKind == null) {
                        impl.entryPointKind = iface.substring(iface.lastIndexOf('/') + 1).replace('$', '.') + "." + lambda.samName();
                    }
                }
            }
        }
    }

    private static Map<String, String> kernelMethods(String internalName) {
        Map<String, String> known = KERNEL_METHODS.get(internalName);
        if (known != null) {
            return known;
        }
        Map<String, String> methods = new HashMap<>();
        if (internalName.startsWith("org/kextkit/") || internalName.equals("java/lang/Runnable")
                || internalName.equals("java/util/concurrent/Callable")) {
            try {
                Class<?> type = Class.forName(internalName.replace('/', '.'), false, KIT_LOADER);
                collect(type, methods, new HashSet<>());
            } catch (ClassNotFoundException | LinkageError e) {
                // a family's class or one this kernel lacks: its methods are not known entry points
            }
        }
        Map<String, String> result = Map.copyOf(methods);
        KERNEL_METHODS.putIfAbsent(internalName, result);
        return result;
    }

    private static void collect(Class<?> type, Map<String, String> into, Set<Class<?>> seen) {
        if (type == null || type == Object.class || !seen.add(type)) {
            return;
        }
        for (Method method : type.getDeclaredMethods()) {
            int mod = method.getModifiers();
            if (!Modifier.isStatic(mod) && !Modifier.isPrivate(mod) && !Modifier.isFinal(mod) && !method.isSynthetic()) {
                into.putIfAbsent(method.getName() + Type.getMethodDescriptor(method),
                        type.getSimpleName() + "." + method.getName());
            }
        }
        collect(type.getSuperclass(), into, seen);
        for (Class<?> i : type.getInterfaces()) {
            collect(i, into, seen);
        }
    }

    // ---- recursion

    /**
     * The kext methods that lambdas and method references of the kext run, by the interface method
     * they implement ({@code iface.name descriptor}), in jar order.
     */
    private Map<String, List<MethodInfo>> lambdaTargets;

    private Map<String, List<MethodInfo>> lambdaTargets() {
        if (lambdaTargets == null) {
            lambdaTargets = new HashMap<>();
            for (ClassInfo c : classes.values()) {
                for (MethodInfo m : c.methods.values()) {
                    for (KextScan.LambdaImpl lambda : m.lambdas) {
                        if (lambda.samDescriptor() == null) {
                            continue;
                        }
                        ClassInfo implOwner = classes.get(lambda.implOwner());
                        MethodInfo impl = implOwner == null ? null
                                : implOwner.methods.get(lambda.implName() + lambda.implDescriptor());
                        if (impl == null || !impl.hasCode) {
                            continue; // a reference to a kit or JDK method: nothing of the kext runs
                        }
                        List<MethodInfo> impls = lambdaTargets.computeIfAbsent(
                                lambda.iface() + '.' + lambda.samName() + lambda.samDescriptor(), k -> new ArrayList<>(2));
                        if (!impls.contains(impl)) {
                            impls.add(impl);
                        }
                    }
                }
            }
        }
        return lambdaTargets;
    }

    private List<MethodInfo> targets(Call call) {
        List<MethodInfo> result = new ArrayList<>(2);
        if (call.opcode() == Opcodes.INVOKEINTERFACE) {
            // A call of an interface method may run the body of any lambda or method reference the kext
            // made for that interface method (conservatively: every one of them), JDK functional
            // interfaces such as IntConsumer included, whose implementations the class graph cannot see.
            result.addAll(lambdaTargets().getOrDefault(call.owner() + '.' + call.name() + call.descriptor(), List.of()));
        }
        ClassInfo owner = classes.get(call.owner());
        if (owner == null) {
            if ((call.opcode() == Opcodes.INVOKEVIRTUAL || call.opcode() == Opcodes.INVOKEINTERFACE)
                    && !call.owner().equals("java/lang/Object")) {
                addKextImplementations(call, result);
            }
            return result;
        }
        String key = call.name() + call.descriptor();
        MethodInfo declared = resolveUp(owner, key);
        if (declared != null && declared.hasCode && !result.contains(declared)) {
            result.add(declared);
        }
        if (call.opcode() == Opcodes.INVOKEVIRTUAL || call.opcode() == Opcodes.INVOKEINTERFACE) {
            // Conservatively: every override in a kext subtype of the owner may run.
            for (ClassInfo c : classes.values()) {
                if (c != owner && isSubtype(c, call.owner())) {
                    MethodInfo m = c.methods.get(key);
                    if (m != null && m.hasCode && !result.contains(m)) {
                        result.add(m);
                    }
                }
            }
        }
        return result;
    }

    /**
     * Class-hierarchy analysis for a call through a JDK or kit type ({@code Runnable.run}, an
     * overridden {@code IOService} method called on the supertype): every kext class that is a subtype
     * of the call's owner may be the receiver, so the method it runs for that name and descriptor (its
     * own or inherited from a kext superclass) is a target. Calls through {@code Object} are left out:
     * {@code equals}, {@code hashCode} and {@code toString} would join unrelated classes.
     */
    private void addKextImplementations(Call call, List<MethodInfo> result) {
        String key = call.name() + call.descriptor();
        for (ClassInfo c : classes.values()) {
            if ((c.access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT)) != 0 || !isSubtype(c, call.owner())) {
                continue;
            }
            MethodInfo m = resolveUp(c, key);
            if (m != null && m.hasCode && (m.access & Opcodes.ACC_STATIC) == 0 && !result.contains(m)) {
                result.add(m);
            }
        }
    }

    /** Return true if the JDK or kit type {@code sub} is {@code type} or a subtype of it, as the kit's loader sees them. */
    private static boolean kernelSubtype(String sub, String type) {
        try {
            Class<?> subClass = Class.forName(sub.replace('/', '.'), false, KIT_LOADER);
            Class<?> typeClass = Class.forName(type.replace('/', '.'), false, KIT_LOADER);
            return typeClass.isAssignableFrom(subClass);
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // a family's class or one this kernel lacks: not followed
        }
    }

    private MethodInfo resolveUp(ClassInfo c, String key) {
        for (ClassInfo at = c; at != null; at = at.superName == null ? null : classes.get(at.superName)) {
            MethodInfo m = at.methods.get(key);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    private final Map<String, Boolean> subtypeCache = new HashMap<>();

    private boolean isSubtype(ClassInfo c, String type) {
        String cacheKey = c.name + ' ' + type;
        Boolean known = subtypeCache.get(cacheKey);
        if (known != null) {
            return known;
        }
        boolean result = false;
        Deque<String> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        todo.add(c.name);
        while (!todo.isEmpty() && !result) {
            String t = todo.poll();
            if (t.equals(type)) {
                result = true;
            } else if (seen.add(t)) {
                ClassInfo info = classes.get(t);
                if (info != null) {
                    if (info.superName != null) {
                        todo.add(info.superName);
                    }
                    for (String i : info.interfaces) {
                        todo.add(i);
                    }
                } else if (!classes.containsKey(type) && !t.equals("java/lang/Object")) {
                    result = kernelSubtype(t, type);
                }
            }
        }
        subtypeCache.put(cacheKey, result);
        return result;
    }

    private record Edge(MethodInfo to, int line) {
    }

    private void checkRecursion() {
        Map<MethodInfo, List<Edge>> graph = new LinkedHashMap<>();
        for (ClassInfo c : classes.values()) {
            for (MethodInfo m : c.methods.values()) {
                if (!m.hasCode) {
                    continue;
                }
                List<Edge> edges = new ArrayList<>();
                for (Call call : m.calls) {
                    for (MethodInfo target : targets(call)) {
                        edges.add(new Edge(target, call.line()));
                    }
                }
                graph.put(m, edges);
            }
        }
        for (List<MethodInfo> component : new Tarjan(graph).components()) {
            MethodInfo start = component.get(0);
            if (component.size() == 1 && !callsItself(graph, start)) {
                continue; // most methods: no search, no sets
            }
            Set<MethodInfo> members = new HashSet<>(component);
            List<Edge> cycle = shortestCycle(graph, start, members);
            if (cycle == null) {
                continue; // a single method that does not call itself
            }
            StringBuilder chain = new StringBuilder(start.toString());
            List<RelatedSite> related = new ArrayList<>();
            MethodInfo from = start;
            for (Edge edge : cycle) {
                chain.append(" -> ").append(edge.to());
                related.add(new RelatedSite("calls " + edge.to(), site(from, edge.line())));
                from = edge.to();
            }
            String kind = cycle.size() == 1 ? "Direct recursion" : "Mutual recursion";
            String extra = members.size() > cycle.size() ? " (" + members.size() + " methods call each other in all)" : "";
            report(Checks.STK_RECURSION, kind + " in kernel code: " + chain + extra + ". Kernel stacks are small:"
                    + " bound the recursion to a few levels or make it a loop.", related.get(0).site(), related);
        }
    }

    private static boolean callsItself(Map<MethodInfo, List<Edge>> graph, MethodInfo method) {
        for (Edge edge : graph.getOrDefault(method, List.of())) {
            if (edge.to() == method) {
                return true;
            }
        }
        return false;
    }

    /** The shortest path of edges from {@code start} back to itself inside the component, or {@code null}. */
    private static List<Edge> shortestCycle(Map<MethodInfo, List<Edge>> graph, MethodInfo start, Set<MethodInfo> members) {
        Map<MethodInfo, Edge> via = new HashMap<>();
        Map<MethodInfo, MethodInfo> parent = new HashMap<>();
        Deque<MethodInfo> queue = new ArrayDeque<>();
        queue.add(start);
        Set<MethodInfo> visited = new HashSet<>();
        while (!queue.isEmpty()) {
            MethodInfo at = queue.poll();
            for (Edge edge : graph.getOrDefault(at, List.of())) {
                if (!members.contains(edge.to())) {
                    continue;
                }
                if (edge.to() == start) {
                    List<Edge> path = new ArrayList<>();
                    path.add(edge);
                    for (MethodInfo m = at; m != start; m = parent.get(m)) {
                        path.add(0, via.get(m));
                    }
                    return path;
                }
                if (visited.add(edge.to())) {
                    via.put(edge.to(), edge);
                    parent.put(edge.to(), at);
                    queue.add(edge.to());
                }
            }
        }
        return null;
    }

    /** Tarjan's strongly connected components, iterative so deep call chains do not overflow the harness. */
    private static final class Tarjan {
        private final Map<MethodInfo, List<Edge>> graph;
        private final Map<MethodInfo, Integer> index = new HashMap<>();
        private final Map<MethodInfo, Integer> low = new HashMap<>();
        private final Deque<MethodInfo> stack = new ArrayDeque<>();
        private final Set<MethodInfo> onStack = new HashSet<>();
        private final List<List<MethodInfo>> result = new ArrayList<>();
        private int next;

        Tarjan(Map<MethodInfo, List<Edge>> graph) {
            this.graph = graph;
        }

        List<List<MethodInfo>> components() {
            for (MethodInfo m : graph.keySet()) {
                if (!index.containsKey(m)) {
                    visit(m);
                }
            }
            return result;
        }

        private void visit(MethodInfo root) {
            Deque<Object[]> work = new ArrayDeque<>(); // {method, edge iterator position}
            open(root);
            work.push(new Object[] {root, 0});
            while (!work.isEmpty()) {
                Object[] top = work.peek();
                MethodInfo v = (MethodInfo) top[0];
                int i = (Integer) top[1];
                List<Edge> edges = graph.getOrDefault(v, List.of());
                if (i < edges.size()) {
                    top[1] = i + 1;
                    MethodInfo w = edges.get(i).to();
                    if (!graph.containsKey(w)) {
                        continue;
                    }
                    if (!index.containsKey(w)) {
                        open(w);
                        work.push(new Object[] {w, 0});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    MethodInfo parent = (MethodInfo) work.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    List<MethodInfo> component = new ArrayList<>();
                    MethodInfo w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(0, w);
                    } while (w != v);
                    result.add(component);
                }
            }
        }

        private void open(MethodInfo m) {
            index.put(m, next);
            low.put(m, next);
            next++;
            stack.push(m);
            onStack.add(m);
        }
    }

    /** Return every analysed class. */
    public Collection<ClassInfo> classes() {
        return classes.values();
    }
}
