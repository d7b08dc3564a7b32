package org.kextkit.harness.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.ExitCodes;
import org.kextkit.harness.cli.KextkitCommand;
import org.kextkit.harness.cli.kextcheck.KextZips;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.config.ConfigLoader;
import org.kextkit.harness.config.KextkitConfig;
import org.kextkit.harness.testing.TestKexts;

/**
 * {@code kextcheck} with real worker processes over a folder of good, buggy and hostile kexts and bad
 * archives: every entry gets its own result, a kext that ends its worker's JVM is a harness error
 * naming the exit, a kext that leaves a thread running gets its worker replaced, and the kexts after
 * them still run clean.
 */
class KextcheckIsolationTest {
    private static final String KPIS = libraries("com.apple.kpi.iokit", "8.0.0", "com.apple.kpi.libkern", "8.0.0");

    @TempDir
    Path tmp;

    private static String module(String pkg, String startBody) {
        return "package " + pkg + ";\n"
                + "import org.kextkit.kit.libkern.*;\n"
                + "public final class Module implements KextModule {\n"
                + "    @Override public int start(KmodInfo kmodInfo, Object data) {\n" + startBody + "\n"
                + "        return KernReturn.KERN_SUCCESS;\n    }\n"
                + "    @Override public int stop(KmodInfo kmodInfo, Object data) { return KernReturn.KERN_SUCCESS; }\n"
                + "}\n";
    }

    private static void kext(Path dir, String name, String startBody) {
        String pkg = "com.example." + name.toLowerCase();
        TestKexts.write(dir, name, identity("com.example." + name, name, "1.0.0") + KPIS,
                Map.of(pkg + ".Module", module(pkg, startBody)), pkg + ".Module");
    }

    @Test
    void aFolderOfGoodBuggyHostileKextsAndBadArchivesGivesEachItsResult() throws Exception {
        Path kexts = Files.createDirectories(tmp.resolve("kexts"));
        kext(kexts, "Buggy", "System.out.println(\"Buggy: started\");");
        // Runtime.halt is refused at link time when called directly; through reflection it gets past
        // the load-time checks and ends the JVM it runs in, as a hostile kext might.
        kext(kexts, "Crasher", """
                try {
                    Class<?> rt = Class.forName("java.lang.Runtime");
                    Object runtime = rt.getMethod("getRuntime").invoke(null);
                    rt.getMethod("halt", int.class).invoke(runtime, 42);
                } catch (ReflectiveOperationException e) {
                    return KernReturn.KERN_FAILURE;
                }""");
        kext(kexts, "Good", "");
        kext(kexts, "Lingerer", """
                Thread t = new Thread(() -> {
                    while (true) {
                        try { Thread.sleep(60_000); } catch (InterruptedException e) { return; }
                    }
                }, "lingerer");
                t.setDaemon(true);
                t.start();""");
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        kext(elsewhere, "Zipped", "");
        KextZips.zipBundle(elsewhere.resolve("Zipped.kext"), kexts.resolve("Zipped.kext.zip"));
        KextZips.zip(kexts.resolve("Slip.kext.zip"), KextZips.with(KextZips.kext("Slip.kext"), "../../evil", KextZips.text("x")));
        KextZips.zip(kexts.resolve("Bomb.kext.zip"), KextZips.with(KextZips.kext("Bomb.kext"), "Bomb.kext/Contents/zeros",
                KextZips.zeros(8 << 20)));
        Path corrupt = KextZips.zipBundle(elsewhere.resolve("Zipped.kext"), kexts.resolve("Corrupt.kext.zip"));
        KextZips.truncate(corrupt, (int) Files.size(corrupt) - 40);
        KextZips.zip(kexts.resolve("Plain.kext.zip"), KextZips.kext("Plain"));

        Set<Path> tempBefore = unpackFolders();
        CliResult r = run("-v", "--report", "junit=out/kextcheck.xml", "kexts");

        List<String> progress = r.err().lines().filter(l -> l.startsWith("[")).toList();
        assertEquals(9, progress.size(), r.err());
        assertTrue(progress.get(0).startsWith("[1/9] Bomb.kext.zip ... could not load (Bomb.kext.zip: inflates more than "
                + "100 times its compressed size"), progress.get(0));
        assertEquals("[2/9] com.example.Buggy ... 1 finding", progress.get(1));
        assertTrue(progress.get(2).startsWith("[3/9] Corrupt.kext.zip ... could not load (Corrupt.kext.zip: is corrupt or "
                + "truncated"), progress.get(2));
        assertEquals("[4/9] com.example.Crasher ... harness error (its worker process died (exit status 42))", progress.get(3));
        assertEquals("[5/9] com.example.Good ... clean", progress.get(4), "the kext after the crash runs in a fresh worker");
        assertEquals("[6/9] com.example.Lingerer ... 2 findings", progress.get(5), "new Thread and Thread.start (API-USER)");
        assertTrue(progress.get(6).startsWith("[7/9] Plain.kext.zip ... could not load (Plain.kext.zip: its top-level "
                + "entry Plain is not a .kext folder"), progress.get(6));
        assertTrue(progress.get(7).startsWith("[8/9] Slip.kext.zip ... could not load (Slip.kext.zip: entry ../../evil "
                + "leaves the archive's folder"), progress.get(7));
        assertEquals("[9/9] com.example.Zipped ... clean", progress.get(8));

        assertTrue(r.err().contains("    Its worker process was replaced: the kext left 1 thread running (lingerer).\n"),
                r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals(ExitCodes.EX_SOFTWARE, r.status(), "a harness error wins: " + r);
        assertTrue(r.out().endsWith("9 kexts: 2 clean, 2 with findings, 4 could not load, 1 harness error\n"), r.out());
        String junit = Files.readString(tmp.resolve("out/kextcheck.xml"));
        assertTrue(junit.contains("<testsuite name=\"com.example.Zipped\""), junit);
        assertFalse(Files.exists(tmp.resolve("evil")));
        assertEquals(tempBefore, unpackFolders(), "the unpacked archives are removed");
    }

    @Test
    void theSameFolderInKernelIsolationRunsWithoutWorkers() throws Exception {
        Path kexts = Files.createDirectories(tmp.resolve("kexts"));
        kext(kexts, "Good", "");
        kext(kexts, "Buggy", "System.out.println(\"Buggy: started\");");
        CliResult r = run("--isolation", "kernel", "kexts");
        assertEquals(12, r.status(), r.toString());
        assertEquals("[1/2] com.example.Buggy ... 1 finding\n[2/2] com.example.Good ... clean\n", r.err());
    }

    private static Set<Path> unpackFolders() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("kextcheck-")).collect(Collectors.toSet());
        }
    }

    private CliResult run(String... argv) {
        Properties props = new Properties();
        props.setProperty("user.home", tmp.toString());
        props.setProperty("user.name", "kextkit-test");
        props.setProperty("java.io.tmpdir", tmp.toString());
        KextkitConfig config = new ConfigLoader().noUserFile().environment(Map.of()).systemProperties(props)
                .commandLine(List.of("kextkit.extensions=")).load();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> line = new ArrayList<>(List.of("kextcheck"));
        line.addAll(List.of(argv));
        int status = KextkitCommand.run(line, tmp, new PrintWriter(out), new PrintWriter(err),
                InProcessContextProvider.context(config));
        return new CliResult(status, out.toString(), err.toString());
    }
}
