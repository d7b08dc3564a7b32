package org.kextkit.harness.check.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.CodeSite;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.KextRef;
import org.kextkit.harness.check.RelatedSite;
import org.kextkit.harness.check.ReportedFinding;
import org.kextkit.harness.check.Severity;
import org.kextkit.harness.check.report.internal.Json;
import org.kextkit.harness.check.report.internal.Sites;

/**
 * Write a findings report in kextkit's JSON shape, {@code "format": "kextkit-findings"} version 1,
 * documented in docs/checks.md ("JSON"). Absent values are left out rather than written as null.
 */
public final class JsonReport {
    /** The value of the {@code format} member. */
    public static final String FORMAT = "kextkit-findings";
    /** The value of the {@code formatVersion} member; it changes only if a member changes meaning. */
    public static final int FORMAT_VERSION = 1;

    private JsonReport() {
    }

    /** Return {@code report} as JSON text ending in a newline. */
    public static String write(FindingsReport report, ReportInfo info) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", "kextkit");
        tool.put("version", info.toolVersion());
        root.put("tool", tool);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("findings", report.findings().size());
        for (Severity s : Severity.values()) {
            summary.put(TextReport.level(s) + "s", report.count(s));
        }
        summary.put("suppressed", report.suppressed().size());
        root.put("summary", summary);
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("run", report.checksRun());
        checks.put("disabled", new ArrayList<>(report.settings().disabled()));
        root.put("checks", checks);
        List<Object> kexts = new ArrayList<>();
        for (KextRef k : report.kextsCovered()) {
            kexts.add(kext(k.bundleId(), k.version()));
        }
        root.put("kexts", kexts);
        root.put("findings", findings(report.findings()));
        root.put("suppressed", findings(report.suppressed()));
        return Json.write(root);
    }

    private static List<Object> findings(List<ReportedFinding> list) {
        List<Object> out = new ArrayList<>();
        for (ReportedFinding f : list) {
            Finding x = f.finding();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("checkId", x.checkId());
            Checks.Check check = Checks.get(x.checkId());
            if (check != null) {
                m.put("title", check.title());
            }
            m.put("severity", TextReport.level(x.severity()));
            if (x.bundleId() != null) {
                m.put("kext", kext(x.bundleId(), x.bundleVersion()));
            }
            m.put("message", x.message());
            if (x.primarySite() != null) {
                m.put("site", site(x.primarySite()));
            }
            List<Object> related = new ArrayList<>();
            for (RelatedSite r : x.related()) {
                Map<String, Object> rm = new LinkedHashMap<>();
                rm.put("role", r.role());
                rm.put("site", site(r.site()));
                related.add(rm);
            }
            m.put("related", related);
            if (x.context() != null) {
                m.put("context", x.context());
            }
            m.put("occurrences", f.occurrences());
            if (f.suppression() != null) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("pattern", f.suppression().pattern());
                s.put("reason", f.suppression().reason());
                m.put("suppression", s);
            }
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> kext(String id, String version) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bundleId", id);
        if (version != null) {
            m.put("version", version);
        }
        return m;
    }

    private static Map<String, Object> site(CodeSite s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class", s.className());
        m.put("method", s.methodName());
        if (s.fileName() != null) {
            m.put("file", s.fileName());
            m.put("uri", Sites.sourceUri(s));
        }
        if (s.line() >= 0) {
            m.put("line", s.line());
        }
        return m;
    }
}
