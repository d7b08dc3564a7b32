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
            String binary = type.getName();
            if (binary.startsWith("org.kextkit.")) {
                return type.getSimpleName();
            }
            return binary.replace('.', '_').replace('$', '_');
        }
    };

    private MetaClassNames() {
    }

    /** Return the I/O Kit class name of {@code type}. */
    public static String of(Class<?> type) {
        return NAMES.get(type);
    }
}
