package org.kextkit.harness.check.instrument.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * What one pass over a kext class's bytes learns for the checks: its methods with their frame
 * maxima and first lines, the calls they make, the user-space APIs and floating point they use, and
 * the lambdas they hand out.
 */
public final class KextScan {
    private KextScan() {
    }

    /** One class of the kext. */
    public static final class ClassInfo {
        public final String name;
        public final String superName;
        public final String[] interfaces;
        public final int access;
        public final int version;
        public String sourceFile;
        public final Map<String, MethodInfo> methods = new LinkedHashMap<>();

        ClassInfo(String name, String superName, String[] interfaces, int access, int version) {
            this.name = name;
            this.superName = superName;
            this.interfaces = interfaces == null ? new String[0] : interfaces;
            this.access = access;
            this.version = version;
        }

        /** Return the binary name ({@code com.example.Driver$1}). */
        public String binaryName() {
            return name.replace('/', '.');
        }
    }

    /** One method of a kext class. */
    public static final class MethodInfo {
        public final ClassInfo owner;
        public final String name;
        public final String descriptor;
        public final int access;
        public int maxLocals;
        public int maxStack;
        public int firstLine = -1;
        public int floatLine = -2; // -2: no floating point; -1: some, line unknown
        public final List<Call> calls = new ArrayList<>();
        public final List<Use> uses = new ArrayList<>();
        public final List<LambdaImpl> lambdas = new ArrayList<>();
        public boolean hasCode;
        public String entryPointKind;

        MethodInfo(ClassInfo owner, String name, String descriptor, int access) {
            this.owner = owner;
            this.name = name;
            this.descriptor = descriptor;
            this.access = access;
        }

        /** Return the key {@code name + descriptor}. */
        public String key() {
            return name + descriptor;
        }

        @Override
        public String toString() {
            return owner.binaryName() + "." + name;
        }
    }

    /** A call instruction. */
    public record Call(int opcode, String owner, String name, String descriptor, int line) {
    }

    /**
     * A reference a rule may care about.
     *
     * @param kind {@code call}, {@code new}, {@code field} or {@code extends}
     * @param descriptor the called method's or field's descriptor, or {@code null}
     */
    public record Use(String kind, String owner, String name, String descriptor, int line) {
    }

    /**
     * A lambda or method reference whose body is a kext method, handed out as {@code iface}: an
     * {@code invokedynamic} of {@code LambdaMetafactory}, resolved to its implementation method (the
     * bootstrap's {@code implMethod} handle).
     *
     * @param samName the interface method the lambda implements
     * @param samDescriptor that method's erased descriptor (the bootstrap's {@code samMethodType}), as an
     *     {@code invokeinterface} of it names it
     */
    public record LambdaImpl(String iface, String samName, String samDescriptor, String implOwner, String implName,
                             String implDescriptor) {
    }

    /** Read one class. */
    public static ClassInfo scan(byte[] classBytes) {
        ClassInfo[] result = new ClassInfo[1];
        new ClassReader(classBytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                result[0] = new ClassInfo(name, superName, interfaces, access, version);
            }

            @Override
            public void visitSource(String source, String debug) {
                result[0].sourceFile = source;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodInfo method = new MethodInfo(result[0], name, descriptor, access);
                result[0].methods.put(method.key(), method);
                return new Scanner(method);
            }
        }, ClassReader.SKIP_FRAMES);
        return result[0];
    }

    private static final class Scanner extends MethodVisitor {
        private final MethodInfo method;
        private int line = -1;

        Scanner(MethodInfo method) {
            super(Opcodes.ASM9);
            this.method = method;
        }

        @Override
        public void visitCode() {
            method.hasCode = true;
        }

        @Override
        public void visitLineNumber(int lineNumber, Label start) {
            line = lineNumber;
            if (method.firstLine < 0) {
                method.firstLine = lineNumber;
            }
        }

        private void floating() {
            if (method.floatLine == -2 || method.floatLine == -1 && line >= 0) {
                method.floatLine = line;
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (isFloatOpcode(opcode)) {
                floating();
            }
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
            if (opcode == Opcodes.FLOAD || opcode == Opcodes.DLOAD || opcode == Opcodes.FSTORE || opcode == Opcodes.DSTORE) {
                floating();
            }
        }

        @Override
        public void visitLdcInsn(Object value) {
            if (value instanceof Float || value instanceof Double) {
                floating();
            }
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            if (opcode == Opcodes.NEWARRAY && (operand == Opcodes.T_FLOAT || operand == Opcodes.T_DOUBLE)) {
                floating();
            }
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (opcode == Opcodes.NEW) {
                method.uses.add(new Use("new", type, "<init>", null, line));
            }
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            method.uses.add(new Use("field", owner, name, descriptor, line));
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            method.calls.add(new Call(opcode, owner, name, descriptor, line));
            method.uses.add(new Use("call", owner, name, descriptor, line));
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... arguments) {
            if ("java/lang/invoke/LambdaMetafactory".equals(bootstrap.getOwner()) && arguments.length >= 2
                    && arguments[1] instanceof Handle impl) {
                String iface = Type.getReturnType(descriptor).getInternalName();
                String samDescriptor = arguments[0] instanceof Type sam ? sam.getDescriptor() : null;
                method.lambdas.add(new LambdaImpl(iface, name, samDescriptor, impl.getOwner(), impl.getName(),
                        impl.getDesc()));
                // The lambda's body runs when the interface method is called: a call from here is the
                // conservative edge (a kext method that calls a lambda it made recurses through it).
                method.calls.add(new Call(Opcodes.INVOKESPECIAL, impl.getOwner(), impl.getName(), impl.getDesc(), line));
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            method.maxStack = maxStack;
            method.maxLocals = maxLocals;
        }
    }

    /** Return whether {@code opcode} computes with, loads, stores or returns a float or double. */
    static boolean isFloatOpcode(int opcode) {
        switch (opcode) {
            case Opcodes.FCONST_0: case Opcodes.FCONST_1: case Opcodes.FCONST_2: case Opcodes.DCONST_0: case Opcodes.DCONST_1:
            case Opcodes.FALOAD: case Opcodes.DALOAD: case Opcodes.FASTORE: case Opcodes.DASTORE:
            case Opcodes.FADD: case Opcodes.DADD: case Opcodes.FSUB: case Opcodes.DSUB: case Opcodes.FMUL: case Opcodes.DMUL:
            case Opcodes.FDIV: case Opcodes.DDIV: case Opcodes.FREM: case Opcodes.DREM: case Opcodes.FNEG: case Opcodes.DNEG:
            case Opcodes.I2F: case Opcodes.I2D: case Opcodes.L2F: case Opcodes.L2D: case Opcodes.F2I: case Opcodes.F2L:
            case Opcodes.F2D: case Opcodes.D2I: case Opcodes.D2L: case Opcodes.D2F:
            case Opcodes.FCMPL: case Opcodes.FCMPG: case Opcodes.DCMPL: case Opcodes.DCMPG:
            case Opcodes.FRETURN: case Opcodes.DRETURN:
                return true;
            default:
                return false;
        }
    }
}
