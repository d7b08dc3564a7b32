package org.kextkit.harness.link;

/**
 * Say where a kext's class loader looks a class name up; the one statement of the lookup order
 * that the loader, the link check and kextlibs all follow.
 */
enum ClassOrigin {
    /** A {@code java.} name: the JDK decides, through {@link JdkAllowList}; no kext may define one. */
    JDK,
    /** A name in an exported kit package: the kit, if the kext declares the exporting KPI. */
    KIT,
    /** Any other {@code org.kextkit.} name: the harness and the kit's internals, never visible. */
    RESERVED,
    /** Everything else: the kext's own jar, then the jars of the kexts it links against directly. */
    KEXT;

    /** The name prefix a kext can see only through the exported kit packages. */
    static final String RESERVED_PREFIX = "org.kextkit.";

    /** Return where {@code binaryName} is looked up. */
    static ClassOrigin of(String binaryName) {
        if (binaryName.startsWith("java.")) {
            return JDK;
        }
        if (binaryName.startsWith(RESERVED_PREFIX)) {
            return KpiExports.exporterOf(binaryName) != null ? KIT : RESERVED;
        }
        return KEXT;
    }
}
