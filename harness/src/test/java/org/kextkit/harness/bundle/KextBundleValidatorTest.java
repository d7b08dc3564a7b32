package org.kextkit.harness.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.bundle.KextFixtures.Info;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kextkit.harness.diagnostics.DiagnosticGroup;
import org.kextkit.harness.diagnostics.KextDiagnostics;
import org.kextkit.harness.version.VersionGrammar;

/**
 * Pin every validation rule with kextutil's exact wording and the key path it reports, by
 * comparing the whole printed diagnostics, so that an extra or missing line fails too.
 */
class KextBundleValidatorTest {
    @TempDir
    Path dir;

    private final KextBundleValidator validator = new KextBundleValidator();

    private int kexts;

    /** Write a fresh FooN.kext with the Info.plist and a jar at Contents/MacOS/Foo holding one class. */
    private KextBundle withJar(Info info) throws IOException {
        Path kext = KextFixtures.kext(dir, "Foo" + ++kexts + ".kext", info.xml());
        KextFixtures.writeJar(kext.resolve("Contents/MacOS/Foo"), null, "com.example.driver.Foo");
        return read(kext, "x86_64", VersionGrammar.MODERN);
    }

    private KextBundle withoutJar(Info info) throws IOException {
        return read(KextFixtures.kext(dir, "Foo" + ++kexts + ".kext", info.xml()), "x86_64", VersionGrammar.MODERN);
    }

    private static KextBundle read(Path kext, String arch, VersionGrammar grammar) {
        BundleReadResult result = new KextBundleReader(arch, grammar, new AtomicLong()).read(kext);
        assertEquals(java.util.List.of(), result.problems());
        return result.bundle().orElseThrow();
    }

    private String validate(KextBundle bundle) {
        return validator.validate(bundle).format();
    }

    private static String failures(String... lines) {
        return "Validation Failures: \n" + String.join("\n", lines) + "\n";
    }

    private static String warnings(String... lines) {
        return "Warnings: \n" + String.join("\n", lines) + "\n";
    }

    // ---- a clean kext, and all problems at once ----

    @Test
    void aValidKextWithItsJarHasNoDiagnostics() throws Exception {
        KextBundle bundle = withJar(Info.valid());
        KextDiagnostics diagnostics = validator.validate(bundle);
        assertTrue(diagnostics.isEmpty(), diagnostics.format());
    }

    @Test
    void reportsEveryProblemAtOnceInKextutilsFormat() throws Exception {
        KextBundle bundle = withoutJar(Info.valid()
                .remove("CFBundleIdentifier")
                .string("CFBundleVersion", "1.0.0.1")
                .string("CFBundlePackageType", "APPL")
                .string("OSBundleRequired", "Safe-Boot")
                .raw("OSBundleDebugLevel", "<integer>1</integer>"));
        assertEquals(failures(
                "    Info dictionary missing required property/value: ",
                "        CFBundleIdentifier",
                "    Info dictionary property value is illegal: ",
                "        CFBundleVersion - '1.0.0.1' is not a kext version; expected major[.minor[.revision]] with an "
                        + "optional d, a, b or fc stage and level, such as 1.0.2b3",
                "        CFBundlePackageType - should be KEXT, found APPL",
                "        OSBundleRequired - should be one of Root, Local-Root, Network-Root, Console or Safe Boot, found 'Safe-Boot'",
                "    Kext has a CFBundleExecutable property but the executable can't be found: ",
                "        Contents/MacOS/Foo - no such file")
                + "\n" + warnings(
                "    Deprecated property (ignored): ",
                "        OSBundleDebugLevel"), validate(bundle));
        assertTrue(bundle.diagnostics().hasFailures());
    }

    // ---- required keys, types and empty strings ----

    @Test
    void requiresIdentifierVersionAndPackageType() throws Exception {
        assertEquals(failures(
                "    Info dictionary missing required property/value: ",
                "        CFBundleIdentifier",
                "        CFBundleVersion",
                "        CFBundlePackageType"),
                validate(withJar(Info.valid().remove("CFBundleIdentifier").remove("CFBundleVersion").remove("CFBundlePackageType"))));
    }

    @Test
    void countsAnEmptyStringAsMissing() throws Exception {
        assertEquals(failures(
                "    Info dictionary missing required property/value: ",
                "        CFBundleIdentifier - empty string"),
                validate(withJar(Info.valid().string("CFBundleIdentifier", ""))));
    }

    @Test
    void namesTheExpectedAndFoundTypes() throws Exception {
        assertEquals(failures(
                "    Info dictionary property value is of illegal type: ",
                "        CFBundleIdentifier - should be <string>, found <integer>",
                "        OSBundleAllowUserLoad - should be boolean, <true/> or <false/>, found <string>"),
                validate(withJar(Info.valid().raw("CFBundleIdentifier", "<integer>5</integer>")
                        .string("OSBundleAllowUserLoad", "YES"))));
    }

    @Test
    void refusesRealValuesAnywhereWithKextutilsNote() throws Exception {
        assertEquals(failures(
                "    Info dictionary property value is of illegal type: ",
                "        CFBundleVersion - should be <string>, found <real>",
                "        IOKitPersonalities.Foo.IOKitDebug - should be <integer> (kexts may not use <real>)",
                "        IOKitPersonalities.Foo.IOProbeScore - should be <integer> (kexts may not use <real>)",
                "        IOKitPersonalities.Foo.Ratios[1] - should be <integer> (kexts may not use <real>)"),
                validate(withJar(Info.valid().raw("CFBundleVersion", "<real>1.5</real>")
                        .raw("IOKitPersonalities", "<dict><key>Foo</key><dict>"
                                + "<key>CFBundleIdentifier</key><string>com.example.driver.Foo</string>"
                                + "<key>IOClass</key><string>Foo</string><key>IOProviderClass</key><string>IOPCIDevice</string>"
                                + "<key>IOKitDebug</key><real>1.0</real><key>IOProbeScore</key><real>2.5</real>"
                                + "<key>Ratios</key><array><integer>1</integer><real>0.5</real></array>"
                                + "</dict></dict>"))));
    }

    @Test
    void requiresThePackageTypeKext() throws Exception {
        assertEquals(failures(
                "    Info dictionary property value is illegal: ",
                "        CFBundlePackageType - should be KEXT, found DEXT (kextkit loads kexts, not DriverKit extensions)"),
                validate(withJar(Info.valid().string("CFBundlePackageType", "DEXT"))));
    }

    // ---- lengths and versions ----

    @Test
    void allowsSixtyThreeCharactersAndRefusesSixtyFour() throws Exception {
        String ok = "com.example." + "a".repeat(51);
        assertEquals(63, ok.length());
        assertEquals("", validate(withJar(Info.valid().string("CFBundleIdentifier", ok))));
        String version = "1.0 " + "x".repeat(60);
        assertEquals(failures(
                "    CFBundleIdentifier and CFBundleVersion must be < 64 characters.: ",
                "        CFBundleIdentifier - 64 characters",
                "        CFBundleVersion - 64 characters"),
                validate(withJar(Info.valid().string("CFBundleIdentifier", ok + "b").string("CFBundleVersion", version))));
    }

    @Test
    void checksVersionsWithTheGrammarInForce() throws Exception {
        Path kext = KextFixtures.kext(dir, "Foo.kext", Info.valid().string("CFBundleVersion", "1.100").xml());
        KextFixtures.writeJar(kext.resolve("Contents/MacOS/Foo"), null, "com.example.driver.Foo");
        assertEquals("", validate(read(kext, "x86_64", VersionGrammar.MODERN)));
        assertEquals(failures(
                "    Info dictionary property value is illegal: ",
                "        CFBundleVersion - '1.100' is not a kext version; expected major[.minor[.revision]] with an "
                        + "optional d, a, b or fc stage and level, such as 1.0.2b3"),
                validate(read(kext, "x86_64", VersionGrammar.LEGACY)));
    }

    @Test
    void requiresTheCompatibleVersionNotToBeLaterThanTheVersion() throws Exception {
        assertEquals(failures(
                "    Compatible version must be lower than current version.: ",
                "        OSBundleCompatibleVersion - 2.0 is later than CFBundleVersion 1.2.3"),
                validate(withJar(Info.valid().string("OSBundleCompatibleVersion", "2.0"))));
    }

    @Test
    void allowsACompatibleVersionEqualToTheVersion() throws Exception {
        assertEquals("", validate(withJar(Info.valid().string("OSBundleCompatibleVersion", "1.2.3"))));
    }

    @Test
    void refusesAnUnparseableCompatibleVersion() throws Exception {
        assertEquals(failures(
                "    Info dictionary property value is illegal: ",
                "        OSBundleCompatibleVersion - '1.0b' is not a kext version; expected major[.minor[.revision]] "
                        + "with an optional d, a, b or fc stage and level, such as 1.0.2b3"),
                validate(withJar(Info.valid().string("OSBundleCompatibleVersion", "1.0b"))));
    }

    // ---- the executable jar ----

    @Test
    void reportsAJarThatIsNotAZip() throws Exception {
        Path kext = KextFixtures.kext(dir, "Foo.kext", Info.valid().xml());
        KextFixtures.write(kext.resolve("Contents/MacOS/Foo"), "\u00cf\u00fa\u00ed\u00fe not a jar".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(failures(
                "    Executable file doesn't contain kernel extension code (no class files or bad jar layout).: ",
                "        Contents/MacOS/Foo - is not a valid jar (no entries)"),
                validate(read(kext, "x86_64", VersionGrammar.MODERN)));
    }

    @Test
    void reportsAJarWithoutClasses() throws Exception {
        Path kext = KextFixtures.kext(dir, "Foo.kext", Info.valid().xml());
        KextFixtures.writeJar(kext.resolve("Contents/MacOS/Foo"), null);
        assertEquals(failures(
                "    Executable file doesn't contain kernel extension code (no class files or bad jar layout).: ",
                "        Contents/MacOS/Foo - the jar holds no .class files"),
                validate(read(kext, "x86_64", VersionGrammar.MODERN)));
    }

    @Test
    void reportsAModuleClassTheJarLacks() throws Exception {
        Path kext = KextFixtures.kext(dir, "Foo.kext", Info.valid().xml());
        KextFixtures.writeJar(kext.resolve("Contents/MacOS/Foo"), "com.example.driver.Start", "com.example.driver.Foo");
        assertEquals(failures(
                "    Kext-Module-Class names a class that the executable doesn't contain: ",
                "        Contents/MacOS/Foo - Kext-Module-Class: com.example.driver.Start is not in the jar"),
                validate(read(kext, "x86_64", VersionGrammar.MODERN)));
    }

    @Test
    void acceptsAModuleClassTheJarHas() throws Exception {
        Path kext = KextFixtures.kext(dir, "Foo.kext", Info.valid().xml());
        KextFixtures.writeJar(kext.resolve("Contents/MacOS/Foo"), "com.example.driver.Start",
                "com.example.driver.Foo", "com.example.driver.Start");
        KextBundle bundle = read(kext, "x86_64", VersionGrammar.MODERN);
        assertEquals("", validate(bundle));
        assertEquals("com.example.driver.Start", bundle.executable().moduleClass());
    }

    @Test
    void refusesClassesInReservedPackages() throws Exception {
        Path kext = KextFixtures.kext(dir, "Foo.kext", Info.valid().xml());
        KextFixtures.writeJar(kext.resolve("Contents/MacOS/Foo"), null, "com.example.driver.Foo",
                "org.kextkit.kit.libkern.Libkern", "org.kextkit.kit.libkern.KernReturn", "java.lang.Shadow", "javax.crypto.Cipher",
                "javafx.Fine");
        assertEquals(failures(
                "    Executable defines classes in packages reserved for the kernel (java., javax., org.kextkit.): ",
                "        java.lang - 1 class",
                "        javax.crypto - 1 class",
                "        org.kextkit.kit.libkern - 2 classes"),
                validate(read(kext, "x86_64", VersionGrammar.MODERN)));
    }

    @Test
    void findsTheExecutableOfAShallowBundleBesideItsInfoPlist() throws Exception {
        Path kext = dir.resolve("Shallow.kext");
        KextFixtures.write(kext.resolve("Info.plist"), Info.valid().xml().getBytes(StandardCharsets.UTF_8));
        KextFixtures.writeJar(kext.resolve("Foo"), null, "com.example.driver.Foo");
        KextBundle bundle = read(kext, "x86_64", VersionGrammar.MODERN);
        assertTrue(bundle.isShallow());
        assertEquals(kext.resolve("Foo"), bundle.executablePath());
        assertEquals("", validate(bundle));
    }

    @Test
    void doesNotDemandAnExecutableFileFromAKernelComponentButForbidsItsLibraries() throws Exception {
        assertEquals(failures(
                "    A system kext has a property set that it shouldn't: ",
                "        OSBundleLibraries - kernel components are part of the kernel and have no libraries"),
                validate(withoutJar(Info.valid().raw("OSKernelResource", "<true/>"))));
        assertEquals("", validate(withoutJar(Info.valid().raw("OSKernelResource", "<true/>").remove("OSBundleLibraries"))));
    }

    // ---- OSBundleLibraries ----

    @Test
    void requiresLibrariesWhenTheKextHasAnExecutable() throws Exception {
        assertEquals(failures(
                "    Info dictionary missing required property/value: ",
                "        OSBundleLibraries - a kext with an executable must declare the libraries it links against"),
                validate(withJar(Info.valid().remove("OSBundleLibraries"))));
    }

    @Test
    void requiresTheLibrariesToBeNonEmpty() throws Exception {
        assertEquals(failures(
                "    Info dictionary missing required property/value: ",
                "        OSBundleLibraries - the <dict> is empty, but a kext with an executable must declare its libraries"),
                validate(withJar(Info.valid().raw("OSBundleLibraries", "<dict/>"))));
    }

    @Test
    void reportsEachBadLibraryEntryByItsPath() throws Exception {
        assertEquals(failures(
                "    Info dictionary property value is of illegal type: ",
                "        OSBundleLibraries.com.apple.kpi.libkern - should be <string>, found <integer>",
                "    Info dictionary property value is illegal: ",
                "        OSBundleLibraries.com.apple.kpi.mach - '8.x' is not a kext version; expected major[.minor[.revision]] "
                        + "with an optional d, a, b or fc stage and level, such as 1.0.2b3",
                "        OSBundleLibraries.com.apple.kpi.bsd - empty string; give the version needed, such as 8.0.0"),
                validate(withJar(Info.valid().raw("OSBundleLibraries", "<dict>"
                        + "<key>com.apple.kpi.iokit</key><string>8.0.0</string>"
                        + "<key>com.apple.kpi.libkern</key><integer>8</integer>"
                        + "<key>com.apple.kpi.mach</key><string>8.x</string>"
                        + "<key>com.apple.kpi.bsd</key><string></string></dict>"))));
    }

    @Test
    void refusesLibrariesThatAreNotADictionary() throws Exception {
        assertEquals(failures(
                "    Info dictionary property value is of illegal type: ",
                "        OSBundleLibraries - should be <dict>, found <array>"),
                validate(withJar(Info.valid().raw("OSBundleLibraries", "<array><string>com.apple.kpi.iokit</string></array>"))));
    }

    @Test
    void usesTheArchitectureVariantOfTheLibrariesWhenPresent() throws Exception {
        Info info = Info.valid().raw("OSBundleLibraries_x86_64", "<dict><key>com.example.Lib</key><string>one</string></dict>");
        Path kext = KextFixtures.kext(dir, "Foo.kext", info.xml());
        KextFixtures.writeJar(kext.resolve("Contents/MacOS/Foo"), null, "com.example.driver.Foo");
        assertEquals(failures(
                "    Info dictionary property value is illegal: ",
                "        OSBundleLibraries_x86_64.com.example.Lib - 'one' is not a kext version; expected "
                        + "major[.minor[.revision]] with an optional d, a, b or fc stage and level, such as 1.0.2b3"),
                validate(read(kext, "x86_64", VersionGrammar.MODERN)));
        assertEquals("", validate(read(kext, "arm64", VersionGrammar.MODERN)));
    }

    @Test
    void warnsACodelessNonLibraryThatDeclaresLibraries() throws Exception {
        assertEquals(warnings("    Kext has no executable or compatible version, so it should not declare any OSBundleLibraries."),
                validate(withoutJar(Info.valid().remove("CFBundleExecutable").remove("OSBundleCompatibleVersion"))));
    }

    @Test
    void letsACodelessLibraryDeclareLibraries() throws Exception {
        assertEquals("", validate(withoutJar(Info.valid().remove("CFBundleExecutable"))));
    }

    // ---- OSBundleRequired ----

    @ParameterizedTest
    @ValueSource(strings = {"Root", "Local-Root", "Network-Root", "Console", "Safe Boot"})
    void acceptsEveryLegalOSBundleRequired(String value) throws Exception {
        assertEquals("", validate(withJar(Info.valid().string("OSBundleRequired", value))));
    }

    @Test
    void forbidsTheDriverKitValueInAKext() throws Exception {
        assertEquals(failures(
                "    Kexts may not use the DriverKit value for OSBundleRequired.: ",
                "        OSBundleRequired"),
                validate(withJar(Info.valid().string("OSBundleRequired", "DriverKit"))));
    }

    // ---- personalities ----

    private static String personality(String name, String body) {
        return "<key>" + name + "</key><dict>" + body + "</dict>";
    }

    private static String keyString(String key, String value) {
        return "<key>" + key + "</key><string>" + value + "</string>";
    }

    private static final String GOOD = keyString("CFBundleIdentifier", "com.example.driver.Foo")
            + keyString("IOClass", "Foo") + keyString("IOProviderClass", "IOPCIDevice");

    @Test
    void requiresStringIOClassAndIOProviderClass() throws Exception {
        assertEquals(failures(
                "    Info dictionary missing required property/value: ",
                "        IOKitPersonalities.NoClass.IOClass",
                "        IOKitPersonalities.EmptyProvider.IOProviderClass - empty string",
                "    Info dictionary property value is of illegal type: ",
                "        IOKitPersonalities.NumberProvider.IOProviderClass - should be <string>, found <integer>",
                "        IOKitPersonalities.NotADict - should be <dict>, found <string>"),
                validate(withJar(Info.valid().raw("IOKitPersonalities", "<dict>"
                        + personality("NoClass", keyString("CFBundleIdentifier", "com.example.driver.Foo")
                                + keyString("IOProviderClass", "IOPCIDevice"))
                        + personality("EmptyProvider", keyString("CFBundleIdentifier", "com.example.driver.Foo")
                                + keyString("IOClass", "Foo") + keyString("IOProviderClass", ""))
                        + personality("NumberProvider", keyString("CFBundleIdentifier", "com.example.driver.Foo")
                                + keyString("IOClass", "Foo") + "<key>IOProviderClass</key><integer>1</integer>")
                        + "<key>NotADict</key><string>Foo</string>"
                        + "</dict>"))));
    }

    @Test
    void refusesPersonalitiesThatAreNotADictionary() throws Exception {
        assertEquals(failures(
                "    Info dictionary property value is of illegal type: ",
                "        IOKitPersonalities - should be <dict>, found <array>"),
                validate(withJar(Info.valid().raw("IOKitPersonalities", "<array/>"))));
    }

    @Test
    void requiresANumericIOKitDebugAndWarnsOfANonNumericProbeScore() throws Exception {
        assertEquals(failures(
                "    Info dictionary property value is of illegal type: ",
                "        IOKitPersonalities.Foo.IOKitDebug - should be <integer>, found <string>")
                + "\n" + warnings(
                "    Info dictionary property value is of incorrect type: ",
                "        IOKitPersonalities.Foo.IOProbeScore - should be <integer>, found <string>"),
                validate(withJar(Info.valid().raw("IOKitPersonalities", "<dict>" + personality("Foo", GOOD
                        + keyString("IOKitDebug", "65535") + keyString("IOProbeScore", "1000")) + "</dict>"))));
    }

    @Test
    void warnsOfMissingAndForeignPersonalityBundleIdentifiers() throws Exception {
        assertEquals(warnings(
                "    Personality has no CFBundleIdentifier; the kext's identifier will be inserted when sending to the IOCatalogue: ",
                "        IOKitPersonalities.Anonymous",
                "    Personality CFBundleIdentifier differs from containing kext's (not necessarily a mistake, but rarely done): ",
                "        IOKitPersonalities.Injector.CFBundleIdentifier - com.apple.driver.AppleUSBXHCIPCI (the kext is com.example.driver.Foo)"),
                validate(withJar(Info.valid().raw("IOKitPersonalities", "<dict>"
                        + personality("Anonymous", keyString("IOClass", "Foo") + keyString("IOProviderClass", "IOPCIDevice"))
                        + personality("Injector", keyString("CFBundleIdentifier", "com.apple.driver.AppleUSBXHCIPCI")
                                + keyString("IOClass", "AppleUSBXHCIPCI") + keyString("IOProviderClass", "IOPCIDevice"))
                        + "</dict>"))));
    }

    @Test
    void warnsOfAnIOResourcesPersonalityWithoutItsOwnMatchCategory() throws Exception {
        String resources = keyString("CFBundleIdentifier", "com.example.driver.Foo") + keyString("IOClass", "FooService")
                + keyString("IOProviderClass", "IOResources");
        assertEquals(warnings(
                "    Personality matches on IOResources but IOMatchCategory is missing or not equal to its IOClass; "
                        + "driver may be blocked from matching or may block others: ",
                "        IOKitPersonalities_x86_64.NoCategory",
                "        IOKitPersonalities_x86_64.SharedCategory"),
                validate(withJar(Info.valid().raw("IOKitPersonalities_x86_64", "<dict>"
                        + personality("NoCategory", resources)
                        + personality("SharedCategory", resources + keyString("IOMatchCategory", "IODefaultMatchCategory"))
                        + personality("OwnCategory", resources + keyString("IOMatchCategory", "FooService"))
                        + "</dict>"))));
    }

    // ---- unbuilt templates ----

    @Test
    void reportsEveryBuildVariableSyntaxAsAnUnbuiltTemplate() throws Exception {
        KextBundle bundle = withoutJar(new Info()
                .string("CFBundleIdentifier", "$(PRODUCT_BUNDLE_IDENTIFIER)")
                .string("CFBundleName", "$(PRODUCT_NAME:rfc1034identifier)")
                .string("CFBundleVersion", "${MODULE_VERSION}")
                .string("CFBundleShortVersionString", "$MODULE_VERSION")
                .string("CFBundleGetInfoString", "@VBOX_VERSION_STRING@, (c) Oracle")
                .string("CFBundlePackageType", "@@CFBUNDLEPACKAGETYPE@@")
                .string("CFBundleExecutable", "$(EXECUTABLE_NAME)")
                .string("OSBundleCompatibleVersion", "###KERNEL_VERSION_LONG###")
                .raw("OSBundleLibraries", "<dict><key>com.apple.kpi.bsd</key><string>OSXFUSE_KPI_VERSION</string></dict>"));
        assertEquals(failures(
                "    Info.plist is an unbuilt template, not a built kext: these values still hold build variables "
                        + "(build the kext so that they are substituted, or replace them with literal values): ",
                "        CFBundleIdentifier - $(PRODUCT_BUNDLE_IDENTIFIER)",
                "        CFBundleName - $(PRODUCT_NAME:rfc1034identifier)",
                "        CFBundleVersion - ${MODULE_VERSION}",
                "        CFBundleShortVersionString - $MODULE_VERSION",
                "        CFBundleGetInfoString - @VBOX_VERSION_STRING@, (c) Oracle",
                "        CFBundlePackageType - @@CFBUNDLEPACKAGETYPE@@",
                "        CFBundleExecutable - $(EXECUTABLE_NAME)",
                "        OSBundleCompatibleVersion - ###KERNEL_VERSION_LONG###",
                "        OSBundleLibraries.com.apple.kpi.bsd - OSXFUSE_KPI_VERSION"),
                validate(bundle));
    }

    @Test
    void recognisesBareMacrosOnlyWhereAVersionOrIdentifierBelongs() throws Exception {
        assertEquals(failures(
                "    Info.plist is an unbuilt template, not a built kext: these values still hold build variables "
                        + "(build the kext so that they are substituted, or replace them with literal values): ",
                "        CFBundleVersion - IOUSBFAMILY_VERSION"),
                validate(withJar(Info.valid().string("CFBundleVersion", "IOUSBFAMILY_VERSION")
                        .string("CFBundleName", "OSXFUSE_DISPLAY_NAME_LITERAL")
                        .string("CFBundleSignature", "????"))));
    }

    @Test
    void reportsATemplateValueAsTemplateTextRatherThanAsAnIllegalValue() throws Exception {
        KextBundle bundle = withJar(Info.valid().string("CFBundleVersion", "$(MODULE_VERSION)")
                .string("OSBundleRequired", "$(BOOT_LEVEL)")
                .raw("IOKitPersonalities", "<dict>" + personality("Foo", keyString("CFBundleIdentifier", "$(PRODUCT_BUNDLE_IDENTIFIER)")
                        + keyString("IOClass", "Foo") + keyString("IOProviderClass", "IOPCIDevice")) + "</dict>"));
        KextDiagnostics diagnostics = validator.validate(bundle);
        assertEquals(java.util.List.of(ValidationMessages.UNBUILT_TEMPLATE), diagnostics.messages(DiagnosticGroup.VALIDATION));
        assertEquals(java.util.List.of("CFBundleVersion - $(MODULE_VERSION)", "OSBundleRequired - $(BOOT_LEVEL)",
                "IOKitPersonalities.Foo.CFBundleIdentifier - $(PRODUCT_BUNDLE_IDENTIFIER)"),
                diagnostics.values(DiagnosticGroup.VALIDATION, ValidationMessages.UNBUILT_TEMPLATE));
        assertFalse(diagnostics.has(DiagnosticGroup.WARNINGS), diagnostics.format());
    }

    @Test
    void leavesOrdinaryDollarAndAtSignsAlone() throws Exception {
        assertEquals("", validate(withJar(Info.valid()
                .string("NSHumanReadableCopyright", "Copyright 2024 Example, support@example.com, price $5")
                .string("CFBundleShortVersionString", "1.2.3"))));
    }

    // ---- departures from Apple ----

    @Test
    void neverReportsOwnershipOrPermissions() throws Exception {
        KextBundle bundle = withJar(Info.valid());
        try {
            Files.setPosixFilePermissions(bundle.infoPlistPath(), PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (UnsupportedOperationException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "POSIX permissions are not supported here");
        }
        KextDiagnostics diagnostics = validator.validate(bundle);
        assertFalse(diagnostics.has(DiagnosticGroup.AUTHENTICATION));
        assertTrue(diagnostics.isEmpty(), diagnostics.format());
    }

    @Test
    void validatesStrangeShapesWithoutThrowing() throws Exception {
        Map<String, String> odd = new LinkedHashMap<>();
        odd.put("IOKitPersonalities", "<array><dict/></array>");
        odd.put("OSBundleLibraries", "<string>com.apple.kpi.iokit</string>");
        odd.put("CFBundleExecutable", "<dict/>");
        odd.put("OSBundleRequired", "<true/>");
        odd.put("OSBundleCompatibleVersion", "<data>AAAA</data>");
        Info info = Info.valid();
        odd.forEach(info::raw);
        assertEquals(failures(
                "    Info dictionary property value is of illegal type: ",
                "        OSBundleCompatibleVersion - should be <string>, found <data>",
                "        CFBundleExecutable - should be <string>, found <dict>",
                "        OSBundleLibraries - should be <dict>, found <string>",
                "        OSBundleRequired - should be <string>, found <true/>",
                "        IOKitPersonalities - should be <dict>, found <array>"),
                validate(withoutJar(info)));
    }
}
