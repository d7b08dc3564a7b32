package org.kextkit.harness.check.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.check.CheckSettings;
import org.kextkit.harness.check.KernelFindings;
import org.kextkit.harness.check.SampleFindings;
import org.kextkit.harness.check.Suppression;

/**
 * Check every object of kextkit's SARIF logs against the SARIF 2.1.0 schema's rules for that object:
 * the allowed members (the schema forbids any other), the required ones, and the enumerations and
 * minimums kextkit's values are subject to. The rules below are transcribed from the OASIS SARIF
 * 2.1.0 schema ({@code sarif-schema-2.1.0.json}) for the objects kextkit writes.
 */
class SarifShapeTest {
    private record Shape(Set<String> allowed, Set<String> required) {
    }

    private static final Map<String, Shape> SHAPES = Map.ofEntries(
            Map.entry("sarifLog", new Shape(Set.of("$schema", "version", "runs", "inlineExternalProperties", "properties"),
                    Set.of("version", "runs"))),
            Map.entry("run", new Shape(Set.of("tool", "invocations", "conversion", "language", "versionControlProvenance",
                    "originalUriBaseIds", "artifacts", "logicalLocations", "graphs", "results", "automationDetails",
                    "runAggregates", "baselineGuid", "redactionTokens", "defaultEncoding", "defaultSourceLanguage",
                    "newlineSequences", "columnKind", "externalPropertyFileReferences", "threadFlowLocations", "taxonomies",
                    "addresses", "translations", "policies", "webRequests", "webResponses", "specialLocations",
                    "properties"), Set.of("tool"))),
            Map.entry("tool", new Shape(Set.of("driver", "extensions", "properties"), Set.of("driver"))),
            Map.entry("toolComponent", new Shape(Set.of("guid", "name", "organization", "product", "productSuite",
                    "shortDescription", "fullDescription", "fullName", "version", "semanticVersion", "dottedQuadFileVersion",
                    "releaseDateUtc", "downloadUri", "informationUri", "globalMessageStrings", "notifications", "rules",
                    "taxa", "locations", "language", "contents", "isComprehensive", "localizedDataSemanticVersion",
                    "minimumRequiredLocalizedDataSemanticVersion", "associatedComponent", "translationMetadata",
                    "supportedTaxonomies", "properties"), Set.of("name"))),
            Map.entry("reportingDescriptor", new Shape(Set.of("id", "deprecatedIds", "guid", "deprecatedGuids", "name",
                    "deprecatedNames", "shortDescription", "fullDescription", "messageStrings", "defaultConfiguration",
                    "helpUri", "help", "relationships", "properties"), Set.of("id"))),
            Map.entry("multiformatMessageString", new Shape(Set.of("text", "markdown", "properties"), Set.of("text"))),
            Map.entry("message", new Shape(Set.of("text", "markdown", "id", "arguments", "properties"), Set.of())),
            Map.entry("reportingConfiguration", new Shape(Set.of("enabled", "level", "rank", "parameters", "properties"),
                    Set.of())),
            Map.entry("invocation", new Shape(Set.of("commandLine", "arguments", "responseFiles", "startTimeUtc",
                    "endTimeUtc", "exitCode", "ruleConfigurationOverrides", "notificationConfigurationOverrides",
                    "toolExecutionNotifications", "toolConfigurationNotifications", "exitCodeDescription",
                    "exitSignalName", "exitSignalNumber", "processStartFailureMessage", "executionSuccessful", "machine",
                    "account", "processId", "executableLocation", "workingDirectory", "environmentVariables", "stdin",
                    "stdout", "stderr", "stdoutStderr", "properties"), Set.of("executionSuccessful"))),
            Map.entry("configurationOverride", new Shape(Set.of("configuration", "descriptor", "properties"),
                    Set.of("configuration", "descriptor"))),
            Map.entry("reportingDescriptorReference", new Shape(Set.of("id", "index", "guid", "toolComponent",
                    "properties"), Set.of())),
            Map.entry("artifactLocation", new Shape(Set.of("uri", "uriBaseId", "index", "description", "properties"),
                    Set.of())),
            Map.entry("result", new Shape(Set.of("ruleId", "ruleIndex", "rule", "kind", "level", "message",
                    "analysisTarget", "locations", "guid", "correlationGuid", "occurrenceCount", "partialFingerprints",
                    "fingerprints", "stacks", "codeFlows", "graphs", "graphTraversals", "relatedLocations", "suppressions",
                    "baselineState", "rank", "attachments", "hostedViewerUri", "workItemUris", "provenance", "fixes",
                    "taxa", "webRequest", "webResponse", "properties"), Set.of("message"))),
            Map.entry("location", new Shape(Set.of("id", "physicalLocation", "logicalLocations", "message", "annotations",
                    "relationships", "properties"), Set.of())),
            Map.entry("physicalLocation", new Shape(Set.of("address", "artifactLocation", "region", "contextRegion",
                    "properties"), Set.of())),
            Map.entry("region", new Shape(Set.of("startLine", "startColumn", "endLine", "endColumn", "charOffset",
                    "charLength", "byteOffset", "byteLength", "snippet", "message", "sourceLanguage", "properties"),
                    Set.of())),
            Map.entry("logicalLocation", new Shape(Set.of("name", "index", "fullyQualifiedName", "decoratedName",
                    "parentIndex", "kind", "properties"), Set.of())),
            Map.entry("suppression", new Shape(Set.of("guid", "kind", "status", "justification", "location",
                    "properties"), Set.of("kind"))));

    private static void check(String type, JsonNode node, String path) {
        Shape shape = SHAPES.get(type);
        assertTrue(node.isObject(), path + " is not an object");
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!shape.allowed().contains(name)) {
                fail(path + "." + name + " is not a member of a SARIF " + type);
            }
        }
        for (String name : shape.required()) {
            assertTrue(node.has(name), path + " lacks required " + name);
        }
    }

    private static void each(JsonNode array, String type, String path) {
        assertTrue(array.isArray(), path + " is not an array");
        for (int i = 0; i < array.size(); i++) {
            check(type, array.get(i), path + "[" + i + "]");
        }
    }

    private static void location(JsonNode loc, String path) {
        check("location", loc, path);
        if (loc.has("id")) {
            assertTrue(loc.get("id").asInt() >= -1, path + ".id");
        }
        if (loc.has("message")) {
            check("message", loc.get("message"), path + ".message");
        }
        if (loc.has("physicalLocation")) {
            JsonNode p = loc.get("physicalLocation");
            check("physicalLocation", p, path + ".physicalLocation");
            check("artifactLocation", p.get("artifactLocation"), path + ".physicalLocation.artifactLocation");
            if (p.has("region")) {
                check("region", p.get("region"), path + ".physicalLocation.region");
                assertTrue(p.get("region").get("startLine").asInt() >= 1, path + " startLine minimum 1");
            }
        }
        each(loc.get("logicalLocations"), "logicalLocation", path + ".logicalLocations");
    }

    private static void validate(String sarif) throws Exception {
        JsonNode root = new ObjectMapper().readTree(sarif);
        check("sarifLog", root, "$");
        assertEquals("2.1.0", root.get("version").asText());
        JsonNode run = root.get("runs").get(0);
        check("run", run, "$.runs[0]");
        check("tool", run.get("tool"), "$.runs[0].tool");
        JsonNode driver = run.get("tool").get("driver");
        check("toolComponent", driver, "driver");
        for (int i = 0; i < driver.get("rules").size(); i++) {
            JsonNode rule = driver.get("rules").get(i);
            check("reportingDescriptor", rule, "rules[" + i + "]");
            check("multiformatMessageString", rule.get("shortDescription"), "rules[" + i + "].shortDescription");
            check("multiformatMessageString", rule.get("fullDescription"), "rules[" + i + "].fullDescription");
            check("multiformatMessageString", rule.get("help"), "rules[" + i + "].help");
            check("reportingConfiguration", rule.get("defaultConfiguration"), "rules[" + i + "].defaultConfiguration");
            assertTrue(Set.of("none", "note", "warning", "error").contains(rule.get("defaultConfiguration").get("level")
                    .asText()));
        }
        JsonNode invocations = run.get("invocations");
        each(invocations, "invocation", "invocations");
        JsonNode overrides = invocations.get(0).get("ruleConfigurationOverrides");
        if (overrides != null) {
            each(overrides, "configurationOverride", "ruleConfigurationOverrides");
            for (JsonNode o : overrides) {
                check("reportingDescriptorReference", o.get("descriptor"), "descriptor");
                check("reportingConfiguration", o.get("configuration"), "configuration");
                assertTrue(o.get("descriptor").get("index").asInt() >= -1);
            }
        }
        run.get("originalUriBaseIds").fields().forEachRemaining(e -> {
            check("artifactLocation", e.getValue(), "originalUriBaseIds." + e.getKey());
            check("message", e.getValue().get("description"), "originalUriBaseIds." + e.getKey() + ".description");
        });
        JsonNode results = run.get("results");
        for (int i = 0; i < results.size(); i++) {
            JsonNode r = results.get(i);
            String path = "results[" + i + "]";
            check("result", r, path);
            check("message", r.get("message"), path + ".message");
            assertTrue(Set.of("none", "note", "warning", "error").contains(r.get("level").asText()));
            assertTrue(r.get("ruleIndex").asInt() >= -1);
            if (r.has("locations")) {
                for (JsonNode loc : r.get("locations")) {
                    location(loc, path + ".locations");
                }
            }
            if (r.has("relatedLocations")) {
                for (JsonNode loc : r.get("relatedLocations")) {
                    location(loc, path + ".relatedLocations");
                }
            }
            r.get("partialFingerprints").fields().forEachRemaining(e -> assertTrue(e.getValue().isTextual()));
            assertTrue(r.get("properties").isObject());
            if (r.has("suppressions")) {
                for (JsonNode s : r.get("suppressions")) {
                    check("suppression", s, path + ".suppressions");
                    assertTrue(Set.of("inSource", "external").contains(s.get("kind").asText()));
                    assertTrue(Set.of("accepted", "underReview", "rejected").contains(s.get("status").asText()));
                }
            }
        }
    }

    @Test
    void theSampleLogHasOnlySarifMembersAndEveryRequiredOne() throws Exception {
        validate(SarifReport.write(SampleFindings.report(), new ReportInfo("0.1.0", List.of("kextutil", "x.kext"),
                "2025-01-31T12:00:00Z", 12)));
    }

    @Test
    void aLogWithoutSourcesOrOptionsIsValidToo() throws Exception {
        KernelFindings k = new KernelFindings(CheckSettings.of(List.of(),
                List.of(Suppression.parse("STK-FRAME=generated parser"))));
        k.report(SampleFindings.kernelWide());
        validate(SarifReport.write(k.report(), ReportInfo.of("0.1.0")));
        validate(SarifReport.write(new KernelFindings().report(), ReportInfo.of("0.1.0")));
    }
}
