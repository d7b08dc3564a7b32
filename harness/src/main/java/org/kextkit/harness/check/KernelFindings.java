package org.kextkit.harness.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The findings of one hosted kernel. Checks report here through {@link #report}; every violation is
 * kept, deduplicated by check id, kext and primary site: the first occurrence's details are kept and
 * later ones only count. Findings of a disabled check are dropped; findings a suppression covers are
 * kept apart, with the suppression, so reports can list them as suppressed.
 *
 * <p>Thread-safe: checks report from any kernel thread.
 */
public final class KernelFindings implements FindingSink {
    private final CheckSettings settings;
    private final Map<String, Entry> standing = new LinkedHashMap<>();
    private final Map<String, Entry> suppressed = new LinkedHashMap<>();

    /** A mutable occurrence count beside the first finding. */
    private static final class Entry {
        final Finding first;
        final Suppression suppression;
        int count = 1;

        Entry(Finding first, Suppression suppression) {
            this.first = first;
            this.suppression = suppression;
        }

        ReportedFinding toReported() {
            return new ReportedFinding(first, count, suppression);
        }
    }

    /** Create a collector with every check enabled and nothing suppressed. */
    public KernelFindings() {
        this(CheckSettings.defaults());
    }

    /** Create a collector applying {@code settings}. */
    public KernelFindings(CheckSettings settings) {
        this.settings = settings == null ? CheckSettings.defaults() : settings;
    }

    /** Return the settings this collector applies. */
    public CheckSettings settings() {
        return settings;
    }

    /** Return true unless {@code checkId} is disabled; a check may skip its work when this is false. */
    public boolean isEnabled(String checkId) {
        return settings.isEnabled(checkId);
    }

    @Override
    public synchronized void report(Finding finding) {
        if (!settings.isEnabled(finding.checkId())) {
            return;
        }
        String key = ReportedFinding.dedupKey(finding);
        Optional<Suppression> s = settings.suppressionFor(finding);
        Map<String, Entry> into = s.isPresent() ? suppressed : standing;
        Entry e = into.get(key);
        if (e == null) {
            into.put(key, new Entry(finding, s.orElse(null)));
        } else {
            e.count++;
        }
    }

    /** Return the standing (not suppressed) findings so far, one per site, oldest first. */
    public synchronized List<Finding> list() {
        List<Finding> out = new ArrayList<>();
        standing.values().forEach(e -> out.add(e.first));
        return out;
    }

    /** Return true if no finding stands so far. */
    public synchronized boolean isEmpty() {
        return standing.isEmpty();
    }

    /** Return a snapshot of everything found so far, covering {@code kexts}. */
    public synchronized FindingsReport report(List<KextRef> kexts) {
        List<ReportedFinding> s = new ArrayList<>();
        standing.values().forEach(e -> s.add(e.toReported()));
        List<ReportedFinding> a = new ArrayList<>();
        suppressed.values().forEach(e -> a.add(e.toReported()));
        return new FindingsReport(s, a, settings, kexts);
    }

    /** Return a snapshot of everything found so far. */
    public FindingsReport report() {
        return report(List.of());
    }
}
