package org.kextkit.harness.link;

import java.util.Objects;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Name one kext that a kext being linked links against directly: its bundle and the class loader
 * it was linked with.
 *
 * <p>A kernel component (a {@code com.apple.kpi.*} pseudo-kext) has no loader; it contributes the
 * kit packages {@link KpiExports} assigns to its identifier instead.
 *
 * @param bundle the dependency's bundle
 * @param loader the dependency's loader, or {@code null} for a kernel component
 */
public record LinkedLibrary(KextBundle bundle, KextClassLoader loader) {
    /** Check that a library with code comes with the loader it was linked with. */
    public LinkedLibrary {
        Objects.requireNonNull(bundle, "bundle");
        if (loader == null && !bundle.isKernelComponent()) {
            throw new IllegalArgumentException("Library " + bundle.displayName() + " at " + bundle.path()
                    + " is not a kernel component, so it needs the class loader it was linked with; link and load it"
                    + " before the kexts that depend on it.");
        }
        if (loader != null && loader.bundle() != bundle) {
            throw new IllegalArgumentException("The class loader given for " + bundle.displayName() + " at "
                    + bundle.path() + " belongs to " + loader.bundle().displayName() + " at " + loader.bundle().path()
                    + "; pass the loader that linking " + bundle.displayName() + " returned.");
        }
    }

    /** Return the entry for a kernel component, which links without a loader. */
    public static LinkedLibrary kernelComponent(KextBundle bundle) {
        return new LinkedLibrary(bundle, null);
    }

    /** Return the entry for a linked kext. */
    public static LinkedLibrary of(KextClassLoader loader) {
        return new LinkedLibrary(loader.bundle(), loader);
    }
}
