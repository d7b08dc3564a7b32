package org.kextkit.kit.internal;

/**
 * The I/O Kit class name of a Java class: what ioreg prints after {@code <class}, what
 * {@code IOClass}, {@code IOProviderClass} and {@code ioclasscount} use.
 *
 * <p>Kit and family classes keep their simple names ({@code IOService}, {@code IOPCIDevice}), as
 * Apple's C++ classes have no package. A kext's class is named by its binary name with {@code .}
 * and {@code $} replaced by {@code _}, which is the reverse-DNS convention of C++ kext classes:
 * {@code com.example.driver.FooEthernet} is {@code com_example_driver_FooEthernet}.
 */
public final class MetaClassNames {
    private static final ClassValue<String> NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return ofBinaryName(type.getName());
        }
    };

    private MetaClassNames() {
    }

    /**
     * Return the I/O Kit class name of the class with this binary name, without loading it (the
     * kernel uses it to find a kext's {@code IOClass} among the classes of its jar).
     */
    public static String ofBinaryName(String binaryName) {
        if (binaryName.startsWith("org.kextkit.")) {
            String simple = binaryName.substring(binaryName.lastIndexOf('.') + 1);
            return simple.substring(simple.lastIndexOf('$') + 1);
        }
        return binaryName.replace('.', '_').replace('$', '_');
    }

    /** Return the I/O Kit class name of {@code type}. */
    public static String of(Class<?> type) {
        return NAMES.get(type);
    }
}
