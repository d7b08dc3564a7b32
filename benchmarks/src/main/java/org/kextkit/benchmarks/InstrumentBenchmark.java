package org.kextkit.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextBundleReader;
import org.kextkit.harness.bundle.KextBundleWriter;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.bundle.KextExecutableException;
import org.kextkit.harness.check.KernelFindings;
import org.kextkit.harness.check.instrument.FrameEstimate;
import org.kextkit.harness.check.instrument.KextInstrumenter;
import org.kextkit.harness.version.VersionGrammar;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measure the load-time checks of kext bytecode: the static pass over a kext's jar and the
 * instrumentation of every class, for one kext of 1,000 generated classes (target: ≤ 150 ms).
 * Each class has a constructor, a loop with a branch (so stack map frames are rewritten), a call
 * into the next class and a method with an exception handler.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@Fork(1)
public class InstrumentBenchmark {
    @Param({"1000"})
    public int classes;

    private KextBundle bundle;
    private KextExecutable executable;
    private List<String> names;

    @Setup
    public void generate() throws IOException, KextExecutableException {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (int i = 0; i < classes; i++) {
            bytes.put("com.example.bench.C" + i, generated(i, classes));
        }
        Path dir = Files.createTempDirectory("kextkit-instrument-bench");
        String plist = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n"
                + "<key>CFBundleIdentifier</key><string>com.example.bench.Instrumented</string>\n"
                + "<key>CFBundleName</key><string>Instrumented</string>\n"
                + "<key>CFBundleExecutable</key><string>Instrumented</string>\n"
                + "<key>CFBundlePackageType</key><string>KEXT</string>\n"
                + "<key>CFBundleInfoDictionaryVersion</key><string>6.0</string>\n"
                + "<key>CFBundleVersion</key><string>1.0.0</string>\n"
                + "</dict>\n</plist>\n";
        Path kext = KextBundleWriter.write(dir, "Instrumented", plist, "Instrumented", bytes, null);
        bundle = new KextBundleReader("x86_64", VersionGrammar.MODERN, new AtomicLong()).read(kext).bundle().orElseThrow();
        executable = bundle.executable();
        names = List.copyOf(bytes.keySet());
    }

    @Benchmark
    public long analyseAndInstrumentEveryClass() {
        KextInstrumenter instrumenter = new KextInstrumenter(FrameEstimate.DEFAULT_STACK_BUDGET, new KernelFindings());
        instrumenter.prepare(bundle, executable, null);
        long total = 0;
        for (String name : names) {
            total += instrumenter.transform(bundle, name, executable.classBytes(name)).length;
        }
        return total;
    }

    private static byte[] generated(int index, int count) {
        String name = "com/example/bench/C" + index;
        String next = "com/example/bench/C" + ((index + 1) % count);
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override
            protected String getCommonSuperClass(String type1, String type2) {
                return "java/lang/Object";
            }
        };
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "java/lang/Object", null);
        cw.visitSource("C" + index + ".java", null);
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        // static int sum(int n) { int s = 0; for (int i = 0; i < n; i++) { s += i; } return s + C<next>.leaf(s); }
        MethodVisitor sum = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "sum", "(I)I", null, null);
        sum.visitCode();
        Label line = new Label();
        sum.visitLabel(line);
        sum.visitLineNumber(3, line);
        sum.visitInsn(Opcodes.ICONST_0);
        sum.visitVarInsn(Opcodes.ISTORE, 1);
        sum.visitInsn(Opcodes.ICONST_0);
        sum.visitVarInsn(Opcodes.ISTORE, 2);
        Label test = new Label();
        Label body = new Label();
        sum.visitJumpInsn(Opcodes.GOTO, test);
        sum.visitLabel(body);
        sum.visitVarInsn(Opcodes.ILOAD, 1);
        sum.visitVarInsn(Opcodes.ILOAD, 2);
        sum.visitInsn(Opcodes.IADD);
        sum.visitVarInsn(Opcodes.ISTORE, 1);
        sum.visitIincInsn(2, 1);
        sum.visitLabel(test);
        sum.visitVarInsn(Opcodes.ILOAD, 2);
        sum.visitVarInsn(Opcodes.ILOAD, 0);
        sum.visitJumpInsn(Opcodes.IF_ICMPLT, body);
        sum.visitVarInsn(Opcodes.ILOAD, 1);
        sum.visitVarInsn(Opcodes.ILOAD, 1);
        sum.visitMethodInsn(Opcodes.INVOKESTATIC, next, "leaf", "(I)I", false);
        sum.visitInsn(Opcodes.IADD);
        sum.visitInsn(Opcodes.IRETURN);
        sum.visitMaxs(0, 0);
        sum.visitEnd();

        // static int leaf(int v) { try { return 100 / v; } catch (ArithmeticException e) { return 0; } }
        MethodVisitor leaf = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "leaf", "(I)I", null, null);
        leaf.visitCode();
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        leaf.visitTryCatchBlock(start, end, handler, "java/lang/ArithmeticException");
        leaf.visitLabel(start);
        leaf.visitIntInsn(Opcodes.BIPUSH, 100);
        leaf.visitVarInsn(Opcodes.ILOAD, 0);
        leaf.visitInsn(Opcodes.IDIV);
        leaf.visitLabel(end);
        leaf.visitInsn(Opcodes.IRETURN);
        leaf.visitLabel(handler);
        leaf.visitVarInsn(Opcodes.ASTORE, 1);
        leaf.visitInsn(Opcodes.ICONST_0);
        leaf.visitInsn(Opcodes.IRETURN);
        leaf.visitMaxs(0, 0);
        leaf.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Run once outside JMH (a quick figure while developing). */
    public static void main(String[] args) throws Exception {
        InstrumentBenchmark benchmark = new InstrumentBenchmark();
        benchmark.classes = 1000;
        benchmark.generate();
        for (int i = 0; i < 30; i++) {
            long start = System.nanoTime();
            benchmark.analyseAndInstrumentEveryClass();
            System.out.printf("%.1f ms%n", (System.nanoTime() - start) / 1e6);
        }
    }
}
