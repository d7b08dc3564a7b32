package org.kextkit.harness.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/checks.md has one section per check id, in catalogue order, and names no unknown id. */
class ChecksDocTest {
    private static final Pattern SECTION = Pattern.compile("(?m)^### (\\S+)\\s*$");

    private static String doc() throws Exception {
        Path p = Path.of("../docs/checks.md");
        if (!Files.exists(p)) {
            p = Path.of("docs/checks.md");
        }
        return Files.readString(p);
    }

    @Test
    void everyCheckHasASectionInCatalogueOrderAndNoSectionNamesAnUnknownId() throws Exception {
        String doc = doc();
        String catalogue = doc.substring(doc.indexOf("## The catalogue"));
        List<String> sections = new ArrayList<>();
        Matcher m = SECTION.matcher(catalogue);
        while (m.find()) {
            sections.add(m.group(1));
        }
        for (String s : sections) {
            assertTrue(Checks.get(s) != null, "docs/checks.md has a section for unknown check id " + s);
        }
        assertEquals(List.copyOf(Checks.all().keySet()), sections);
    }

    @Test
    void everySectionGivesThePatternTheKernelBehaviourDetectionFixAndSeverity() throws Exception {
        String doc = doc();
        for (Map.Entry<String, Checks.Check> e : Checks.all().entrySet()) {
            int start = doc.indexOf("\n### " + e.getKey() + "\n");
            assertTrue(start >= 0, e.getKey());
            int end = doc.indexOf("\n### ", start + 1);
            String section = doc.substring(start, end < 0 ? doc.length() : end);
            String severity = e.getValue().severity().name().toLowerCase(java.util.Locale.ROOT);
            assertTrue(section.contains("Severity: " + severity + "."), e.getKey() + " severity");
            assertTrue(section.contains("```"), e.getKey() + " pattern");
            for (String part : List.of("*Real kernel:*", "*Detection:*", "*Fix:*")) {
                assertTrue(section.contains(part), e.getKey() + " lacks " + part);
            }
        }
    }
}
