package org.kextkit.harness.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable snapshot of what the checks found: the standing findings and the suppressed ones (each
 * deduplicated, with its occurrence count), the checks that ran and those disabled, and the kexts that
 * were checked. The report writers in {@code org.kextkit.harness.check.report} print it.
 *
 * @param findings the standing findings, in the order they were first reported
 * @param suppressed the findings a suppression accepted, in the order they were first reported
 * @param settings the settings the findings were filtered with
 * @param kexts the kexts checked, in order; kexts named only by findings are added by {@link #kextsCovered()}
 */
public record FindingsReport(List<ReportedFinding> findings, List<ReportedFinding> suppressed, CheckSettings settings,
        List<KextRef> kexts) {
    /** A report with no findings, every check enabled and no kexts. */
    public static final FindingsReport EMPTY = new FindingsReport(List.of(), List.of(), CheckSettings.defaults(), List.of());

    /** Check and copy the parts. */
    public FindingsReport {
        findings = List.copyOf(findings);
        suppressed = List.copyOf(suppressed);
        Objects.requireNonNull(settings, "settings");
        kexts = List.copyOf(kexts);
    }

    /**
     * Combine the reports of several kernels (one per kext, as {@code kextcheck} runs them) into one,
     * filtered with {@code settings}: the findings in report order, a finding reported by more than one
     * kernel (same check, kext and site) once with its occurrences added up, and the kexts of every
     * report. Each report should already have been filtered with {@code settings}.
     */
    public static FindingsReport combine(List<FindingsReport> reports, CheckSettings settings) {
        Map<String, ReportedFinding> standing = new LinkedHashMap<>();
        Map<String, ReportedFinding> accepted = new LinkedHashMap<>();
        Map<String, KextRef> kexts = new LinkedHashMap<>();
        for (FindingsReport r : reports) {
            r.findings().forEach(f -> merge(standing, f));
            r.suppressed().forEach(f -> merge(accepted, f));
            r.kexts().forEach(k -> kexts.putIfAbsent(k.bundleId(), k));
        }
        return new FindingsReport(new ArrayList<>(standing.values()), new ArrayList<>(accepted.values()), settings,
                new ArrayList<>(kexts.values()));
    }

    private static void merge(Map<String, ReportedFinding> into, ReportedFinding f) {
        into.merge(ReportedFinding.dedupKey(f.finding()), f,
                (old, more) -> new ReportedFinding(old.finding(), old.occurrences() + more.occurrences(), old.suppression()));
    }

    /** Return true if no finding stands (suppressed ones do not count). */
    public boolean clean() {
        return findings.isEmpty();
    }

    /** Return the ids of the checks that ran (every check not disabled), in catalogue order. */
    public List<String> checksRun() {
        List<String> out = new ArrayList<>();
        for (String id : Checks.all().keySet()) {
            if (settings.isEnabled(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** Return how many standing findings have {@code severity}. */
    public int count(Severity severity) {
        return (int) findings.stream().filter(f -> f.finding().severity() == severity).count();
    }

    /**
     * Return this report filtered again with {@code more} settings added: findings of checks it disables
     * are dropped and findings it suppresses move to the suppressed list.
     */
    public FindingsReport applying(CheckSettings more) {
        CheckSettings all = settings.plus(more);
        List<ReportedFinding> standing = new ArrayList<>();
        List<ReportedFinding> accepted = new ArrayList<>();
        for (ReportedFinding f : findings) {
            if (!all.isEnabled(f.finding().checkId())) {
                continue;
            }
            Optional<Suppression> s = all.suppressionFor(f.finding());
            if (s.isPresent()) {
                accepted.add(f.suppressedBy(s.get()));
            } else {
                standing.add(f);
            }
        }
        for (ReportedFinding f : suppressed) {
            if (all.isEnabled(f.finding().checkId())) {
                accepted.add(f);
            }
        }
        return new FindingsReport(standing, accepted, all, kexts);
    }

    /** Return this report also covering {@code more} kexts (duplicates by bundle id are ignored). */
    public FindingsReport withKexts(List<KextRef> more) {
        Map<String, KextRef> byId = new LinkedHashMap<>();
        for (KextRef k : kexts) {
            byId.putIfAbsent(k.bundleId(), k);
        }
        for (KextRef k : more) {
            byId.putIfAbsent(k.bundleId(), k);
        }
        return new FindingsReport(findings, suppressed, settings, new ArrayList<>(byId.values()));
    }

    /**
     * Return every kext the report covers: the checked kexts, then those named only by findings. Findings
     * that blame no kext are grouped under {@code null}, which is never in this list.
     */
    public List<KextRef> kextsCovered() {
        Map<String, KextRef> byId = new LinkedHashMap<>();
        for (KextRef k : kexts) {
            byId.putIfAbsent(k.bundleId(), k);
        }
        Set<ReportedFinding> all = new LinkedHashSet<>(findings);
        all.addAll(suppressed);
        for (ReportedFinding f : all) {
            String id = f.finding().bundleId();
            if (id != null) {
                byId.putIfAbsent(id, new KextRef(id, f.finding().bundleVersion()));
            }
        }
        return new ArrayList<>(byId.values());
    }
}
