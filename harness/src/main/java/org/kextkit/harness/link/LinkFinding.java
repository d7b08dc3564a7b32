package org.kextkit.harness.link;

import java.util.List;
import java.util.Objects;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Describe one reason a kext can't be linked: the Java form of an unresolved symbol, or a problem
 * with its {@code Kext-Module-Class}.
 *
 * <p>{@link #message()} is a complete sentence that names the class, the class that refers to it,
 * the kext that has it and what to do, for example {@code ... add com.example.Lib (1.2) to
 * OSBundleLibraries.}
 */
public final class LinkFinding {
    /** Classify a finding. */
    public enum Kind {
        /** The class is in a library kext that the kext does not declare (or reaches only indirectly). */
        UNDECLARED_LIBRARY,
        /** The class is in a library the kext declares, but the version it links against lacks it. */
        LINKED_VERSION_LACKS_CLASS,
        /** The class is in a kit package whose KPI the kext does not declare. */
        UNDECLARED_KPI,
        /** The class is only in kexts that are not libraries, which nothing may link against. */
        NOT_A_LIBRARY,
        /** The class belongs to the harness or to {@code org.kextkit.kit.internal}, which no kext may use. */
        NOT_EXPORTED,
        /** The class is in a part of the JDK that kernel code may not use. */
        JDK_NOT_AVAILABLE,
        /** No known kext, KPI or JDK package has the class. */
        NOT_FOUND,
        /** The {@code Kext-Module-Class} can't serve as the kext's start and stop routines. */
        BAD_MODULE_CLASS,
        /** A class file in the executable can't be read or is stored under the wrong name. */
        MALFORMED_CLASS
    }

    private final Kind kind;
    private final String referencedClass;
    private final List<String> referencingClasses;
    private final List<KextBundle> providers;
    private final String libraryToAdd;
    private final String versionToAdd;
    private final String message;

    LinkFinding(Kind kind, String referencedClass, List<String> referencingClasses, List<KextBundle> providers,
                String libraryToAdd, String versionToAdd, String message) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.referencedClass = Objects.requireNonNull(referencedClass, "referencedClass");
        this.referencingClasses = List.copyOf(referencingClasses);
        this.providers = List.copyOf(providers);
        this.libraryToAdd = libraryToAdd;
        this.versionToAdd = versionToAdd;
        this.message = Objects.requireNonNull(message, "message");
    }

    /** Return what kind of problem this is. */
    public Kind kind() {
        return kind;
    }

    /**
     * Return the class that can't be resolved; for {@link Kind#BAD_MODULE_CLASS} and
     * {@link Kind#MALFORMED_CLASS}, the kext's own class at fault.
     */
    public String referencedClass() {
        return referencedClass;
    }

    /** Return the kext's classes that refer to {@link #referencedClass()}, sorted; empty if not a reference problem. */
    public List<String> referencingClasses() {
        return referencingClasses;
    }

    /** Return the known kexts that have the class (possibly none). */
    public List<KextBundle> providers() {
        return providers;
    }

    /** Return the bundle identifier to add to {@code OSBundleLibraries}, or {@code null} if adding one would not help. */
    public String libraryToAdd() {
        return libraryToAdd;
    }

    /** Return the version to request for {@link #libraryToAdd()}, or {@code null}. */
    public String versionToAdd() {
        return versionToAdd;
    }

    /** Return the finding as one sentence, ready for the kernel log or a tool's output. */
    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return message;
    }
}
