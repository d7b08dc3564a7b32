package org.kextkit.junit.internal;

import java.nio.file.Path;
import org.kextkit.harness.bundle.BundleReadResult;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** One kext a test loads, and where its Info.plist and classes come from. */
public interface KextSource {
    /**
     * Make the kext known to {@code kernel} and return its bundle, validated.
     *
     * @throws ExtensionConfigurationException if it cannot be read or is not a valid kext, naming the
     *     file and what is wrong
     */
    KextBundle addTo(HostedKernel kernel);

    /** A packaged {@code Foo.kext} bundle on disk. */
    static KextSource bundle(Path bundle) {
        return kernel -> validated(kernel.addKext(bundle), bundle.toString());
    }

    /** Return the bundle read, or fail with every problem and validation failure it had. */
    static KextBundle validated(BundleReadResult read, String what) {
        StringBuilder problems = new StringBuilder();
        read.problems().forEach(p -> problems.append("\n  ").append(p.message()));
        for (KextBundle bundle : read.bundles()) {
            if (bundle.diagnostics().hasFailures()) {
                problems.append("\n").append(bundle.diagnostics().format().strip());
            }
        }
        if (read.bundle().isEmpty() || problems.length() > 0) {
            throw new ExtensionConfigurationException("kextkit can't load the kext under test " + what + ":" + problems);
        }
        return read.bundle().get();
    }
}
