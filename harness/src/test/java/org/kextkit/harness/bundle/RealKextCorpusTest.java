package org.kextkit.harness.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.kextkit.harness.bundle.ValidationMessages.CODELESS_WITH_LIBRARIES;
import static org.kextkit.harness.bundle.ValidationMessages.NONUNIQUE_IORESOURCES_MATCH;
import static org.kextkit.harness.bundle.ValidationMessages.PERSONALITY_DIFFERENT_BUNDLE_IDENTIFIER;
import static org.kextkit.harness.bundle.ValidationMessages.UNBUILT_TEMPLATE;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.diagnostics.DiagnosticGroup;
import org.kextkit.harness.diagnostics.KextDiagnostics;
import org.kextkit.harness.testing.RealKextCorpus;

/**
 * Read and validate every real-world Info.plist in {@code shared/corpus/real-kexts} (see its
 * {@code SOURCES.md}), laid out as kexts with their plug-ins and a small jar wherever the
 * executable name is literal, and pin each file's outcome: which key paths hold unbuilt template
 * text, which files validate cleanly, and which warnings they earn.
 */
class RealKextCorpusTest {
    // Template paths are listed in document order; "glob xN" stands for N paths matching the glob.
    private static final Map<String, Outcome> EXPECTED = new TreeMap<>();

    static {
        String[] xcode = {"CFBundleExecutable", "CFBundleIdentifier", "CFBundleName", "CFBundleShortVersionString", "CFBundleVersion"};
        expect("OpenIntelWireless-IntelBluetoothFirmware", template(concat(new String[] {"CFBundleDevelopmentRegion"}, xcode)));
        expect("OpenIntelWireless-itlwm", template("CFBundleDevelopmentRegion", "CFBundleExecutable", "CFBundleIdentifier",
                "CFBundleName", "CFBundlePackageType", "CFBundleShortVersionString", "CFBundleVersion"));
        expect("RehabMan-USBInjectAll", template("CFBundleExecutable", "CFBundleGetInfoString", "CFBundleIdentifier",
                "CFBundleName", "CFBundleShortVersionString", "CFBundleVersion", "IOKitPersonalities.*.CFBundleIdentifier x322"));
        expect("RehabMan-XHCI-unsupported", clean().warn(PERSONALITY_DIFFERENT_BUNDLE_IDENTIFIER, 4));
        expect("VoodooI2C-VoodooI2C", template(xcode));
        expect("VoodooI2C-VoodooI2C/VoodooI2CServices", template("CFBundleExecutable", "CFBundleIdentifier", "CFBundleName",
                "IOKitPersonalities.VoodooI2CServices.CFBundleIdentifier", "IOKitPersonalities.VoodooI2CLogger.CFBundleIdentifier"));
        expect("acidanthera-AppleALC", template(concat(xcode, "IOKitPersonalities.ALCUserClientProvider.CFBundleIdentifier",
                "IOKitPersonalities.as.vit9696.AppleALC.CFBundleIdentifier", "IOKitPersonalities.as.vit9696.AppleALC.IOClass",
                "IOKitPersonalities.as.vit9696.AppleALC.IOMatchCategory")));
        expect("acidanthera-AppleALC/PinConfigs", clean().warn(PERSONALITY_DIFFERENT_BUNDLE_IDENTIFIER, 1));
        expect("acidanthera-BrcmBluetoothInjector", clean().warn(PERSONALITY_DIFFERENT_BUNDLE_IDENTIFIER, 98));
        expect("acidanthera-BrcmFirmwareData", template(concat(xcode, "OSBundleCompatibleVersion")));
        expect("acidanthera-BrcmPatchRAM3", template(concat(xcode, "IOKitPersonalities.*.CFBundleIdentifier x100",
                "OSBundleLibraries.as.acidanthera.BrcmFirmwareStore")));
        expect("acidanthera-IntelMausi", template(concat(xcode, "IOKitPersonalities.IntelMausi.CFBundleIdentifier",
                "IOKitPersonalities.IntelMausi.Driver_Version")));
        expect("acidanthera-Lilu", template(concat(xcode, "IOKitPersonalities.as.vit9696.Lilu.CFBundleIdentifier",
                "IOKitPersonalities.as.vit9696.Lilu.IOClass", "IOKitPersonalities.as.vit9696.Lilu.IOMatchCategory")));
        expect("acidanthera-VirtualSMC", template(concat(xcode, "IOKitPersonalities.as.vit9696.VirtualSMC.CFBundleIdentifier",
                "IOKitPersonalities.as.vit9696.VirtualSMC.IOClass")));
        expect("acidanthera-VoodooPS2Controller", template("CFBundleGetInfoString", "CFBundleIdentifier",
                "CFBundleShortVersionString", "CFBundleVersion", "OSBundleCompatibleVersion"));
        expect("acidanthera-VoodooPS2Controller/VoodooPS2Keyboard", template("CFBundleGetInfoString", "CFBundleIdentifier",
                "CFBundleShortVersionString", "CFBundleVersion", "OSBundleLibraries.as.acidanthera.voodoo.driver.PS2Controller"));
        expect("acidanthera-WhateverGreen", template(concat(xcode, "IOKitPersonalities.as.vit9696.WhateverGreen.CFBundleIdentifier",
                "IOKitPersonalities.as.vit9696.WhateverGreen.IOClass", "IOKitPersonalities.as.vit9696.WhateverGreen.IOMatchCategory",
                "IOKitPersonalities.NVHDAEnabler.CFBundleIdentifier")));
        expect("apple-AppleRAID", template("CFBundleIdentifier"));
        expect("apple-IOATAFamily", clean());
        expect("apple-IOATAPIProtocolTransport", template("CFBundleGetInfoString", "CFBundleShortVersionString", "CFBundleVersion"));
        expect("apple-IOAudioFamily", template("NSHumanReadableCopyright", "CFBundleGetInfoString", "CFBundleVersion",
                "CFBundleShortVersionString"));
        expect("apple-IOFireWireFamily", template("CFBundleIdentifier"));
        expect("apple-IOHIDFamily", template("CFBundleIdentifier", "CFBundleShortVersionString", "CFBundleVersion",
                "NSHumanReadableCopyright").warn(NONUNIQUE_IORESOURCES_MATCH, 1));
        expect("apple-IOHIDFamily/IOHIDEventDriver", template("CFBundleIdentifier", "CFBundleShortVersionString",
                "CFBundleVersion", "NSHumanReadableCopyright").warn(CODELESS_WITH_LIBRARIES, 0));
        expect("apple-IONetworkingFamily", template("CFBundleIdentifier"));
        expect("apple-IOPCIFamily", clean());
        expect("apple-IOSCSIParallelFamily", clean());
        expect("apple-IOSerialFamily", clean());
        expect("apple-IOStorageFamily", unreadable("line 25, column 1, inside key path IOKitPersonalities: "
                + "C-preprocessor directive '#if TARGET_OS_OSX' between elements: this Info.plist is an unbuilt template"));
        expect("apple-IOUSBFamily", template("CFBundleShortVersionString", "CFBundleVersion"));
        expect("apple-IOUSBFamily/AppleUSBEHCI", template("CFBundleShortVersionString", "CFBundleVersion"));
        expect("apple-IOUSBFamily/AppleUSBMergeNub", template("CFBundleShortVersionString", "CFBundleVersion"));
        expect("apple-IOUSBFamily/IOUSBCompositeDriver", template("CFBundleShortVersionString", "CFBundleVersion"));
        expect("apple-IOUSBMassStorageClass", template("CFBundleGetInfoString", "CFBundleShortVersionString", "CFBundleVersion"));
        expect("apple-xnu-System", template("CFBundleGetInfoString", "CFBundleShortVersionString", "CFBundleVersion",
                "OSBundleCompatibleVersion"));
        for (String pseudo : List.of("BSDKernel", "IOKit", "Libkern", "MACFramework", "Mach", "Private", "Unsupported")) {
            expect("apple-xnu-System/" + pseudo, template("CFBundleGetInfoString", "CFBundleShortVersionString", "CFBundleVersion"));
        }
        expect("jwise-HoRNDIS", template("CFBundleExecutable", "CFBundleIdentifier", "CFBundleName", "CFBundleVersion"));
        expect("mattingalls-Soundflower", template("CFBundleExecutable", "CFBundleName"));
        expect("openzfsonosx-zfs", clean());
        expect("osxfuse-kext", template("CFBundleExecutable", "CFBundleIdentifier", "CFBundleVersion",
                "OSBundleLibraries.com.apple.kpi.bsd", "OSBundleLibraries.com.apple.kpi.iokit", "OSBundleLibraries.com.apple.kpi.libkern",
                "OSBundleLibraries.com.apple.kpi.mach", "OSBundleLibraries.com.apple.kpi.unsupported"));
        expect("tuntaposx-tap", template("CFBundleDevelopmentRegion", "CFBundleExecutable", "CFBundleIdentifier", "CFBundleName",
                "CFBundlePackageType", "CFBundleShortVersionString", "CFBundleSignature"));
        expect("virtualbox-VBoxDrv", template("CFBundleGetInfoString", "CFBundleVersion", "CFBundleShortVersionString",
                "OSBundleCompatibleVersion"));
        expect("virtualbox-VBoxUSB", template("CFBundleVersion", "CFBundleShortVersionString", "CFBundleGetInfoString",
                "OSBundleLibraries.org.virtualbox.kext.VBoxDrv", "OSBundleLibraries_x86_64.org.virtualbox.kext.VBoxDrv"));
    }

    @Test
    void everyCorpusInfoPlistReadsAndValidatesToItsKnownOutcome(@TempDir Path repository) throws IOException {
        assumeTrue(RealKextCorpus.isPresent(), RealKextCorpus::absenceMessage);
        RealKextCorpus.layOut(repository);

        ScanResult result = new BundleScanner(KextFixtures.reader(), new KextBundleValidator()).scan(repository);

        Map<String, Outcome> actual = new TreeMap<>();
        for (BundleProblem problem : result.problems()) {
            actual.put(RealKextCorpus.name(repository, problem.path()), Outcome.problem(problem.message()));
        }
        for (KextBundle bundle : result.bundles()) {
            actual.put(RealKextCorpus.name(repository, bundle.path()), Outcome.of(bundle.diagnostics()));
        }
        assertEquals(EXPECTED.keySet(), actual.keySet(), "the corpus and the table list different files");
        List<String> mismatches = new ArrayList<>();
        EXPECTED.forEach((name, expected) -> {
            String why = expected.mismatch(actual.get(name));
            if (why != null) {
                mismatches.add(name + ": " + why);
            }
        });
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " corpus files differ from the table:\n  " + String.join("\n  ", mismatches));
        }
    }

    // ---- the table's vocabulary ----

    private static void expect(String name, Outcome outcome) {
        EXPECTED.put(name, outcome);
    }

    private static Outcome clean() {
        return new Outcome(List.of(), null);
    }

    private static Outcome template(String... paths) {
        return new Outcome(List.of(paths), null);
    }

    private static Outcome unreadable(String messagePart) {
        return new Outcome(List.of(), messagePart);
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    /**
     * One row: the template key paths (the only Validation Failure expected), the warnings by
     * message with their value counts, or the problem text when the file can't be read.
     */
    private static final class Outcome {
        final List<String> templatePaths;
        final String problem;
        final Map<String, Integer> warnings = new LinkedHashMap<>();
        KextDiagnostics diagnostics;

        Outcome(List<String> templatePaths, String problem) {
            this.templatePaths = templatePaths;
            this.problem = problem;
        }

        Outcome warn(String message, int values) {
            warnings.put(message, values);
            return this;
        }

        static Outcome problem(String message) {
            return new Outcome(List.of(), message);
        }

        static Outcome of(KextDiagnostics diagnostics) {
            Outcome outcome = new Outcome(List.of(), null);
            outcome.diagnostics = diagnostics;
            return outcome;
        }

        /** Return why {@code actual} differs from this expectation, or {@code null}. */
        String mismatch(Outcome actual) {
            if (problem != null) {
                if (actual.problem == null || !actual.problem.contains(problem)) {
                    return "expected the read problem '" + problem + "', got " + (actual.problem != null ? actual.problem : actual.diagnostics.format());
                }
                return null;
            }
            if (actual.problem != null) {
                return "expected it to read, got " + actual.problem;
            }
            KextDiagnostics d = actual.diagnostics;
            List<String> failures = d.messages(DiagnosticGroup.VALIDATION);
            List<String> otherFailures = new ArrayList<>(failures);
            otherFailures.remove(UNBUILT_TEMPLATE);
            if (!otherFailures.isEmpty()) {
                return "unexpected validation failures " + otherFailures + ":\n" + d.format();
            }
            List<String> flagged = new ArrayList<>();
            for (String value : d.values(DiagnosticGroup.VALIDATION, UNBUILT_TEMPLATE)) {
                flagged.add(value.substring(0, value.indexOf(" - ")));
            }
            String templates = compareTemplates(flagged);
            if (templates != null) {
                return templates;
            }
            Map<String, Integer> actualWarnings = new LinkedHashMap<>();
            for (String message : d.messages(DiagnosticGroup.WARNINGS)) {
                actualWarnings.put(message, d.values(DiagnosticGroup.WARNINGS, message).size());
            }
            if (!actualWarnings.equals(warnings)) {
                return "warnings " + actualWarnings + ", expected " + warnings;
            }
            return null;
        }

        private String compareTemplates(List<String> flagged) {
            List<String> remaining = new ArrayList<>(flagged);
            List<String> exact = new ArrayList<>();
            for (String spec : templatePaths) {
                int times = spec.lastIndexOf(" x");
                if (times < 0) {
                    exact.add(spec);
                    continue;
                }
                String glob = spec.substring(0, times);
                int count = Integer.parseInt(spec.substring(times + 2));
                String regex = "\\Q" + glob.replace("*", "\\E[^.]+(?:\\.[^.]+)*?\\Q") + "\\E";
                List<String> matching = remaining.stream().filter(p -> p.matches(regex)).toList();
                if (matching.size() != count) {
                    return count + " template paths like " + glob + " expected, found " + matching.size();
                }
                remaining.removeAll(matching);
            }
            if (!remaining.equals(exact)) {
                return "template paths " + remaining + ", expected " + exact;
            }
            return null;
        }
    }
}
