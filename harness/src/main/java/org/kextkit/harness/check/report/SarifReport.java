package org.kextkit.harness.check.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.CodeSite;
import org.kextkit.harness.check.Finding;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.RelatedSite;
import org.kextkit.harness.check.ReportedFinding;
import org.kextkit.harness.check.report.internal.Json;
import org.kextkit.harness.check.report.internal.Sites;

/**
 * Write a findings report as a SARIF 2.1.0 log, the format code-scanning user interfaces read.
 *
 * <p>One run; {@code tool.driver} is kextkit with every check of {@link Checks} as a rule (its help
 * points at docs/checks.md). Each finding is a result with the check's level, the message, the primary
 * site as location (the source file as a URI relative to the source root {@code SRCROOT}: package path
 * and file name) and a logical location (the method), the related sites, an occurrence count in its
 * property bag and a partial fingerprint of the deduplication key. Suppressed findings carry an external,
 * accepted suppression with its reason. Disabled checks appear as rule configuration overrides of the
 * invocation.
 */
public final class SarifReport {
    /** The schema URI written into {@code $schema}. */
    public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    /** The partial fingerprint key: a SHA-256 of check id, kext and primary site. */
    public static final String FINGERPRINT = "kextkitFinding/v1";
    /** The URI base id that artifact locations are relative to. */
    public static final String SRCROOT = "SRCROOT";

    private SarifReport() {
    }

    /** Return {@code report} as SARIF 2.1.0 JSON text ending in a newline. */
    public static String write(FindingsReport report, ReportInfo info) {
        List<String> ids = new ArrayList<>(Checks.all().keySet());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", SCHEMA);
        root.put("version", "2.1.0");
        Map<String, Object> run = new LinkedHashMap<>();
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "kextkit");
        driver.put("version", info.toolVersion());
        driver.put("rules", rules());
        run.put("tool", Map.of("driver", driver));
        run.put("invocations", List.of(invocation(report, info, ids)));
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("description", text("The root of the kexts' Java sources (such as src/main/java)."));
        run.put("originalUriBaseIds", Map.of(SRCROOT, base));
        List<Object> results = new ArrayList<>();
        for (ReportedFinding f : report.findings()) {
            results.add(result(f, ids));
        }
        for (ReportedFinding f : report.suppressed()) {
            results.add(result(f, ids));
        }
        run.put("results", results);
        root.put("runs", List.of(run));
        return Json.write(root);
    }

    private static List<Object> rules() {
        List<Object> rules = new ArrayList<>();
        for (Checks.Check c : Checks.all().values()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("id", c.id());
            rule.put("shortDescription", text(c.title()));
            rule.put("fullDescription", text(c.title() + " (" + TextReport.level(c.severity()) + "). docs/checks.md#"
                    + Checks.docsAnchor(c.id()) + " shows the bad pattern, why it matters in a real kernel and the fix."));
            Map<String, Object> help = new LinkedHashMap<>();
            help.put("text", "See docs/checks.md#" + Checks.docsAnchor(c.id()) + " in the kextkit documentation.");
            help.put("markdown", "See [" + c.id() + "](docs/checks.md#" + Checks.docsAnchor(c.id())
                    + ") in the kextkit documentation.");
            rule.put("help", help);
            rule.put("defaultConfiguration", Map.of("level", c.severity().sarifLevel()));
            rules.add(rule);
        }
        return rules;
    }

    private static Map<String, Object> invocation(FindingsReport report, ReportInfo info, List<String> ids) {
        Map<String, Object> inv = new LinkedHashMap<>();
        inv.put("executionSuccessful", true);
        if (!info.commandLine().isEmpty()) {
            inv.put("arguments", info.commandLine());
        }
        if (info.startTimeUtc() != null) {
            inv.put("startTimeUtc", info.startTimeUtc());
        }
        if (info.exitCode() != null) {
            inv.put("exitCode", info.exitCode());
        }
        List<Object> overrides = new ArrayList<>();
        for (String id : report.settings().disabled()) {
            Map<String, Object> descriptor = new LinkedHashMap<>();
            descriptor.put("id", id);
            descriptor.put("index", ids.indexOf(id));
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("descriptor", descriptor);
            o.put("configuration", Map.of("enabled", false));
            overrides.add(o);
        }
        if (!overrides.isEmpty()) {
            inv.put("ruleConfigurationOverrides", overrides);
        }
        return inv;
    }

    private static Map<String, Object> result(ReportedFinding f, List<String> ids) {
        Finding x = f.finding();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ruleId", x.checkId());
        int index = ids.indexOf(x.checkId());
        if (index >= 0) {
            r.put("ruleIndex", index);
        }
        r.put("level", x.severity().sarifLevel());
        r.put("message", text(x.message()));
        if (x.primarySite() != null) {
            r.put("locations", List.of(location(x.primarySite(), null, -1)));
        }
        List<Object> related = new ArrayList<>();
        int id = 1;
        for (RelatedSite rs : x.related()) {
            related.add(location(rs.site(), rs.role(), id++));
        }
        if (!related.isEmpty()) {
            r.put("relatedLocations", related);
        }
        r.put("partialFingerprints", Map.of(FINGERPRINT, fingerprint(f)));
        if (f.suppression() != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("kind", "external");
            s.put("status", "accepted");
            s.put("justification", f.suppression().reason());
            s.put("properties", Map.of("pattern", f.suppression().pattern()));
            r.put("suppressions", List.of(s));
        }
        Map<String, Object> props = new LinkedHashMap<>();
        if (x.bundleId() != null) {
            props.put("kext", x.bundleId());
        }
        if (x.bundleVersion() != null) {
            props.put("kextVersion", x.bundleVersion());
        }
        if (x.context() != null) {
            props.put("context", x.context());
        }
        props.put("occurrences", f.occurrences());
        r.put("properties", props);
        return r;
    }

    private static Map<String, Object> location(CodeSite site, String role, int id) {
        Map<String, Object> loc = new LinkedHashMap<>();
        if (id > 0) {
            loc.put("id", id);
        }
        String uri = Sites.sourceUri(site);
        if (uri != null) {
            Map<String, Object> physical = new LinkedHashMap<>();
            Map<String, Object> artifact = new LinkedHashMap<>();
            artifact.put("uri", uri);
            if (!site.inPropertyList()) {
                artifact.put("uriBaseId", SRCROOT); // an Info.plist's uri is an absolute file URI
            }
            physical.put("artifactLocation", artifact);
            if (site.line() >= 1) {
                physical.put("region", Map.of("startLine", site.line()));
            }
            loc.put("physicalLocation", physical);
        }
        Map<String, Object> logical = new LinkedHashMap<>();
        logical.put("fullyQualifiedName", Sites.qualifiedName(site));
        logical.put("kind", "function");
        loc.put("logicalLocations", List.of(logical));
        if (role != null) {
            loc.put("message", text(role + " at " + site));
        }
        return loc;
    }

    private static String fingerprint(ReportedFinding f) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(ReportedFinding.dedupKey(f.finding()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static Map<String, Object> text(String s) {
        return Map.of("text", s);
    }
}
