package org.kextkit.harness.link.internal;

import java.util.Set;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.RecordComponentVisitor;
import org.objectweb.asm.Type;
import org.objectweb.asm.TypePath;

/**
 * Collect the classes one class file refers to: the Java form of a Mach-O object's undefined
 * symbols.
 *
 * <p>Code never names a class except through the constant pool, so the pool is read directly:
 * {@code CONSTANT_Class} (superclass, interfaces, {@code new}, casts, {@code ldc} class constants,
 * {@code anewarray}/{@code multianewarray}, field and method owners, thrown exceptions, bootstrap
 * method owners), {@code CONSTANT_NameAndType} descriptors (the parameter, return and field types of
 * every member referenced, including {@code invokedynamic} call sites) and
 * {@code CONSTANT_MethodType}. The class's own field and method descriptors and its runtime-visible
 * annotations live outside those entries, so they are read with a code-skipping visitor. Generic
 * signatures and class-retention annotations are left out: the JVM never resolves them.
 */
public final class ClassReferences {
    private static final int CONSTANT_CLASS = 7;
    private static final int CONSTANT_NAME_AND_TYPE = 12;
    private static final int CONSTANT_METHOD_TYPE = 16;

    private ClassReferences() {
    }

    /**
     * Add to {@code out} the binary names ({@code com.example.Foo$Bar}) of every class that
     * {@code classBytes} refers to, its own name included.
     *
     * @return the binary name the class file declares for itself
     * @throws IllegalArgumentException if the bytes are not a class file ASM can read
     */
    public static String collect(byte[] classBytes, Set<String> out) {
        ClassReader reader;
        try {
            reader = new ClassReader(classBytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(describe(e), e);
        }
        try {
            readConstantPool(reader, out);
            reader.accept(new MemberVisitor(out), ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return reader.getClassName().replace('/', '.');
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(describe(e), e);
        }
    }

    private static String describe(RuntimeException e) {
        String detail = e.getMessage();
        return e.getClass().getSimpleName() + (detail == null ? "" : ": " + detail);
    }

    private static void readConstantPool(ClassReader reader, Set<String> out) {
        char[] buffer = new char[reader.getMaxStringLength()];
        int count = reader.getItemCount();
        for (int i = 1; i < count; i++) {
            int offset = reader.getItem(i);
            if (offset == 0) {
                continue; // the unusable slot after a long or double
            }
            switch (reader.readByte(offset - 1)) {
                case CONSTANT_CLASS: {
                    String name = reader.readUTF8(offset, buffer);
                    if (name.charAt(0) == '[') {
                        addDescriptor(name, out);
                    } else {
                        out.add(name.replace('/', '.'));
                    }
                    break;
                }
                case CONSTANT_NAME_AND_TYPE:
                    addDescriptor(reader.readUTF8(offset + 2, buffer), out);
                    break;
                case CONSTANT_METHOD_TYPE:
                    addDescriptor(reader.readUTF8(offset, buffer), out);
                    break;
                default:
                    break;
            }
        }
    }

    /** Add every class named in a field or method descriptor ({@code (ILjava/lang/String;)[Lfoo/Bar;}). */
    public static void addDescriptor(String descriptor, Set<String> out) {
        int i = descriptor.indexOf('L');
        while (i >= 0) {
            int end = descriptor.indexOf(';', i);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated class name in descriptor " + descriptor);
            }
            out.add(descriptor.substring(i + 1, end).replace('/', '.'));
            i = descriptor.indexOf('L', end + 1);
        }
    }

    private static final class MemberVisitor extends ClassVisitor {
        private final Set<String> out;
        private final AnnotationVisitor values;
        // The member visitors keep no state of their own, so one of each serves every member.
        private final FieldVisitor fields;
        private final MethodVisitor methods;
        private final RecordComponentVisitor components;

        MemberVisitor(Set<String> out) {
            super(Opcodes.ASM9);
            this.out = out;
            this.values = new ValueVisitor(out);
            this.fields = new FieldVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
                    return annotation(desc, visible);
                }

                @Override
                public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String desc, boolean visible) {
                    return annotation(desc, visible);
                }
            };
            this.methods = new MethodVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotationDefault() {
                    return values;
                }

                @Override
                public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
                    return annotation(desc, visible);
                }

                @Override
                public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String desc, boolean visible) {
                    return annotation(desc, visible);
                }

                @Override
                public AnnotationVisitor visitParameterAnnotation(int parameter, String desc, boolean visible) {
                    return annotation(desc, visible);
                }
            };
            this.components = new RecordComponentVisitor(Opcodes.ASM9) {
                @Override
                public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
                    return annotation(desc, visible);
                }

                @Override
                public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String desc, boolean visible) {
                    return annotation(desc, visible);
                }
            };
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            return annotation(descriptor, visible);
        }

        @Override
        public AnnotationVisitor visitTypeAnnotation(int typeRef, TypePath typePath, String descriptor, boolean visible) {
            return annotation(descriptor, visible);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            addDescriptor(descriptor, out);
            return fields;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            addDescriptor(descriptor, out);
            return methods;
        }

        @Override
        public RecordComponentVisitor visitRecordComponent(String name, String descriptor, String signature) {
            addDescriptor(descriptor, out);
            return components;
        }

        private AnnotationVisitor annotation(String descriptor, boolean visible) {
            if (!visible) {
                return null;
            }
            addDescriptor(descriptor, out);
            return values;
        }
    }

    /** Collect the classes an annotation's element values name: enum types, class literals, nested annotations. */
    private static final class ValueVisitor extends AnnotationVisitor {
        private final Set<String> out;

        ValueVisitor(Set<String> out) {
            super(Opcodes.ASM9);
            this.out = out;
        }

        @Override
        public void visit(String name, Object value) {
            if (value instanceof Type) {
                addDescriptor(((Type) value).getDescriptor(), out);
            }
        }

        @Override
        public void visitEnum(String name, String descriptor, String value) {
            addDescriptor(descriptor, out);
        }

        @Override
        public AnnotationVisitor visitAnnotation(String name, String descriptor) {
            addDescriptor(descriptor, out);
            return this;
        }

        @Override
        public AnnotationVisitor visitArray(String name) {
            return this;
        }
    }
}
