package org.kextkit.harness.check.report.internal;

import org.kextkit.harness.check.CodeSite;

/** Derive what reports print about a code site. */
public final class Sites {
    private Sites() {
    }

    /**
     * Return the source file's path relative to a source root, the package path and the file name
     * ({@code com/example/Driver.java}), or {@code null} if the class has no source file attribute.
     */
    public static String sourceUri(CodeSite site) {
        if (site == null || site.fileName() == null) {
            return null;
        }
        if (site.inPropertyList()) {
            return java.nio.file.Path.of(site.className()).toUri().toString();
        }
        String cls = site.className();
        int dot = cls.lastIndexOf('.');
        return dot < 0 ? site.fileName() : cls.substring(0, dot).replace('.', '/') + "/" + site.fileName();
    }

    /** Return the fully qualified method name, {@code com.example.Driver.start}. */
    public static String qualifiedName(CodeSite site) {
        return site.className() + "." + site.methodName();
    }
}
