package org.kextkit.harness.check.instrument.internal;

import java.util.Arrays;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrite one kext class so that every method with code charges its frame on entry and releases it
 * on every exit, through {@link org.kextkit.kit.internal.KextFrames}:
 * <pre>
 *   KextFrames.Stack s = KextFrames.current();   // two new locals after the method's own
 *   int d = s.enter(id, frameBytes);              // enterEntryPoint for entry points
 *   try { original body; each return: s.exit(d) }
 *   catch (Throwable t) { s.exit(d); throw t; }   // a handler covering the whole body, listed last
 * </pre>
 * Before each method call of the body, the call's source line is recorded with {@code s.at(d, line)}
 * (once per line in straight-line code), so the kernel can name the kext's call sites (where a lock
 * was taken or a block allocated) without walking the Java stack.
 * In constructors the account starts after the {@code super(...)}/{@code this(...)} call, so the
 * handler never covers an uninitialised {@code this}. Stack map frames are read expanded and
 * rewritten with the two new locals; nothing is computed that would need classes loaded.
 */
public final class FrameInstrumenter {
    private static final String FRAMES = "org/kextkit/kit/internal/KextFrames";
    private static final String STACK = "org/kextkit/kit/internal/KextFrames$Stack";
    private static final String STACK_DESC = "L" + STACK + ";";

    /** Supplies the registered id, frame size and entry-point status of each method. */
    public interface Methods {
        /**
         * Register the method and return its id, or -1 to leave it alone.
         *
         * @param className internal name of the class
         */
        int register(String className, String name, String descriptor);

        /** Return the frame estimate of a registered method. */
        int frameBytes(int id);

        /** Return whether a registered method is an entry point. */
        boolean isEntryPoint(int id);

        /** Return the class file's {@code max_locals} of a registered method. */
        int maxLocals(int id);
    }

    private FrameInstrumenter() {
    }

    /** Return the instrumented class. */
    public static byte[] instrument(byte[] classBytes, Methods methods) {
        ClassReader reader = new ClassReader(classBytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private String className;
            private boolean frames;

            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                className = name;
                frames = (version & 0xFFFF) >= Opcodes.V1_6;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                    return mv;
                }
                int id = methods.register(className, name, descriptor);
                if (id < 0) {
                    return mv;
                }
                return new Accounting(mv, id, methods.frameBytes(id), methods.isEntryPoint(id), name.equals("<init>"), frames,
                        methods.maxLocals(id));
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    private static final class Accounting extends MethodVisitor {
        private final int id;
        private final int frameBytes;
        private final boolean entryPoint;
        private final boolean constructor;
        private final boolean frames;
        private final Label start = new Label();
        private int stackSlot = -1;
        private boolean started;
        private int pendingNews;
        private final int firstFreeSlot;
        private int line = -1;
        private int lineRecorded = -1;

        Accounting(MethodVisitor mv, int id, int frameBytes, boolean entryPoint, boolean constructor, boolean frames,
                   int maxLocals) {
            super(Opcodes.ASM9, mv);
            this.id = id;
            this.frameBytes = frameBytes;
            this.entryPoint = entryPoint;
            this.constructor = constructor;
            this.frames = frames;
            this.firstFreeSlot = maxLocals; // the new locals go after the method's own
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (!constructor) {
                enter();
            }
        }

        private void enter() {
            stackSlot = firstFreeSlot;
            super.visitMethodInsn(Opcodes.INVOKESTATIC, FRAMES, "current", "()" + STACK_DESC, false);
            super.visitInsn(Opcodes.DUP);
            super.visitVarInsn(Opcodes.ASTORE, stackSlot);
            push(id);
            push(frameBytes);
            super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, STACK, entryPoint ? "enterEntryPoint" : "enter", "(II)I", false);
            super.visitVarInsn(Opcodes.ISTORE, stackSlot + 1);
            super.visitLabel(start);
            started = true;
        }

        private void push(int value) {
            if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
                super.visitIntInsn(Opcodes.SIPUSH, value);
            } else {
                super.visitLdcInsn(value);
            }
        }

        private void exit(boolean throwing) {
            super.visitVarInsn(Opcodes.ALOAD, stackSlot);
            super.visitVarInsn(Opcodes.ILOAD, stackSlot + 1);
            if (entryPoint) {
                push(id);
                super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, STACK, throwing ? "exitEntryPointThrowing" : "exitEntryPoint",
                        "(II)V", false);
            } else {
                super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, STACK, "exit", "(I)V", false);
            }
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (constructor && !started && opcode == Opcodes.NEW) {
                pendingNews++;
            }
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitLineNumber(int number, Label label) {
            super.visitLineNumber(number, label);
            line = number;
        }

        @Override
        public void visitLabel(Label label) {
            super.visitLabel(label);
            lineRecorded = -1; // a jump may land here: record the line again before the next call
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (started && line >= 0 && line != lineRecorded) {
                super.visitVarInsn(Opcodes.ALOAD, stackSlot);
                super.visitVarInsn(Opcodes.ILOAD, stackSlot + 1);
                push(line);
                super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, STACK, "at", "(II)V", false);
                lineRecorded = line;
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            if (constructor && !started && opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")) {
                if (pendingNews > 0) {
                    pendingNews--;
                } else {
                    enter(); // right after super(...) or this(...)
                }
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (started && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                exit(false);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            if (!started || type != Opcodes.F_NEW) {
                super.visitFrame(type, numLocal, local, numStack, stack);
                return;
            }
            Object[] locals = withAccount(local, numLocal);
            super.visitFrame(type, locals.length, locals, numStack, stack);
        }

        private Object[] withAccount(Object[] local, int numLocal) {
            int slots = 0;
            for (int i = 0; i < numLocal; i++) {
                slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
            }
            int pad = Math.max(0, stackSlot - slots);
            Object[] locals = Arrays.copyOf(local, numLocal + pad + 2);
            for (int i = 0; i < pad; i++) {
                locals[numLocal + i] = Opcodes.TOP;
            }
            locals[numLocal + pad] = STACK;
            locals[numLocal + pad + 1] = Opcodes.INTEGER;
            return locals;
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            if (!started) {
                super.visitMaxs(maxStack, maxLocals);
                return;
            }
            Label end = new Label();
            Label handler = new Label();
            super.visitLabel(end);
            super.visitLabel(handler);
            // Listed after the method's own handlers, so it sees only what they let through.
            super.visitTryCatchBlock(start, end, handler, null);
            if (frames) {
                Object[] locals = withAccount(new Object[0], 0);
                super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
            }
            exit(true);
            super.visitInsn(Opcodes.ATHROW);
            super.visitMaxs(Math.max(maxStack + 3, 4), Math.max(maxLocals, stackSlot) + 2);
        }
    }

}
