package org.kextkit.harness.link;

import java.util.ArrayList;
import java.util.List;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;

/**
 * Report the outcome of linking one kext: its class loader if it linked, otherwise the findings
 * that stopped it.
 */
public final class LinkResult {
    private final KextBundle kext;
    private final KextExecutable executable;
    private final KextClassLoader loader;
    private final List<LinkFinding> findings;

    LinkResult(KextBundle kext, KextExecutable executable, KextClassLoader loader, List<LinkFinding> findings) {
        this.kext = kext;
        this.executable = executable;
        this.loader = loader;
        this.findings = List.copyOf(findings);
    }

    /** Return the kext that was linked. */
    public KextBundle kext() {
        return kext;
    }

    /** Return true if every reference resolved and the kext has a class loader. */
    public boolean isLinked() {
        return loader != null;
    }

    /** Return the kext's class loader, or {@code null} if it did not link. */
    public KextClassLoader loader() {
        return loader;
    }

    /** Return the problems found, in a stable order; empty if the kext linked. */
    public List<LinkFinding> findings() {
        return findings;
    }

    /**
     * Return the findings as lines for a tool's output or the kernel log: a heading that names the
     * kext and its executable, then one indented line per finding. Empty if the kext linked.
     */
    public List<String> formatFindings() {
        List<String> lines = new ArrayList<>(findings.size() + 1);
        if (findings.isEmpty()) {
            return lines;
        }
        int n = findings.size();
        lines.add("Kext " + kext.displayName() + " can't be linked: " + n + " problem" + (n == 1 ? "" : "s") + " in "
                + executable.path() + ":");
        for (LinkFinding finding : findings) {
            lines.add("    " + finding.message());
        }
        return lines;
    }

    @Override
    public String toString() {
        return isLinked() ? "linked " + kext.displayName() : String.join("\n", formatFindings());
    }
}
