package org.kextkit.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InfoPlistFilterTest {
    private final Map<String, String> values = Map.of("kext.bundleIdentifier", "com.acme.driver.Foo",
            "kext.version", "1.2.0d1", "project.name", "Foo & Bar <driver>");
    private final InfoPlistFilter filter = new InfoPlistFilter(name -> Optional.ofNullable(values.get(name)));

    @Test
    void substitutesKnownExpressions() {
        InfoPlistFilter.Result r = filter.filter("<string>${kext.bundleIdentifier}</string><string>${kext.version}</string>");
        assertEquals("<string>com.acme.driver.Foo</string><string>1.2.0d1</string>", r.text());
        assertTrue(r.unresolved().isEmpty());
    }

    @Test
    void escapesValuesSoThePlistStaysWellFormed() {
        assertEquals("<string>Foo &amp; Bar &lt;driver&gt;</string>", filter.filter("<string>${project.name}</string>").text());
    }

    @Test
    void leavesXcodeAndAntTokensAlone() {
        String text = "<string>$(PRODUCT_NAME) @VERSION@ $(MODULE_VERSION:rfc1034identifier)</string>";
        InfoPlistFilter.Result r = filter.filter(text);
        assertEquals(text, r.text());
        assertTrue(r.unresolved().isEmpty(), "only ${...} is an expression");
    }

    @Test
    void reportsUnknownExpressionsWithTheirLineAndKeepsThem() {
        InfoPlistFilter.Result r = filter.filter("<dict>\n<string>${kext.version}</string>\n<string>${no.such}</string>\n</dict>");
        assertTrue(r.text().contains("<string>${no.such}</string>"));
        assertEquals(List.of(new InfoPlistFilter.Unresolved("${no.such}", 3)), r.unresolved());
    }

    @Test
    void doubledDollarWritesALiteralExpression() {
        assertEquals("<string>${kext.version}</string>", filter.filter("<string>$${kext.version}</string>").text());
    }

    @Test
    void anUnclosedExpressionIsPlainText() {
        String text = "<string>${kext.version</string>\n<string>$</string>";
        assertEquals(text, filter.filter(text).text());
    }
}
