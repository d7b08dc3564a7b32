package org.kextkit.harness.link.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.link.JdkAllowList;
import org.kextkit.harness.link.KpiExports;
import org.kextkit.kit.libkern.KextModule;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Check from bytecode alone, without defining any class, that a kext's {@code Kext-Module-Class}
 * can serve as its start and stop routines.
 */
public final class ModuleClassCheck {
    private static final String MODULE_INTERFACE = KextModule.class.getName();

    private ModuleClassCheck() {
    }

    /**
     * Return one sentence per problem with the module class, each naming the jar and what to do;
     * empty if the class is usable.
     *
     * @param moduleClass the {@code Kext-Module-Class} attribute's value
     * @param executable the kext's executable
     * @param dependencyBytes the bytes of a class in a direct link dependency's jar, or {@code null}
     */
    public static List<String> problems(String moduleClass, KextExecutable executable,
                                        Function<String, byte[]> dependencyBytes) {
        List<String> problems = new ArrayList<>();
        String where = KextBundle.MODULE_CLASS_ATTRIBUTE + " " + moduleClass + " in " + executable.path();
        byte[] bytes = executable.classBytes(moduleClass);
        if (bytes == null) {
            problems.add(KextBundle.MODULE_CLASS_ATTRIBUTE + " names " + moduleClass + ", but " + executable.path()
                    + " has no such class; name the class of that jar that implements " + MODULE_INTERFACE
                    + " (a binary name such as com.example.driver.Start).");
            return problems;
        }
        ClassReader reader;
        boolean[] publicNoArgConstructor = new boolean[1];
        try {
            reader = new ClassReader(bytes);
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    if ("<init>".equals(name) && "()V".equals(descriptor) && (access & Opcodes.ACC_PUBLIC) != 0) {
                        publicNoArgConstructor[0] = true;
                    }
                    return null;
                }
            }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (RuntimeException e) {
            // The reference check reports the unreadable class file itself.
            return problems;
        }
        int access = reader.getAccess();
        if ((access & Opcodes.ACC_INTERFACE) != 0) {
            problems.add(where + " is an interface; name a concrete class that implements " + MODULE_INTERFACE + ".");
            return problems;
        }
        if ((access & Opcodes.ACC_PUBLIC) == 0) {
            problems.add(where + " is not public; make it public so the kernel can create it.");
        }
        if ((access & Opcodes.ACC_ABSTRACT) != 0) {
            problems.add(where + " is abstract; name a concrete class so the kernel can create it.");
        }
        Boolean implementsModule = implementsModule(moduleClass, executable, dependencyBytes, new HashSet<>());
        if (Boolean.FALSE.equals(implementsModule)) {
            problems.add(where + " does not implement " + MODULE_INTERFACE + "; implement it, with the kext's start"
                    + " and stop routines.");
        }
        if (!publicNoArgConstructor[0]) {
            problems.add(where + " has no public no-argument constructor; add one so the kernel can create it.");
        }
        return problems;
    }

    /** Return TRUE or FALSE, or {@code null} when a supertype can't be found (the reference check reports that). */
    private static Boolean implementsModule(String binaryName, KextExecutable own, Function<String, byte[]> dependencyBytes,
                                            Set<String> visited) {
        if (MODULE_INTERFACE.equals(binaryName)) {
            return Boolean.TRUE;
        }
        if (binaryName.startsWith("java.")) {
            // No JDK type implements a kit interface; a JDK type kexts can't see is the reference check's to report.
            return JdkAllowList.hasClass(binaryName) ? Boolean.FALSE : null;
        }
        if (!visited.add(binaryName)) {
            return Boolean.FALSE;
        }
        if (KpiExports.isKitClass(binaryName)) {
            if (KpiExports.exporterOf(binaryName) == null || !KpiExports.kitHasClass(binaryName)) {
                return null;
            }
            try {
                Class<?> kitClass = Class.forName(binaryName, false, KpiExports.kitLoader());
                return KextModule.class.isAssignableFrom(kitClass);
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            }
        }
        byte[] bytes = own.classBytes(binaryName);
        if (bytes == null) {
            bytes = dependencyBytes.apply(binaryName);
        }
        if (bytes == null) {
            return null;
        }
        ClassReader reader;
        try {
            reader = new ClassReader(bytes);
        } catch (RuntimeException e) {
            return null;
        }
        boolean unknown = false;
        List<String> supertypes = new ArrayList<>(List.of(reader.getInterfaces()));
        if (reader.getSuperName() != null) {
            supertypes.add(reader.getSuperName());
        }
        for (String supertype : supertypes) {
            Boolean result = implementsModule(supertype.replace('/', '.'), own, dependencyBytes, visited);
            if (Boolean.TRUE.equals(result)) {
                return Boolean.TRUE;
            }
            unknown |= result == null;
        }
        return unknown ? null : Boolean.FALSE;
    }
}
