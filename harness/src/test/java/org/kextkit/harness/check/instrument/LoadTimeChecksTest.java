package org.kextkit.harness.check.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.lifecycle.KextReturn;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.harness.lifecycle.LoadReport;
import org.kextkit.harness.lifecycle.PanicReport;
import org.kextkit.harness.testing.TestKexts;
import org.kextkit.kit.internal.ExecutionContext;
import org.kextkit.kit.internal.KernelPanic;

/** The load-time checks of kext bytecode: the stack budget and its panic, recursion, frames, APIs, naming. */
class LoadTimeChecksTest {
    @TempDir
    Path dir;
    private final List<HostedKernel> kernels = new ArrayList<>();

    @AfterEach
    void shutdown() {
        kernels.forEach(HostedKernel::shutdown);
    }

    private HostedKernel boot(KernelSettings settings) {
        HostedKernel kernel = HostedKernel.boot(settings);
        kernels.add(kernel);
        return kernel;
    }

    private static final String MODULE = """
            package PKG;
            import org.kextkit.kit.libkern.*;
            public class Module implements KextModule {
                public int start(KmodInfo ki, Object data) {
                    return KernReturn.KERN_SUCCESS;
                }
                public int stop(KmodInfo ki, Object data) {
                    return KernReturn.KERN_SUCCESS;
                }
            }
            """;

    /** Write kext {@code com.example.<name>} with a trivial module and the given classes of its package. */
    private Path kext(String id, String name, Map<String, String> classes) {
        String pkg = "com.example." + name.toLowerCase();
        Map<String, String> sources = new HashMap<>();
        sources.put(pkg + ".Module", MODULE.replace("PKG", pkg));
        classes.forEach((simpleName, source) -> sources.put(pkg + "." + simpleName, "package " + pkg + ";\n" + source));
        return TestKexts.write(dir, name, identity(id, name, "1.0.0") + libraries("com.apple.kpi.libkern", "8.0.0"), sources,
                pkg + ".Module");
    }

    private LoadReport load(HostedKernel kernel, Path kext) {
        return kernel.load(kernel.addKext(kext).bundle().orElseThrow());
    }

    private static List<Finding> of(HostedKernel kernel, String check) {
        return kernel.findings().list().stream().filter(f -> f.checkId().equals(check)).collect(Collectors.toList());
    }

    // A descriptor chain read from the device: each entry names the next; a corrupt ring points back.
    private static final Map<String, String> RING_WALKER = Map.of("RingWalker", """
            public class RingWalker implements Runnable {
                public static int[] deviceRing = {1, 2, 0};
                public int walked;
                public void run() {
                    walked = walk(0);
                }
                int walk(int entry) {
                    int next = deviceRing[entry];
                    if (next < 0) {
                        return 1;
                    }
                    return 1 + walk(next);
                }
            }
            """);

    @Test
    void unboundedRecursionDrivenByDeviceDataPanicsWithTheCycleAndDepthBeforeTheJvmStackOverflows() throws Exception {
        HostedKernel kernel = boot(KernelSettings.defaults());
        assertEquals(LoadReport.Status.LOADED, load(kernel, kext("com.example.driver.Ring", "Ring", RING_WALKER)).status());
        ClassLoader loader = kernel.loadedKext("com.example.driver.Ring").orElseThrow().classLoader();
        Runnable walker = (Runnable) loader.loadClass("com.example.ring.RingWalker").getDeclaredConstructor().newInstance();

        KernelPanic panic = assertThrows(KernelPanic.class,
                () -> kernel.scheduler().call("work loop", ExecutionContext.WORK_LOOP, () -> {
                    walker.run();
                    return null;
                }));

        String message = panic.getMessage();
        assertTrue(message.startsWith("kernel stack overflow: recursive cycle com.example.ring.RingWalker.walk(RingWalker.java:9)"
                + " -> com.example.ring.RingWalker.walk(RingWalker.java:9), depth "), message);
        int depth = Integer.parseInt(message.replaceAll(".*, depth (\\d+) kext frames.*", "$1"));
        assertTrue(depth > 20 && depth < 1000, message);
        assertTrue(message.contains("-byte kernel stack budget) in com.example.driver.Ring"), message);
        assertTrue(kernel.hasPanicked());
        PanicReport report = kernel.panicReport().orElseThrow();
        assertTrue(report.text().startsWith("panic(cpu 0 caller "), report.text());
        assertTrue(report.text().contains("kernel stack overflow"), report.text());
        assertEquals("work loop", report.threadName());
        Finding overflow = of(kernel, "STK-OVERFLOW").get(0);
        assertEquals("com.example.driver.Ring", overflow.bundleId());
        assertEquals("walk", overflow.primarySite().methodName());
        assertEquals(9, overflow.primarySite().line());

        // The JVM is fine: the same thread of the test runs kext code of another kernel normally.
        HostedKernel other = boot(KernelSettings.defaults());
        load(other, kext("com.example.driver.Ring", "Ring", RING_WALKER));
        Class<?> type = other.loadedKext("com.example.driver.Ring").orElseThrow().classLoader().loadClass("com.example.ring.RingWalker");
        type.getField("deviceRing").set(null, new int[] {1, 2, -1});
        Runnable healthy = (Runnable) type.getDeclaredConstructor().newInstance();
        healthy.run();
        assertEquals(3, type.getField("walked").getInt(healthy));
    }

    @Test
    void aSmallerBudgetPanicsSoonerAndTheStaticPassFoundTheCycleFirst() throws Exception {
        HostedKernel kernel = boot(KernelSettings.defaults().withStackBudget(1024));
        load(kernel, kext("com.example.driver.Ring", "Ring", RING_WALKER));
        Finding recursion = of(kernel, "STK-RECURSION").get(0);
        assertEquals("Direct recursion in kernel code: com.example.ring.RingWalker.walk ->"
                + " com.example.ring.RingWalker.walk. Kernel stacks are small: bound the recursion to a few levels or make it a"
                + " loop.", recursion.message());
        assertEquals(13, recursion.primarySite().line(), "the recursive call's line");
        ClassLoader loader = kernel.loadedKext("com.example.driver.Ring").orElseThrow().classLoader();
        Runnable walker = (Runnable) loader.loadClass("com.example.ring.RingWalker").getDeclaredConstructor().newInstance();
        KernelPanic panic = assertThrows(KernelPanic.class,
                () -> kernel.scheduler().call("timer", ExecutionContext.WORK_LOOP, () -> {
                    walker.run();
                    return null;
                }));
        int depth = Integer.parseInt(panic.getMessage().replaceAll(".*, depth (\\d+) kext frames.*", "$1"));
        assertTrue(depth < 20, panic.getMessage());
    }

    @Test
    void exceptionsReleaseTheirFramesAndBehaviourIsUnchanged() throws Exception {
        HostedKernel kernel = boot(KernelSettings.defaults().withStackBudget(2048));
        load(kernel, kext("com.example.driver.Thrower", "Thrower", Map.of("Thrower", """
                public class Thrower implements Runnable {
                    public int caught;
                    public void run() {
                        for (int i = 0; i < 10_000; i++) {
                            try {
                                deep(3);
                            } catch (IllegalStateException e) {
                                caught++;
                            }
                        }
                    }
                    void deep(int n) {
                        if (n == 0) {
                            throw new IllegalStateException("device error");
                        }
                        deep(n - 1);
                    }
                }
                """)));
        Class<?> type = kernel.loadedKext("com.example.driver.Thrower").orElseThrow().classLoader().loadClass("com.example.thrower.Thrower");
        Runnable thrower = (Runnable) type.getDeclaredConstructor().newInstance();
        kernel.scheduler().call("work loop", ExecutionContext.WORK_LOOP, () -> {
            thrower.run();
            return null;
        });
        assertEquals(10_000, type.getField("caught").getInt(thrower));
        assertFalse(kernel.hasPanicked());
    }

    @Test
    void mutualRecursionIsFoundWithTheCycleAndLines() {
        HostedKernel kernel = boot(KernelSettings.defaults());
        load(kernel, kext("com.example.driver.Parser", "Parser", Map.of("Parser", """
                public class Parser {
                    int list(int[] tokens, int at) {
                        if (at >= tokens.length) {
                            return at;
                        }
                        return item(tokens, at + 1);
                    }
                    int item(int[] tokens, int at) {
                        return tokens[at] == 0 ? list(tokens, at) : at;
                    }
                }
                """)));
        List<Finding> recursion = of(kernel, "STK-RECURSION");
        assertEquals(1, recursion.size(), recursion.toString());
        Finding finding = recursion.get(0);
        assertTrue(finding.message().startsWith("Mutual recursion in kernel code: com.example.parser.Parser."), finding.message());
        assertTrue(finding.message().contains("Parser.list -> com.example.parser.Parser.item")
                || finding.message().contains("Parser.item -> com.example.parser.Parser.list"), finding.message());
        List<Integer> lines = finding.related().stream().map(r -> r.site().line()).sorted().toList();
        assertEquals(List.of(7, 10), lines);
    }

    @Test
    void recursionThroughAMethodReferenceStoredInAJdkFunctionalInterfaceIsFound() {
        HostedKernel kernel = boot(KernelSettings.defaults());
        load(kernel, kext("com.example.driver.Chain", "Chain", Map.of("Chain", """
                public class Chain {
                    public static int[] next = {1, 2, -1};
                    public int visited;
                    private final java.util.function.IntConsumer visitor = this::visit;
                    public void walk() {
                        visitor.accept(0);
                    }
                    void visit(int index) {
                        visited++;
                        if (next[index] >= 0) {
                            visitor.accept(next[index]);
                        }
                    }
                }
                """)));
        List<Finding> recursion = of(kernel, "STK-RECURSION");
        assertEquals(1, recursion.size(), kernel.findings().list().toString());
        Finding finding = recursion.get(0);
        assertEquals("Direct recursion in kernel code: com.example.chain.Chain.visit -> com.example.chain.Chain.visit."
                + " Kernel stacks are small: bound the recursion to a few levels or make it a loop.", finding.message());
        assertEquals(12, finding.primarySite().line(), "the line that calls the interface");
        assertEquals("visit", finding.primarySite().methodName());
    }

    @Test
    void recursionThroughALambdaIsMutualRecursionWithTheLambdaBody() {
        HostedKernel kernel = boot(KernelSettings.defaults());
        load(kernel, kext("com.example.driver.Tree", "Tree", Map.of("Tree", """
                public class Tree {
                    public static int[][] children = {{1, 2}, {}, {}};
                    public int nodes;
                    private final java.util.function.Consumer<Integer> child = c -> count(c);
                    public void count(int node) {
                        nodes++;
                        for (int c : children[node]) {
                            child.accept(c);
                        }
                    }
                }
                """)));
        List<Finding> recursion = of(kernel, "STK-RECURSION");
        assertEquals(1, recursion.size(), kernel.findings().list().toString());
        Finding finding = recursion.get(0);
        assertTrue(finding.message().startsWith("Mutual recursion in kernel code: com.example.tree.Tree."), finding.message());
        assertTrue(finding.message().contains("Tree.count -> com.example.tree.Tree.lambda$new$")
                || finding.message().contains("Tree.lambda$new$0 -> com.example.tree.Tree.count"), finding.message());
        List<Integer> lines = finding.related().stream().map(r -> r.site().line()).sorted().toList();
        assertEquals(List.of(5, 9), lines, "the lambda's call of count and the loop's call of the interface");
    }

    @Test
    void callingAFunctionalInterfaceWhoseKextImplementationsDoNotCallBackIsNotRecursion() {
        HostedKernel kernel = boot(KernelSettings.defaults());
        load(kernel, kext("com.example.driver.Stats", "Stats", Map.of("Stats", """
                public class Stats {
                    public long total;
                    private final java.util.function.IntConsumer add = this::add;
                    private final java.util.function.IntConsumer twice = v -> add(2 * v);
                    public void record(int[] values, boolean doubled) {
                        for (int v : values) {
                            (doubled ? twice : add).accept(v);
                        }
                    }
                    void add(int v) {
                        total += v;
                    }
                }
                """)));
        assertEquals(List.of(), of(kernel, "STK-RECURSION"));
    }

    @Test
    void aLargeFrameIsFlagged() {
        StringBuilder body = new StringBuilder("public class Big {\n    public long sum(long seed) {\n");
        for (int i = 0; i < 80; i++) {
            body.append("        long v").append(i).append(" = seed * ").append(i + 3).append(";\n");
        }
        body.append("        return v0");
        for (int i = 1; i < 80; i++) {
            body.append(" + v").append(i);
        }
        body.append(";\n    }\n}\n");
        HostedKernel kernel = boot(KernelSettings.defaults());
        load(kernel, kext("com.example.driver.Big", "Big", Map.of("Big", body.toString())));
        List<Finding> frames = of(kernel, "STK-FRAME");
        assertEquals(1, frames.size(), frames.toString());
        assertEquals("sum", frames.get(0).primarySite().methodName());
        assertEquals(4, frames.get(0).primarySite().line());
        assertTrue(frames.get(0).message().contains("has an estimated frame of "), frames.get(0).message());
    }

    @Test
    void userSpaceApisAreReportedAtTheirLines() {
        HostedKernel kernel = boot(KernelSettings.defaults());
        LoadReport report = load(kernel, kext("com.example.driver.Chatty", "Chatty", Map.of("Chatty", """
                public class Chatty {
                    void log() {
                        System.out.println("hello");
                    }
                    void file() throws Exception {
                        new java.io.FileInputStream("/etc/passwd").close();
                    }
                    void socket() throws Exception {
                        new java.net.Socket("localhost", 80).close();
                    }
                    void thread() {
                        new Thread(() -> { }).start();
                    }
                    void open(java.lang.reflect.Field f) {
                        f.setAccessible(true);
                    }
                }
                """)));
        assertEquals(LoadReport.Status.LOADED, report.status(), report.messages().toString());
        Map<Integer, String> byLine = new HashMap<>();
        for (Finding f : of(kernel, "API-USER")) {
            byLine.merge(f.primarySite().line(), f.message(), (a, b) -> a + " | " + b);
        }
        assertTrue(byLine.get(4).contains("uses System.out"), byLine.toString());
        assertTrue(byLine.get(7).contains("uses java.io.FileInputStream"), byLine.toString());
        assertTrue(byLine.get(10).contains("uses java.net.Socket"), byLine.toString());
        // new Thread(...).start() on one line is one site: findings are deduplicated by check and site.
        assertTrue(byLine.get(13).contains("uses new Thread"), byLine.toString());
        assertTrue(byLine.get(16).contains("uses AccessibleObject.setAccessible"), byLine.toString());
    }

    @Test
    void exitExecAndClassLoadingTricksAreRefusedAtLoad() {
        HostedKernel kernel = boot(KernelSettings.defaults());
        LoadReport exit = load(kernel, kext("com.example.driver.Quitter", "Quitter", Map.of("Quitter", """
                public class Quitter {
                    void quit() {
                        System.exit(1);
                    }
                }
                """)));
        assertEquals(KextReturn.LINK_ERROR, exit.result());
        assertEquals(List.of("Kext com.example.driver.Quitter - refused: com.example.quitter.Quitter.quit(Quitter.java:4) uses"
                + " System.exit, which kernel code may not use (a kernel has no process to end: return an error from the entry"
                + " point, or panic)."), exit.messages());
        assertTrue(kernel.loadedKext("com.example.driver.Quitter").isEmpty());

        LoadReport exec = load(kernel, kext("com.example.driver.Runner", "Runner", Map.of("Runner", """
                public class Runner {
                    void run() throws Exception {
                        Runtime.getRuntime().exec(new String[] {"sh"});
                    }
                }
                """)));
        assertEquals(KextReturn.LINK_ERROR, exec.result());
        assertTrue(exec.messages().get(0).contains("Runner.run(Runner.java:4) uses Runtime.exec"), exec.messages().toString());

        LoadReport loader = load(kernel, kext("com.example.driver.Definer", "Definer", Map.of("Definer", """
                public class Definer extends ClassLoader {
                    Class<?> make(byte[] b) {
                        return defineClass(null, b, 0, b.length);
                    }
                }
                """)));
        assertEquals(KextReturn.LINK_ERROR, loader.result());
        String messages = String.join("\n", loader.messages());
        assertTrue(messages.contains("Class com.example.definer.Definer extends java.lang.ClassLoader"), messages);
        assertTrue(messages.contains("Definer.make(Definer.java:4) uses ClassLoader.defineClass"), messages);
    }

    @Test
    void floatingPointIsNotedOncePerMethod() {
        HostedKernel kernel = boot(KernelSettings.defaults());
        load(kernel, kext("com.example.driver.Gauge", "Gauge", Map.of("Gauge", """
                public class Gauge {
                    int scale(int raw) {
                        double volts = raw * 3.3 / 4096;
                        return (int) (volts * 1000.0);
                    }
                    int plain(int raw) {
                        return raw >> 2;
                    }
                }
                """)));
        List<Finding> notes = of(kernel, "API-FLOAT");
        assertEquals(1, notes.size(), notes.toString());
        assertEquals("scale", notes.get(0).primarySite().methodName());
        assertEquals(4, notes.get(0).primarySite().line());
    }

    @Test
    void namesThatAreNotReverseDnsOrUseReservedPrefixesAreReported() throws Exception {
        HostedKernel kernel = boot(KernelSettings.defaults());
        load(kernel, kext("MyDriver", "Named", Map.of("IOFancyDriver", "public class IOFancyDriver { }\n")));
        load(kernel, kext("com.apple.driver.Fake", "Faker", Map.of()));
        List<String> messages = of(kernel, "STY-NAME").stream().map(Finding::message).toList();
        assertTrue(messages.contains("Bundle identifier 'MyDriver' is not in reverse-DNS form (such as"
                + " com.example.driver.MyDriver): kernel-wide names must be unique."), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("Class com.example.named.IOFancyDriver uses the reserved prefix 'IO'")),
                messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("Bundle identifier 'com.apple.driver.Fake' uses the com.apple."
                + " prefix")), messages.toString());
        // The bundle id's finding points at the line of its value in Info.plist, so SARIF has a location.
        Finding id = of(kernel, "STY-NAME").stream().filter(f -> f.message().contains("'MyDriver'")).findFirst().orElseThrow();
        org.kextkit.harness.check.CodeSite site = id.primarySite();
        assertTrue(site != null && site.inPropertyList(), String.valueOf(site));
        assertEquals("CFBundleIdentifier", site.methodName());
        List<String> plist = java.nio.file.Files.readAllLines(java.nio.file.Path.of(site.className()));
        assertTrue(plist.get(site.line() - 1).contains("<string>MyDriver</string>"), plist.toString());
    }

    @Test
    void entryPointsAreReportedToTheListener() throws Exception {
        HostedKernel kernel = boot(KernelSettings.defaults());
        List<String> events = new ArrayList<>();
        kernel.instrumenter().orElseThrow().entryPointListener(new EntryPointListener() {
            @Override
            public void entered(EntryPoint entryPoint) {
                events.add("enter " + entryPoint.kind() + " " + entryPoint.site().methodName());
            }

            @Override
            public void returned(EntryPoint entryPoint, boolean threw) {
                events.add("return " + entryPoint.kind() + (threw ? " (threw)" : ""));
            }
        });
        load(kernel, kext("com.example.driver.Ring", "Ring", RING_WALKER));
        assertEquals(List.of("enter KextModule.start start", "return KextModule.start"), events);
        events.clear();
        Class<?> type = kernel.loadedKext("com.example.driver.Ring").orElseThrow().classLoader().loadClass("com.example.ring.RingWalker");
        type.getField("deviceRing").set(null, new int[] {-1});
        ((Runnable) type.getDeclaredConstructor().newInstance()).run();
        assertEquals(List.of("enter Runnable.run run", "return Runnable.run"), events);
    }

    @Test
    void checksCanBeSwitchedOffForABaseline() throws Exception {
        HostedKernel kernel = boot(KernelSettings.defaults().withInstrumentation(new InstrumentSettings(false, 16384)));
        load(kernel, kext("com.example.driver.Ring", "Ring", RING_WALKER));
        assertTrue(kernel.findings().list().isEmpty());
        assertTrue(kernel.instrumenter().isEmpty());
        Class<?> type = kernel.loadedKext("com.example.driver.Ring").orElseThrow().classLoader().loadClass("com.example.ring.RingWalker");
        assertNotNull(type);
        assertThrows(NoSuchMethodException.class, () -> type.getDeclaredMethod("noSuch"));
    }
}
