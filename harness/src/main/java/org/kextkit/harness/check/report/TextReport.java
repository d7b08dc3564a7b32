package org.kextkit.harness.check.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.KextRef;
import org.kextkit.harness.check.RelatedSite;
import org.kextkit.harness.check.ReportedFinding;
import org.kextkit.harness.check.Severity;

/**
 * Write a findings report as text for a terminal: a summary line, then the standing findings grouped
 * by kext (id, severity, title, message, primary site, related sites, context, count), then the
 * suppressed ones with their reasons.
 */
public final class TextReport {
    private TextReport() {
    }

    /** Return {@code report} as text ending in a newline. */
    public static String write(FindingsReport report) {
        StringBuilder sb = new StringBuilder();
        List<KextRef> kexts = report.kextsCovered();
        sb.append("kextkit checks: ");
        if (report.clean()) {
            sb.append("no findings");
        } else {
            sb.append(plural(report.findings().size(), "finding")).append(" (").append(severities(report)).append(')');
        }
        sb.append(" in ").append(plural(kexts.size(), "kext"));
        if (!report.suppressed().isEmpty()) {
            sb.append("; ").append(report.suppressed().size()).append(" suppressed");
        }
        if (!report.settings().disabled().isEmpty()) {
            sb.append("; disabled: ").append(String.join(", ", report.settings().disabled()));
        }
        sb.append('\n');
        List<String> groups = new ArrayList<>();
        kexts.forEach(k -> groups.add(k.bundleId()));
        groups.add(null);
        for (String group : groups) {
            List<ReportedFinding> mine = report.findings().stream()
                    .filter(f -> Objects.equals(f.finding().bundleId(), group)).toList();
            if (mine.isEmpty()) {
                continue;
            }
            sb.append('\n').append(heading(group, kexts)).append(": ").append(plural(mine.size(), "finding")).append('\n');
            for (ReportedFinding f : mine) {
                finding(sb, f);
            }
        }
        if (!report.suppressed().isEmpty()) {
            sb.append("\nSuppressed: ").append(plural(report.suppressed().size(), "finding")).append('\n');
            for (ReportedFinding f : report.suppressed()) {
                Finding x = f.finding();
                sb.append("  ").append(x.checkId()).append(' ').append(level(x.severity())).append(" in ")
                        .append(x.bundleId() == null ? "the kernel" : x.bundleId());
                if (x.primarySite() != null) {
                    sb.append(" at ").append(x.primarySite());
                }
                sb.append('\n');
                sb.append("    ").append(x.message()).append('\n');
                sb.append("    suppressed by ").append(f.suppression().pattern()).append(": ")
                        .append(f.suppression().reason()).append('\n');
            }
        }
        return sb.toString();
    }

    private static void finding(StringBuilder sb, ReportedFinding f) {
        Finding x = f.finding();
        Checks.Check check = Checks.get(x.checkId());
        sb.append("  ").append(x.checkId()).append(' ').append(level(x.severity()));
        if (check != null) {
            sb.append(": ").append(check.title());
        }
        sb.append('\n');
        sb.append("    ").append(x.message()).append('\n');
        if (x.primarySite() != null) {
            sb.append("    at ").append(x.primarySite()).append('\n');
        }
        for (RelatedSite r : x.related()) {
            sb.append("    ").append(r.role()).append(" at ").append(r.site()).append('\n');
        }
        List<String> facts = new ArrayList<>();
        if (x.context() != null) {
            facts.add("context " + x.context());
        }
        if (f.occurrences() > 1) {
            facts.add("seen " + f.occurrences() + " times");
        }
        facts.add("see docs/checks.md#" + Checks.docsAnchor(x.checkId()));
        sb.append("    ").append(String.join("; ", facts)).append('\n');
    }

    private static String heading(String group, List<KextRef> kexts) {
        if (group == null) {
            return "kernel (no kext to blame)";
        }
        for (KextRef k : kexts) {
            if (k.bundleId().equals(group)) {
                return k.version() == null ? group : group + " " + k.version();
            }
        }
        return group;
    }

    private static String severities(FindingsReport report) {
        List<String> parts = new ArrayList<>();
        for (Severity s : Severity.values()) {
            int n = report.count(s);
            if (n > 0) {
                parts.add(plural(n, level(s)));
            }
        }
        return String.join(", ", parts);
    }

    static String level(Severity s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
