package org.kextkit.harness.link;

import org.kextkit.harness.bundle.KextBundle;

/**
 * Rewrite a kext's class bytes just before its {@link KextClassLoader} defines the class: the hook
 * through which checkers instrument driver code.
 *
 * <p>The link check always reads the original bytes; only the defined class sees the result.
 */
@FunctionalInterface
public interface KextClassTransformer {
    /** The transformer that defines every class exactly as the jar holds it. */
    KextClassTransformer NONE = (kext, binaryName, classBytes) -> classBytes;

    /**
     * Return the bytes to define for one class of {@code kext}; return {@code classBytes} itself to
     * leave the class unchanged. Must not modify {@code classBytes} in place.
     *
     * @param kext the kext that owns the class
     * @param binaryName the class's binary name ({@code com.example.Driver$1})
     * @param classBytes the class file as the kext's jar holds it
     */
    byte[] transform(KextBundle kext, String binaryName, byte[] classBytes);
}
