package org.kextkit.harness.check.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.KextRef;
import org.kextkit.harness.check.RelatedSite;
import org.kextkit.harness.check.ReportedFinding;

/**
 * Write a findings report as JUnit XML, which CI systems show as test results.
 *
 * <p>One {@code testsuite} per kext (findings that blame no kext go to a suite named {@code kernel}).
 * In each, every check that ran is a test case: a check with no findings for the kext passes as one
 * test case named by its id; a check with findings has one test case per finding, each with one
 * {@code failure}; a suppressed finding is a {@code skipped} test case giving the reason.
 */
public final class JUnitReport {
    /** The name of the suite of findings that blame no kext. */
    public static final String KERNEL_SUITE = "kernel";

    private JUnitReport() {
    }

    private record Case(String name, String failureType, String failureMessage, String body, String skipped) {
    }

    /** Return {@code report} as a JUnit XML document ending in a newline. */
    public static String write(FindingsReport report, ReportInfo info) {
        List<String> groups = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        for (KextRef k : report.kextsCovered()) {
            groups.add(k.bundleId());
            versions.add(k.version());
        }
        boolean kernelFindings = report.findings().stream().anyMatch(f -> f.finding().bundleId() == null)
                || report.suppressed().stream().anyMatch(f -> f.finding().bundleId() == null);
        if (kernelFindings) {
            groups.add(null);
            versions.add(null);
        }
        StringBuilder suites = new StringBuilder();
        int tests = 0;
        int failures = 0;
        int skipped = 0;
        for (int g = 0; g < groups.size(); g++) {
            String group = groups.get(g);
            List<Case> cases = cases(report, group);
            int f = (int) cases.stream().filter(c -> c.failureType != null).count();
            int s = (int) cases.stream().filter(c -> c.skipped != null).count();
            tests += cases.size();
            failures += f;
            skipped += s;
            String name = group == null ? KERNEL_SUITE : group;
            suites.append("  <testsuite name=\"").append(attr(name)).append("\" tests=\"").append(cases.size())
                    .append("\" failures=\"").append(f).append("\" errors=\"0\" skipped=\"").append(s).append("\">\n");
            suites.append("    <properties>\n");
            suites.append("      <property name=\"kextkit.version\" value=\"").append(attr(info.toolVersion())).append("\"/>\n");
            if (versions.get(g) != null) {
                suites.append("      <property name=\"kext.version\" value=\"").append(attr(versions.get(g))).append("\"/>\n");
            }
            suites.append("    </properties>\n");
            for (Case c : cases) {
                suites.append("    <testcase classname=\"").append(attr(name)).append("\" name=\"").append(attr(c.name))
                        .append('"');
                if (c.failureType == null && c.skipped == null) {
                    suites.append("/>\n");
                    continue;
                }
                suites.append(">\n");
                if (c.failureType != null) {
                    suites.append("      <failure type=\"").append(attr(c.failureType)).append("\" message=\"")
                            .append(attr(c.failureMessage)).append("\">").append(text(c.body)).append("</failure>\n");
                } else {
                    suites.append("      <skipped message=\"").append(attr(c.skipped)).append("\"/>\n");
                }
                suites.append("    </testcase>\n");
            }
            suites.append("  </testsuite>\n");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<testsuites name=\"kextkit checks\" tests=\"" + tests + "\" failures=\"" + failures
                + "\" errors=\"0\" skipped=\"" + skipped + "\">\n" + suites + "</testsuites>\n";
    }

    private static List<Case> cases(FindingsReport report, String group) {
        List<Case> out = new ArrayList<>();
        for (String id : report.checksRun()) {
            List<ReportedFinding> standing = report.findings().stream()
                    .filter(f -> f.finding().checkId().equals(id) && Objects.equals(f.finding().bundleId(), group)).toList();
            List<ReportedFinding> accepted = report.suppressed().stream()
                    .filter(f -> f.finding().checkId().equals(id) && Objects.equals(f.finding().bundleId(), group)).toList();
            if (standing.isEmpty() && accepted.isEmpty()) {
                out.add(new Case(id + " " + Checks.get(id).title(), null, null, null, null));
                continue;
            }
            for (ReportedFinding f : standing) {
                Finding x = f.finding();
                out.add(new Case(caseName(x), x.checkId() + " " + TextReport.level(x.severity()), x.message(), body(f), null));
            }
            for (ReportedFinding f : accepted) {
                out.add(new Case(caseName(f.finding()), null, null, null, "suppressed by " + f.suppression().pattern()
                        + ": " + f.suppression().reason()));
            }
        }
        return out;
    }

    private static String caseName(Finding x) {
        return x.checkId() + (x.primarySite() == null ? "" : " at " + x.primarySite());
    }

    private static String body(ReportedFinding f) {
        Finding x = f.finding();
        StringBuilder sb = new StringBuilder();
        sb.append(x.message()).append('\n');
        if (x.primarySite() != null) {
            sb.append("at ").append(x.primarySite()).append('\n');
        }
        for (RelatedSite r : x.related()) {
            sb.append(r.role()).append(" at ").append(r.site()).append('\n');
        }
        if (x.context() != null) {
            sb.append("context ").append(x.context()).append('\n');
        }
        if (x.bundleId() != null) {
            sb.append("kext ").append(x.bundleId()).append(x.bundleVersion() == null ? "" : " " + x.bundleVersion())
                    .append('\n');
        }
        sb.append("seen ").append(f.occurrences()).append(f.occurrences() == 1 ? " time" : " times").append('\n');
        sb.append("see docs/checks.md#").append(Checks.docsAnchor(x.checkId()));
        return sb.toString();
    }

    private static String attr(String s) {
        return text(s).replace("\"", "&quot;").replace("\n", "&#10;");
    }

    private static String text(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                default -> {
                    // XML 1.0 forbids most control characters even as references; show them as '?'.
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        sb.append('?');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
