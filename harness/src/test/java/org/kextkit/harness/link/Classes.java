package org.kextkit.harness.link;

import static org.objectweb.asm.Opcodes.ACC_ABSTRACT;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_INTERFACE;
import static org.objectweb.asm.Opcodes.ACC_PRIVATE;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.ACONST_NULL;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ANEWARRAY;
import static org.objectweb.asm.Opcodes.ARETURN;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.ICONST_2;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.IRETURN;
import static org.objectweb.asm.Opcodes.NEW;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.SIPUSH;
import static org.objectweb.asm.Opcodes.V17;

import java.util.function.BiFunction;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/** Generate the small class files the link tests feed to kexts. */
final class Classes {
    private Classes() {
    }

    static String internal(String binaryName) {
        return binaryName.replace('.', '/');
    }

    /**
     * Return {@code public final class name { public name() {} public static int f() { return value + callee.f() + ...; } }},
     * the shape bundlegraph generates.
     */
    static byte[] summing(String name, int value, String... callees) {
        ClassWriter cw = begin(name, ACC_PUBLIC | ACC_FINAL, "java/lang/Object");
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "f", "()I", null, null);
        mv.visitCode();
        mv.visitIntInsn(SIPUSH, value);
        for (String callee : callees) {
            mv.visitMethodInsn(INVOKESTATIC, internal(callee), "f", "()I", false);
            mv.visitInsn(IADD);
        }
        mv.visitInsn(IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        return end(cw);
    }

    /** Return a class whose {@code public static Class find(String)} calls {@code Class.forName} from kext code. */
    static byte[] forNameProbe(String name) {
        ClassWriter cw = begin(name, ACC_PUBLIC | ACC_FINAL, "java/lang/Object");
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "find", "(Ljava/lang/String;)Ljava/lang/Class;", null,
                new String[] {"java/lang/ClassNotFoundException"});
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Class", "forName", "(Ljava/lang/String;)Ljava/lang/Class;", false);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        return end(cw);
    }

    /** Return a class with a public no-argument constructor, the given access, superclass and interfaces, and nothing else. */
    static byte[] plain(String name, int access, String superclass, String... interfaces) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        String[] ifaces = new String[interfaces.length];
        for (int i = 0; i < interfaces.length; i++) {
            ifaces[i] = internal(interfaces[i]);
        }
        cw.visit(V17, access, internal(name), null, internal(superclass), ifaces);
        if ((access & ACC_INTERFACE) == 0) {
            constructor(cw, internal(superclass), ACC_PUBLIC);
        }
        return end(cw);
    }

    /** Return a public class whose only constructor has the given access and descriptor. */
    static byte[] withConstructor(String name, int constructorAccess, String constructorDescriptor, String... interfaces) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        String[] ifaces = new String[interfaces.length];
        for (int i = 0; i < interfaces.length; i++) {
            ifaces[i] = internal(interfaces[i]);
        }
        cw.visit(V17, ACC_PUBLIC, internal(name), null, "java/lang/Object", ifaces);
        MethodVisitor mv = cw.visitMethod(constructorAccess, "<init>", constructorDescriptor, null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        return end(cw);
    }

    /** Return {@code public abstract class name implements KextModule} style classes: abstract with a public constructor. */
    static byte[] abstractClass(String name, String... interfaces) {
        return plain(name, ACC_PUBLIC | ACC_ABSTRACT, "java.lang.Object", interfaces);
    }

    /** Return a class whose only reference to {@code target} is made the way {@code kind} says. */
    static byte[] referencing(String name, Reference kind, String target) {
        return kind.make.apply(name, internal(target));
    }

    /** One way for a class file to name another class. */
    enum Reference {
        SUPERCLASS(true, (name, t) -> plainInternal(name, t, new String[0])),
        INTERFACE(true, (name, t) -> plainInternal(name, "java/lang/Object", new String[] {t})),
        FIELD_TYPE(true, (name, t) -> {
            ClassWriter cw = begin(name, ACC_PUBLIC, "java/lang/Object");
            cw.visitField(ACC_PRIVATE, "value", "L" + t + ";", null, null).visitEnd();
            return end(cw);
        }),
        METHOD_PARAMETER(true, (name, t) -> {
            ClassWriter cw = begin(name, ACC_PUBLIC, "java/lang/Object");
            body(cw, "(L" + t + ";)V", mv -> mv.visitInsn(RETURN));
            return end(cw);
        }),
        ARRAY_RETURN_TYPE(true, (name, t) -> {
            ClassWriter cw = begin(name, ACC_PUBLIC, "java/lang/Object");
            body(cw, "()[[L" + t + ";", mv -> {
                mv.visitInsn(ACONST_NULL);
                mv.visitInsn(ARETURN);
            });
            return end(cw);
        }),
        STATIC_CALL(true, (name, t) -> code(name, mv -> {
            mv.visitMethodInsn(INVOKESTATIC, t, "f", "()I", false);
            mv.visitInsn(POP);
        })),
        STATIC_FIELD_READ(true, (name, t) -> code(name, mv -> {
            mv.visitFieldInsn(GETSTATIC, t, "COUNT", "I");
            mv.visitInsn(POP);
        })),
        CALL_WITH_PARAMETER_TYPE(true, (name, t) -> code(name, mv -> {
            // the owner is the JDK; the library class appears only in the called method's descriptor
            mv.visitInsn(ACONST_NULL);
            mv.visitMethodInsn(INVOKESTATIC, "java/util/Objects", "requireNonNull", "(L" + t + ";)Ljava/lang/Object;", false);
            mv.visitInsn(POP);
        })),
        NEW_INSTANCE(true, (name, t) -> code(name, mv -> {
            mv.visitTypeInsn(NEW, t);
            mv.visitInsn(DUP);
            mv.visitMethodInsn(INVOKESPECIAL, t, "<init>", "()V", false);
            mv.visitInsn(POP);
        })),
        CAST(true, (name, t) -> code(name, mv -> {
            mv.visitInsn(ACONST_NULL);
            mv.visitTypeInsn(CHECKCAST, t);
            mv.visitInsn(POP);
        })),
        LDC_CLASS_CONSTANT(true, (name, t) -> code(name, mv -> {
            mv.visitLdcInsn(Type.getObjectType(t));
            mv.visitInsn(POP);
        })),
        ARRAY_CREATION(true, (name, t) -> code(name, mv -> {
            mv.visitInsn(ICONST_2);
            mv.visitTypeInsn(ANEWARRAY, t);
            mv.visitInsn(POP);
        })),
        MULTI_DIMENSIONAL_ARRAY_CREATION(true, (name, t) -> code(name, mv -> {
            mv.visitInsn(ICONST_2);
            mv.visitInsn(ICONST_2);
            mv.visitMultiANewArrayInsn("[[L" + t + ";", 2);
            mv.visitInsn(POP);
        })),
        CATCH_CLAUSE(true, (name, t) -> code(name, mv -> {
            Label start = new Label();
            Label end = new Label();
            Label handler = new Label();
            Label after = new Label();
            mv.visitTryCatchBlock(start, end, handler, t);
            mv.visitLabel(start);
            mv.visitInsn(ICONST_0);
            mv.visitInsn(POP);
            mv.visitLabel(end);
            mv.visitJumpInsn(Opcodes.GOTO, after);
            mv.visitLabel(handler);
            mv.visitInsn(POP);
            mv.visitLabel(after);
        })),
        THROWS_CLAUSE(true, (name, t) -> {
            ClassWriter cw = begin(name, ACC_PUBLIC, "java/lang/Object");
            MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "run", "()V", null, new String[] {t});
            mv.visitCode();
            mv.visitInsn(RETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            return end(cw);
        }),
        INVOKEDYNAMIC_TYPE(true, (name, t) -> code(name, mv -> {
            mv.visitInvokeDynamicInsn("make", "()L" + t + ";", ownBootstrap(name));
            mv.visitInsn(POP);
        })),
        INVOKEDYNAMIC_BOOTSTRAP_OWNER(true, (name, t) -> code(name, mv -> {
            mv.visitInvokeDynamicInsn("make", "()Ljava/lang/Object;", new Handle(Opcodes.H_INVOKESTATIC, t, "bootstrap",
                    "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)"
                            + "Ljava/lang/invoke/CallSite;", false));
            mv.visitInsn(POP);
        })),
        METHOD_TYPE_CONSTANT(true, (name, t) -> code(name, mv -> {
            mv.visitLdcInsn(Type.getMethodType("(L" + t + ";)V"));
            mv.visitInsn(POP);
        })),
        RUNTIME_ANNOTATION(true, (name, t) -> {
            ClassWriter cw = begin(name, ACC_PUBLIC, "java/lang/Object");
            cw.visitAnnotation("L" + t + ";", true).visitEnd();
            return end(cw);
        }),
        ANNOTATION_ENUM_VALUE(true, (name, t) -> {
            ClassWriter cw = begin(name, ACC_PUBLIC, "java/lang/Object");
            AnnotationVisitor av = cw.visitAnnotation("Ljava/lang/annotation/Retention;", true);
            av.visitEnum("value", "L" + t + ";", "RUNTIME");
            av.visitEnd();
            return end(cw);
        }),
        ANNOTATION_CLASS_VALUE(true, (name, t) -> {
            ClassWriter cw = begin(name, ACC_PUBLIC, "java/lang/Object");
            body(cw, "()V", mv -> mv.visitInsn(RETURN), av -> {
                AnnotationVisitor a = av.visitAnnotation("Ljava/lang/Deprecated;", true);
                AnnotationVisitor array = a.visitArray("since");
                array.visit(null, Type.getObjectType(t));
                array.visitEnd();
                a.visitEnd();
            });
            return end(cw);
        }),
        CLASS_RETENTION_ANNOTATION(false, (name, t) -> {
            ClassWriter cw = begin(name, ACC_PUBLIC, "java/lang/Object");
            cw.visitAnnotation("L" + t + ";", false).visitEnd();
            return end(cw);
        }),
        GENERIC_SIGNATURE_ONLY(false, (name, t) -> {
            ClassWriter cw = begin(name, ACC_PUBLIC, "java/lang/Object");
            cw.visitField(ACC_PRIVATE, "values", "Ljava/util/List;", "Ljava/util/List<L" + t + ";>;", null).visitEnd();
            return end(cw);
        }),
        STRING_CONSTANT_ONLY(false, (name, t) -> code(name, mv -> {
            mv.visitLdcInsn(t.replace('/', '.'));
            mv.visitInsn(POP);
        }));

        /** Whether the JVM can resolve the target through this reference, so the link check must see it. */
        final boolean resolvedByJvm;
        private final BiFunction<String, String, byte[]> make;

        Reference(boolean resolvedByJvm, BiFunction<String, String, byte[]> make) {
            this.resolvedByJvm = resolvedByJvm;
            this.make = make;
        }
    }

    private static Handle ownBootstrap(String name) {
        return new Handle(Opcodes.H_INVOKESTATIC, internal(name), "bootstrap",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)"
                        + "Ljava/lang/invoke/CallSite;", false);
    }

    private static byte[] plainInternal(String name, String superInternal, String[] interfaces) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V17, ACC_PUBLIC, internal(name), null, superInternal, interfaces);
        constructor(cw, superInternal, ACC_PUBLIC);
        return end(cw);
    }

    private static byte[] code(String name, java.util.function.Consumer<MethodVisitor> instructions) {
        ClassWriter cw = begin(name, ACC_PUBLIC, "java/lang/Object");
        body(cw, "()V", mv -> {
            instructions.accept(mv);
            mv.visitInsn(RETURN);
        });
        return end(cw);
    }

    private static void body(ClassWriter cw, String descriptor, java.util.function.Consumer<MethodVisitor> instructions) {
        body(cw, descriptor, instructions, mv -> { });
    }

    private static void body(ClassWriter cw, String descriptor, java.util.function.Consumer<MethodVisitor> instructions,
                             java.util.function.Consumer<MethodVisitor> annotations) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "run", descriptor, null, null);
        annotations.accept(mv);
        mv.visitCode();
        instructions.accept(mv);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static ClassWriter begin(String name, int access, String superInternal) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V17, access, internal(name), null, superInternal, null);
        constructor(cw, superInternal, ACC_PUBLIC);
        return cw;
    }

    private static void constructor(ClassWriter cw, String superInternal, int access) {
        MethodVisitor mv = cw.visitMethod(access, "<init>", "()V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 0);
        mv.visitMethodInsn(INVOKESPECIAL, superInternal, "<init>", "()V", false);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static byte[] end(ClassWriter cw) {
        cw.visitEnd();
        return cw.toByteArray();
    }
}
