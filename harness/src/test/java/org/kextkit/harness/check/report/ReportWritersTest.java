package org.kextkit.harness.check.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.check.Checks;
import org.kextkit.harness.check.FindingsReport;
import org.kextkit.harness.check.KernelFindings;
import org.kextkit.harness.check.SampleFindings;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportWritersTest {
    private static final ReportInfo INFO = new ReportInfo("0.1.0", List.of("kextutil", "Driver.kext"), null, 12);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void textGroupsByKextWithSitesContextCountAndSuppressions() {
        assertEquals("""
                kextkit checks: 2 findings (2 errors) in 2 kexts; 1 suppressed; disabled: API-FLOAT

                com.example.driver 1.2.0: 2 findings
                  LCK-HELD error: lock still held when an entry point returns to the kernel
                    Lock "mLock" (IOLock) is still held when Driver.start returns to the kernel.
                    at com.example.driver.Driver.start(Driver.java:42)
                    acquired at com.example.driver.Driver.lockRing(Driver.java:17)
                    context THREAD; seen 2 times; see docs/checks.md#lck-held
                  MEM-3 error: double free
                    Block of 64 bytes freed twice with IOFree.
                    at com.example.driver.Driver.stop(Driver.java:88)
                    allocated at com.example.driver.Driver.start(Driver.java:30)
                    first freed at com.example.driver.Driver.free(Driver.java:95)
                    context THREAD; see docs/checks.md#mem-3

                Suppressed: 1 finding
                  MEM-4 warning in com.example.driver at com.example.driver.Driver.start(Driver.java:31)
                    128 bytes allocated with IOMalloc are still allocated at unload.
                    suppressed by MEM-4:com.example.driver: freed by the family after unload
                """, TextReport.write(SampleFindings.report()));
    }

    @Test
    void textOfAFindingNoKextCanBeBlamedFor() {
        KernelFindings k = new KernelFindings();
        k.report(SampleFindings.kernelWide());
        assertEquals("""
                kextkit checks: 1 finding (1 note) in 0 kexts

                kernel (no kext to blame): 1 finding
                  STK-FRAME note: unusually large stack frame
                    A frame of 9000 bytes.
                    at com.example.Helper.<init>(Unknown Source)
                    see docs/checks.md#stk-frame
                """, TextReport.write(k.report()));
    }

    @Test
    void jsonHasTheDocumentedShape() {
        KernelFindings k = new KernelFindings();
        k.report(SampleFindings.doubleFree());
        String expected = """
                {
                  "format": "kextkit-findings",
                  "formatVersion": 1,
                  "tool": {
                    "name": "kextkit",
                    "version": "0.1.0"
                  },
                  "summary": {
                    "findings": 1,
                    "fatals": 0,
                    "errors": 1,
                    "warnings": 0,
                    "notes": 0,
                    "suppressed": 0
                  },
                  "checks": {
                    "run": [%s],
                    "disabled": []
                  },
                  "kexts": [
                    {
                      "bundleId": "com.example.driver",
                      "version": "1.2.0"
                    }
                  ],
                  "findings": [
                    {
                      "checkId": "MEM-3",
                      "title": "double free",
                      "severity": "error",
                      "kext": {
                        "bundleId": "com.example.driver",
                        "version": "1.2.0"
                      },
                      "message": "Block of 64 bytes freed twice with IOFree.",
                      "site": {
                        "class": "com.example.driver.Driver",
                        "method": "stop",
                        "file": "Driver.java",
                        "uri": "com/example/driver/Driver.java",
                        "line": 88
                      },
                      "related": [
                        {
                          "role": "allocated",
                          "site": {
                            "class": "com.example.driver.Driver",
                            "method": "start",
                            "file": "Driver.java",
                            "uri": "com/example/driver/Driver.java",
                            "line": 30
                          }
                        },
                        {
                          "role": "first freed",
                          "site": {
                            "class": "com.example.driver.Driver",
                            "method": "free",
                            "file": "Driver.java",
                            "uri": "com/example/driver/Driver.java",
                            "line": 95
                          }
                        }
                      ],
                      "context": "THREAD",
                      "occurrences": 1
                    }
                  ],
                  "suppressed": []
                }
                """;
        StringBuilder ids = new StringBuilder();
        for (String id : Checks.all().keySet()) {
            ids.append(ids.length() == 0 ? "\n      " : ",\n      ").append('"').append(id).append('"');
        }
        assertEquals(String.format(expected, ids + "\n    "), JsonReport.write(k.report(), INFO));
    }

    @Test
    void jsonOfTheSampleParsesAndKeepsTheSuppressionReason() throws Exception {
        JsonNode root = JSON.readTree(JsonReport.write(SampleFindings.report(), INFO));
        assertEquals(2, root.get("findings").size());
        assertEquals(2, root.get("findings").get(0).get("occurrences").asInt());
        assertEquals("freed by the family after unload", root.get("suppressed").get(0).get("suppression").get("reason").asText());
        assertEquals("API-FLOAT", root.get("checks").get("disabled").get(0).asText());
        assertEquals(2, root.get("kexts").size());
    }

    @Test
    void sarifHasTheRequiredStructureOfSarif210() throws Exception {
        JsonNode root = JSON.readTree(SarifReport.write(SampleFindings.report(), INFO));
        assertEquals("2.1.0", root.get("version").asText());
        assertTrue(URI.create(root.get("$schema").asText()).isAbsolute());
        assertEquals(1, root.get("runs").size());
        JsonNode run = root.get("runs").get(0);
        JsonNode driver = run.get("tool").get("driver");
        assertEquals("kextkit", driver.get("name").asText());
        assertEquals("0.1.0", driver.get("version").asText());
        // Every check is a rule, in catalogue order, with descriptions, help and a level of the SARIF enum.
        assertEquals(Checks.all().size(), driver.get("rules").size());
        Set<String> levels = Set.of("none", "note", "warning", "error");
        int i = 0;
        for (Checks.Check c : Checks.all().values()) {
            JsonNode rule = driver.get("rules").get(i++);
            assertEquals(c.id(), rule.get("id").asText());
            assertEquals(c.title(), rule.get("shortDescription").get("text").asText());
            assertTrue(rule.get("fullDescription").get("text").asText().contains("docs/checks.md#" + Checks.docsAnchor(c.id())));
            assertTrue(rule.get("help").get("markdown").asText().contains("(docs/checks.md#" + Checks.docsAnchor(c.id()) + ")"));
            assertTrue(levels.contains(rule.get("defaultConfiguration").get("level").asText()));
        }
        JsonNode inv = run.get("invocations").get(0);
        assertTrue(inv.get("executionSuccessful").asBoolean());
        assertEquals(12, inv.get("exitCode").asInt());
        assertEquals("kextutil", inv.get("arguments").get(0).asText());
        JsonNode override = inv.get("ruleConfigurationOverrides").get(0);
        assertEquals("API-FLOAT", override.get("descriptor").get("id").asText());
        assertEquals(List.copyOf(Checks.all().keySet()).indexOf("API-FLOAT"), override.get("descriptor").get("index").asInt());
        assertFalse(override.get("configuration").get("enabled").asBoolean());

        JsonNode results = run.get("results");
        assertEquals(3, results.size());
        Set<String> fingerprints = new HashSet<>();
        for (JsonNode r : results) {
            String ruleId = r.get("ruleId").asText();
            assertEquals(ruleId, driver.get("rules").get(r.get("ruleIndex").asInt()).get("id").asText());
            assertTrue(levels.contains(r.get("level").asText()));
            assertFalse(r.get("message").get("text").asText().isEmpty());
            JsonNode phys = r.get("locations").get(0).get("physicalLocation");
            String uri = phys.get("artifactLocation").get("uri").asText();
            assertEquals("com/example/driver/Driver.java", uri);
            assertFalse(URI.create(uri).isAbsolute());
            assertEquals("SRCROOT", phys.get("artifactLocation").get("uriBaseId").asText());
            assertTrue(run.get("originalUriBaseIds").has("SRCROOT"));
            assertTrue(phys.get("region").get("startLine").asInt() >= 1);
            assertTrue(fingerprints.add(r.get("partialFingerprints").get(SarifReport.FINGERPRINT).asText()));
        }
        JsonNode lockHeld = results.get(0);
        assertEquals("LCK-HELD", lockHeld.get("ruleId").asText());
        assertEquals(42, lockHeld.get("locations").get(0).get("physicalLocation").get("region").get("startLine").asInt());
        assertEquals("com.example.driver.Driver.start",
                lockHeld.get("locations").get(0).get("logicalLocations").get(0).get("fullyQualifiedName").asText());
        JsonNode related = lockHeld.get("relatedLocations").get(0);
        assertEquals(1, related.get("id").asInt());
        assertEquals(17, related.get("physicalLocation").get("region").get("startLine").asInt());
        assertEquals("acquired at com.example.driver.Driver.lockRing(Driver.java:17)", related.get("message").get("text").asText());
        assertEquals(2, lockHeld.get("properties").get("occurrences").asInt());
        assertEquals("com.example.driver", lockHeld.get("properties").get("kext").asText());
        assertEquals("THREAD", lockHeld.get("properties").get("context").asText());
        assertFalse(lockHeld.has("suppressions"));
        JsonNode leak = results.get(2);
        assertEquals("MEM-4", leak.get("ruleId").asText());
        JsonNode suppression = leak.get("suppressions").get(0);
        assertEquals("external", suppression.get("kind").asText());
        assertEquals("accepted", suppression.get("status").asText());
        assertEquals("freed by the family after unload", suppression.get("justification").asText());
    }

    @Test
    void sarifOfASiteWithoutSourceHasOnlyALogicalLocation() throws Exception {
        KernelFindings k = new KernelFindings();
        k.report(SampleFindings.kernelWide());
        JsonNode loc = JSON.readTree(SarifReport.write(k.report(), INFO)).get("runs").get(0).get("results").get(0)
                .get("locations").get(0);
        assertFalse(loc.has("physicalLocation"));
        assertEquals("com.example.Helper.<init>", loc.get("logicalLocations").get(0).get("fullyQualifiedName").asText());
    }

    @Test
    void junitIsWellFormedWithASuitePerKextACasePerCheckAndAFailurePerFinding() throws Exception {
        String xml = JUnitReport.write(SampleFindings.report(), INFO);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        NodeList suites = root.getElementsByTagName("testsuite");
        assertEquals(2, suites.getLength());
        Element driver = (Element) suites.item(0);
        assertEquals("com.example.driver", driver.getAttribute("name"));
        int ran = Checks.all().size() - 1; // API-FLOAT is disabled
        assertEquals(String.valueOf(ran), driver.getAttribute("tests"));
        assertEquals("2", driver.getAttribute("failures"));
        assertEquals("1", driver.getAttribute("skipped"));
        NodeList failures = driver.getElementsByTagName("failure");
        assertEquals(2, failures.getLength());
        Element first = (Element) failures.item(0);
        assertEquals("LCK-HELD error", first.getAttribute("type"));
        assertEquals("Lock \"mLock\" (IOLock) is still held when Driver.start returns to the kernel.",
                first.getAttribute("message"));
        assertTrue(first.getTextContent().contains("acquired at com.example.driver.Driver.lockRing(Driver.java:17)"));
        assertEquals("LCK-HELD at com.example.driver.Driver.start(Driver.java:42)",
                ((Element) first.getParentNode()).getAttribute("name"));
        Element skipped = (Element) driver.getElementsByTagName("skipped").item(0);
        assertEquals("suppressed by MEM-4:com.example.driver: freed by the family after unload", skipped.getAttribute("message"));
        Element idle = (Element) suites.item(1);
        assertEquals("com.example.idle", idle.getAttribute("name"));
        assertEquals("0", idle.getAttribute("failures"));
        assertEquals(String.valueOf(2 * ran), root.getAttribute("tests"));
        assertEquals("2", root.getAttribute("failures"));
    }

    @Test
    void junitEscapesMarkupInMessages() throws Exception {
        KernelFindings k = new KernelFindings();
        k.report(new org.kextkit.harness.check.Finding(Checks.API_USER, org.kextkit.harness.check.Severity.ERROR,
                "com.example.driver", "1.0", "Calls <System.exit> & \"friends\"", SampleFindings.site("start", 3),
                List.of(), null));
        String xml = JUnitReport.write(k.report(), INFO);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element failure = (Element) doc.getElementsByTagName("failure").item(0);
        assertEquals("Calls <System.exit> & \"friends\"", failure.getAttribute("message"));
    }

    @Test
    void formatsAreNamedAsOnTheCommandLine() {
        assertEquals(ReportFormat.SARIF, ReportFormat.byName("SARIF").orElseThrow());
        assertEquals(ReportFormat.JUNIT, ReportFormat.byName("junit").orElseThrow());
        assertTrue(ReportFormat.byName("xml").isEmpty());
        FindingsReport empty = FindingsReport.EMPTY;
        assertEquals("kextkit checks: no findings in 0 kexts\n", ReportFormat.TEXT.write(empty, INFO));
    }
}
