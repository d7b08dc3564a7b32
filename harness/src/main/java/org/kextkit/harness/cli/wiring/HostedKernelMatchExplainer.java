package org.kextkit.harness.cli.wiring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.kextkit.harness.bundle.BundleProblem;
import org.kextkit.harness.bundle.BundleReadResult;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.cli.whymatch.MatchExplainer;
import org.kextkit.harness.iokit.Personalities;
import org.kextkit.harness.iokit.RegistryLookup;
import org.kextkit.harness.lifecycle.HostedKernel;

/**
 * Answer {@code whymatch} from a {@link HostedKernel}: the daemon's, or one booted for the command,
 * which first reads the configured extension folders (sending their personalities, as at boot).
 * A kext named by path is read and its personalities are sent to the catalogue, so the nubs are
 * matched against it before the explanation is made.
 */
final class HostedKernelMatchExplainer implements MatchExplainer {
    private final Supplier<HostedKernel> kernel;
    private final List<Path> extensionFolders;
    private final boolean ownKernel;
    private boolean foldersRead;

    /**
     * @param kernel the kernel, booted on first use if the supplier does so
     * @param extensionFolders folders to read before the first explanation (a kernel booted for the command)
     * @param ownKernel true if the kernel was booted for this command line
     */
    HostedKernelMatchExplainer(Supplier<HostedKernel> kernel, List<Path> extensionFolders, boolean ownKernel) {
        this.kernel = kernel;
        this.extensionFolders = List.copyOf(extensionFolders);
        this.ownKernel = ownKernel;
    }

    @Override
    public boolean bootsOwnKernel() {
        return ownKernel;
    }

    @Override
    public Answer explain(String kext, String nub, Path cwd) {
        HostedKernel k = kernel.get();
        synchronized (k) {
            if (!foldersRead) {
                for (Path folder : extensionFolders) {
                    k.addRepository(folder);
                }
                foldersRead = true;
            }
            KextBundle bundle;
            if (isPath(kext)) {
                Path path = cwd.resolve(kext).normalize();
                if (!Files.isDirectory(path)) {
                    return Answer.failed(path + " is not a kext bundle: no such directory.");
                }
                BundleReadResult read = k.addKext(path);
                if (read.bundle().isEmpty()) {
                    List<String> problems = new ArrayList<>();
                    for (BundleProblem problem : read.problems()) {
                        problems.add(problem.message());
                    }
                    return Answer.failed("can't read " + path + (problems.isEmpty() ? "." : ": " + String.join("; ", problems)));
                }
                bundle = read.bundle().get();
                if (bundle.identifier() == null) {
                    return Answer.failed(path + "/Contents/Info.plist has no CFBundleIdentifier, so no personality can belong to it.");
                }
                k.sendPersonalities(bundle);
            } else {
                bundle = k.loadedKext(kext).map(loaded -> loaded.bundle()).orElse(k.repository().preferred(kext));
                if (bundle == null && k.repository().candidates(kext).isEmpty()) {
                    return Answer.failed("no kext with bundle identifier " + kext + " is known to the kernel; name its"
                            + " .kext path, or add it to an extension folder.");
                }
                if (bundle == null) {
                    bundle = k.repository().candidates(kext).get(0);
                }
            }
            RegistryLookup.Result found = k.iokit().findService(nub);
            if (!found.found()) {
                return Answer.failed(found.error());
            }
            List<String> personalities = new ArrayList<>(Personalities.of(bundle).keySet());
            return new Answer(bundle.identifier(), personalities, k.explainMatch(found.service(), bundle.identifier()), null);
        }
    }

    private static boolean isPath(String kext) {
        return kext.contains("/") || kext.endsWith(".kext");
    }
}
