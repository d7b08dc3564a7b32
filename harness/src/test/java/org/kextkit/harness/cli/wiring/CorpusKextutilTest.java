package org.kextkit.harness.cli.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.cli.support.CliResult;
import org.kextkit.harness.testing.RealKextCorpus;

/**
 * Run {@code kextkit kextutil -n -t} (the real command line, configuration and services) over every
 * Info.plist of the shared real-kext corpus, and pin what a driver author would see for each file:
 * the exit status, and for a file that can't load the diagnostics that say why.
 *
 * <p>Three runs, one table. <b>As shipped</b>: each corpus project laid out on its own as the files
 * are, plug-ins inside their parent ({@code -d parent} when a plug-in is checked). Most files are
 * build templates, so they stop at the template failure naming the unsubstituted key paths, and
 * their dependencies are not resolved. <b>As built</b>: the build variables that {@code SOURCES.md}
 * records substituted ({@link RealKextCorpus#BUILD_SETTINGS}), every file checked with {@code -r}
 * over the whole built corpus so that dependencies between projects (Lilu plug-ins on Lilu, drivers
 * on the corpus's Apple families) resolve; once with {@code kextkit.arch=x86_64} and once with
 * {@code arm64}, where kexts whose only 64-bit-clean libraries are {@code OSBundleLibraries_x86_64}
 * fall back to the legacy {@code com.apple.kernel.6.0}.
 *
 * <p>Failure diagnostics (validation, authentication, dependency resolution, boot level) must match
 * the table exactly; warnings are only checked where a row names them (the bundle package's
 * {@code RealKextCorpusTest} pins every file's warnings).
 */
class CorpusKextutilTest {
    private static final String INCLUDING = "including";
    private static final String NOT_INCLUDING = "not including";

    // Diagnostic messages as kextutil prints them.
    private static final String TEMPLATE = "Info.plist is an unbuilt template, not a built kext: these values still hold "
            + "build variables (build the kext so that they are substituted, or replace them with literal values)";
    private static final String NO_KEXTS = "No kexts found for these libraries";
    private static final String INVALID_DEPENDENCY = "Dependencies have validation problems";
    private static final String INCOMPATIBLE = "Only incompatible kexts found for these libraries";
    private static final String INDIRECT = "Indirect dependencies can't be resolved";
    private static final String LEGACY_ON_64_BIT =
            "64-bit kexts must use com.apple.kpi.* libraries, not com.apple.kernel* libraries.";
    private static final String MIXED_STYLES = "Kexts should declare dependencies on either com.apple.kernel* or "
            + "com.apple.kpi.* libraries, not both.";

    // Families kextkit does not ship. The corpus lacks the first four (IOStorageFamily is there only as an
    // unreadable template); it has the last two, but as templates that stay invalid even as built.
    private static final String ACPI = "com.apple.iokit.IOACPIFamily";
    private static final String USB_HOST = "com.apple.iokit.IOUSBHostFamily";
    private static final String STORAGE = "com.apple.iokit.IOStorageFamily";
    private static final String SCSI = "com.apple.iokit.IOSCSIArchitectureModelFamily";
    private static final String HID = "com.apple.iokit.IOHIDFamily";
    private static final String AUDIO = "com.apple.iokit.IOAudioFamily";
    /** The library the acidanthera plug-ins need; from the corpus as built, it loads only on Intel. */
    private static final String LILU = "as.vit9696.Lilu";

    // Key paths that hold build variables in many templates.
    private static final String[] XCODE = {"CFBundleExecutable", "CFBundleIdentifier", "CFBundleName",
        "CFBundleShortVersionString", "CFBundleVersion"};
    private static final String[] VERSIONS = {"CFBundleShortVersionString", "CFBundleVersion"};
    private static final String[] XNU = {"CFBundleGetInfoString", "CFBundleShortVersionString", "CFBundleVersion"};

    // Outcomes (declared before the table, which the static initializer below fills in textual order).
    /** Valid, dependencies resolved, and the executable links against them. */
    private static final Outcome LOADS = new Outcome(0, INCLUDING);
    /** Valid and resolved, with no executable to link: a codeless (personality-only) kext. */
    private static final Outcome CODELESS_LOADS = new Outcome(0, NOT_INCLUDING);
    /** As built, the same as shipped: no build settings are recorded for the file. */
    private static final Outcome UNBUILT = null;
    private static final Diagnostic LEGACY = new Diagnostic(LEGACY_ON_64_BIT, List.of());

    private static final Map<String, Row> TABLE = new TreeMap<>();

    static {
        // Each row: the corpus file, what kextutil -n -t says as shipped, then as built (on Intel; .onArm64 when
        // Apple silicon differs). template(...) lists the key paths the template failure names ("glob xN": N paths);
        // UNBUILT means SOURCES.md records no build settings for the file, so as built it is the same template.
        row("OpenIntelWireless-IntelBluetoothFirmware",
                template("CFBundleDevelopmentRegion", XCODE),                         fails(missing(USB_HOST)));
        row("OpenIntelWireless-itlwm",
                template("CFBundleDevelopmentRegion", XCODE, "CFBundlePackageType"),  LOADS);
        row("RehabMan-USBInjectAll",
                template(XCODE, "CFBundleGetInfoString", "IOKitPersonalities.*.CFBundleIdentifier x322"),
                                                                                      fails(missing(ACPI)));
        row("RehabMan-XHCI-unsupported",                CODELESS_LOADS,               CODELESS_LOADS);
        row("VoodooI2C-VoodooI2C",
                template(XCODE),                         fails(missing(ACPI, "org.coolstar.VoodooGPIO"), invalid(HID)));
        row("VoodooI2C-VoodooI2C/VoodooI2CServices",
                template("CFBundleExecutable", "CFBundleIdentifier", "CFBundleName",
                        personality("VoodooI2CServices", "CFBundleIdentifier"),
                        personality("VoodooI2CLogger", "CFBundleIdentifier")),       LOADS);
        row("acidanthera-AppleALC",
                template(XCODE, personality("ALCUserClientProvider", "CFBundleIdentifier"),
                        personality("as.vit9696.AppleALC", "CFBundleIdentifier", "IOClass", "IOMatchCategory")),
                                                                                      LOADS)
                .onArm64(fails(indirect(LILU)));
        row("acidanthera-AppleALC/PinConfigs",          CODELESS_LOADS,               CODELESS_LOADS);
        row("acidanthera-BrcmBluetoothInjector",        CODELESS_LOADS,               CODELESS_LOADS);
        row("acidanthera-BrcmFirmwareData",
                template(XCODE, "OSBundleCompatibleVersion"),                         LOADS);
        row("acidanthera-BrcmPatchRAM3",
                template(XCODE, "IOKitPersonalities.*.CFBundleIdentifier x100",
                        "OSBundleLibraries.as.acidanthera.BrcmFirmwareStore"),        fails(missing(USB_HOST)));
        row("acidanthera-IntelMausi",
                template(XCODE, personality("IntelMausi", "CFBundleIdentifier", "Driver_Version")), LOADS);
        row("acidanthera-Lilu",
                template(XCODE, personality("as.vit9696.Lilu", "CFBundleIdentifier", "IOClass", "IOMatchCategory")),
                                                                                      LOADS)
                .onArm64(fails(LEGACY).warns(MIXED_STYLES));
        row("acidanthera-VirtualSMC",
                template(XCODE, personality("as.vit9696.VirtualSMC", "CFBundleIdentifier", "IOClass")),
                                                                                      fails(missing(ACPI)))
                .onArm64(fails(missing(ACPI), indirect(LILU), LEGACY).warns(MIXED_STYLES));
        row("acidanthera-VoodooPS2Controller",
                template("CFBundleGetInfoString", "CFBundleIdentifier", VERSIONS, "OSBundleCompatibleVersion"),
                                                                                      fails(missing(ACPI)));
        row("acidanthera-VoodooPS2Controller/VoodooPS2Keyboard",
                template("CFBundleGetInfoString", "CFBundleIdentifier", VERSIONS,
                        "OSBundleLibraries.as.acidanthera.voodoo.driver.PS2Controller"),
                                                   fails(invalid(HID), indirect("as.acidanthera.voodoo.driver.PS2Controller")));
        row("acidanthera-WhateverGreen",
                template(XCODE, personality("as.vit9696.WhateverGreen", "CFBundleIdentifier", "IOClass", "IOMatchCategory"),
                        personality("NVHDAEnabler", "CFBundleIdentifier")),          LOADS)
                .onArm64(fails(indirect(LILU)));
        row("apple-AppleRAID",                          template("CFBundleIdentifier"), fails(missing(STORAGE)));
        row("apple-IOATAFamily",                        LOADS,                        LOADS);
        row("apple-IOATAPIProtocolTransport",           template("CFBundleGetInfoString", VERSIONS), UNBUILT);
        row("apple-IOAudioFamily",
                template("NSHumanReadableCopyright", "CFBundleGetInfoString", VERSIONS), UNBUILT);
        row("apple-IOFireWireFamily",                   template("CFBundleIdentifier"), LOADS);
        row("apple-IOHIDFamily",
                template("CFBundleIdentifier", VERSIONS, "NSHumanReadableCopyright"), template("NSHumanReadableCopyright"));
        row("apple-IOHIDFamily/IOHIDEventDriver",
                template("CFBundleIdentifier", VERSIONS, "NSHumanReadableCopyright"), UNBUILT);
        row("apple-IONetworkingFamily",                 template("CFBundleIdentifier"), LOADS);
        row("apple-IOPCIFamily",                        LOADS,                        LOADS);
        row("apple-IOSCSIParallelFamily",
                fails(missing(SCSI, "com.apple.iokit.IOPCIFamily")),                  fails(missing(SCSI)));
        row("apple-IOSerialFamily",                     LOADS,                        LOADS);
        row("apple-IOStorageFamily",
                unreadable(70, "No kernel extensions found."),                        unreadable(1, null));
        row("apple-IOUSBFamily",                        template(VERSIONS),           LOADS);
        row("apple-IOUSBFamily/AppleUSBEHCI",           template(VERSIONS),           LOADS);
        row("apple-IOUSBFamily/AppleUSBMergeNub",       template(VERSIONS),           UNBUILT);
        row("apple-IOUSBFamily/IOUSBCompositeDriver",   template(VERSIONS),           UNBUILT);
        row("apple-IOUSBMassStorageClass",
                template("CFBundleGetInfoString", VERSIONS),                          template("CFBundleGetInfoString"));
        row("apple-xnu-System",                         template(XNU, "OSBundleCompatibleVersion"), UNBUILT);
        for (String pseudoKext : List.of("BSDKernel", "IOKit", "Libkern", "MACFramework", "Mach", "Private", "Unsupported")) {
            row("apple-xnu-System/" + pseudoKext,       template(XNU),                UNBUILT);
        }
        row("jwise-HoRNDIS",
                template("CFBundleExecutable", "CFBundleIdentifier", "CFBundleName", "CFBundleVersion"),
                                                                                      fails(missing(USB_HOST)));
        row("mattingalls-Soundflower",
                template("CFBundleExecutable", "CFBundleName"),                       fails(incompatible(AUDIO)));
        row("openzfsonosx-zfs",
                fails(missing(STORAGE, "net.lundman.spl")),                           fails(missing(STORAGE, "net.lundman.spl")));
        row("osxfuse-kext",
                template("CFBundleExecutable", "CFBundleIdentifier", "CFBundleVersion",
                        libraries("com.apple.kpi.", "bsd", "iokit", "libkern", "mach", "unsupported")), UNBUILT);
        row("tuntaposx-tap",
                template("CFBundleDevelopmentRegion", "CFBundleExecutable", "CFBundleIdentifier", "CFBundleName",
                        "CFBundlePackageType", "CFBundleShortVersionString", "CFBundleSignature"), UNBUILT);
        row("virtualbox-VBoxDrv",
                template("CFBundleGetInfoString", VERSIONS, "OSBundleCompatibleVersion"), UNBUILT);
        row("virtualbox-VBoxUSB",
                template("CFBundleGetInfoString", VERSIONS, "OSBundleLibraries.org.virtualbox.kext.VBoxDrv",
                        "OSBundleLibraries_x86_64.org.virtualbox.kext.VBoxDrv"), UNBUILT);
    }

    @TempDir
    Path tmp;

    @BeforeEach
    void corpusIsPresent() {
        assumeTrue(RealKextCorpus.isPresent(), RealKextCorpus::absenceMessage);
    }

    @Test
    void asShippedEachProjectOnItsOwn() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("shipped"));
        RealCli cli = RealCli.configured(tmp);
        Map<String, Outcome> expected = new TreeMap<>();
        TABLE.forEach((file, row) -> expected.put(file, row.shipped));
        check(folder, RealKextCorpus.layOut(folder), expected, (kext, target) -> {
            List<String> argv = new ArrayList<>(List.of("kextutil", "-n", "-t"));
            if (!target.equals(kext)) {
                argv.addAll(List.of("-d", folder.relativize(kext).toString()));
            }
            argv.add(folder.relativize(target).toString());
            return cli.run(folder, argv);
        });
    }

    @Test
    void asBuiltWithTheWholeCorpusAsRepositoryOnIntel() throws IOException {
        checkBuilt("x86_64");
    }

    @Test
    void asBuiltWithTheWholeCorpusAsRepositoryOnAppleSilicon() throws IOException {
        checkBuilt("arm64");
    }

    private void checkBuilt(String arch) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("built"));
        RealCli cli = RealCli.configured(tmp, "kextkit.arch=" + arch);
        Map<String, Outcome> expected = new TreeMap<>();
        TABLE.forEach((file, row) -> expected.put(file, row.built(arch)));
        check(folder, RealKextCorpus.layOutBuilt(folder), expected,
                (kext, target) -> cli.run(folder, "kextutil", "-n", "-t", "-r", ".", folder.relativize(target).toString()));
    }

    /** Run kextutil on every laid-out file and compare each result with {@code expected}; report all differences at once. */
    private static void check(Path folder, List<Path> kexts, Map<String, Outcome> expected, Runner runner) throws IOException {
        Map<String, String> mismatches = new TreeMap<>();
        List<String> files = new ArrayList<>();
        for (Path kext : kexts) {
            List<Path> targets = new ArrayList<>();
            targets.add(kext);
            targets.addAll(RealKextCorpus.plugIns(kext));
            for (Path target : targets) {
                String file = RealKextCorpus.name(folder, target);
                files.add(file);
                Outcome outcome = expected.get(file);
                if (outcome == null) {
                    continue;
                }
                CliResult result = runner.run(kext, target);
                String why = outcome.mismatch(result, folder.relativize(target).toString(), target.toString());
                if (why != null) {
                    mismatches.put(file, why + "\n" + indent(result.toString()));
                }
            }
        }
        assertEquals(new ArrayList<>(expected.keySet()), files.stream().sorted().toList(),
                "the corpus and the table list different files");
        if (!mismatches.isEmpty()) {
            StringBuilder message = new StringBuilder(mismatches.size() + " corpus files differ from the table:");
            mismatches.forEach((file, why) -> message.append("\n").append(file).append(": ").append(why));
            fail(message.toString());
        }
    }

    private static String indent(String text) {
        String shown = text.length() > 4000 ? text.substring(0, 4000) + "\n[...]" : text;
        return "    | " + shown.replace("\n", "\n    | ");
    }

    /** Run kextutil on {@code target}, which is {@code kext} itself or one of its plug-ins. */
    @FunctionalInterface
    private interface Runner {
        CliResult run(Path kext, Path target);
    }

    // ---- the table's vocabulary ----

    private static Row row(String file, Outcome shipped, Outcome built) {
        Row row = new Row(shipped, built == UNBUILT ? shipped : built);
        TABLE.put(file, row);
        return row;
    }

    /** The template failure naming these key paths; arguments are paths or arrays of paths. */
    private static Outcome template(Object... paths) {
        List<String> all = new ArrayList<>();
        for (Object path : paths) {
            if (path instanceof String[] array) {
                all.addAll(Arrays.asList(array));
            } else {
                all.add((String) path);
            }
        }
        return fails(new Diagnostic(TEMPLATE, all));
    }

    private static Outcome fails(Diagnostic... diagnostics) {
        Outcome outcome = new Outcome(4, null);
        for (Diagnostic diagnostic : diagnostics) {
            outcome.failures.put(diagnostic.message, diagnostic.values);
        }
        return outcome;
    }

    /** An Info.plist that can't be read: kextutil reports where, then exits with {@code exit}, printing {@code line} if not null. */
    private static Outcome unreadable(int exit, String line) {
        Outcome outcome = new Outcome(exit, null);
        outcome.unreadable = true;
        outcome.unreadableLine = line;
        return outcome;
    }

    private static Diagnostic missing(String... libraries) {
        return new Diagnostic(NO_KEXTS, List.of(libraries));
    }

    private static Diagnostic invalid(String... libraries) {
        return new Diagnostic(INVALID_DEPENDENCY, List.of(libraries));
    }

    private static Diagnostic incompatible(String... libraries) {
        return new Diagnostic(INCOMPATIBLE, List.of(libraries));
    }

    private static Diagnostic indirect(String... libraries) {
        return new Diagnostic(INDIRECT, List.of(libraries));
    }

    private static String[] personality(String name, String... keys) {
        return Arrays.stream(keys).map(key -> "IOKitPersonalities." + name + "." + key).toArray(String[]::new);
    }

    private static String[] libraries(String prefix, String... suffixes) {
        return Arrays.stream(suffixes).map(suffix -> "OSBundleLibraries." + prefix + suffix).toArray(String[]::new);
    }

    /** One diagnostic message with its values (key paths or library identifiers, without notes). */
    private record Diagnostic(String message, List<String> values) {
    }

    /** One file's expectations: as shipped, as built on Intel, and as built on Apple silicon. */
    private static final class Row {
        final Outcome shipped;
        final Outcome builtIntel;
        Outcome builtArm;

        Row(Outcome shipped, Outcome built) {
            this.shipped = shipped;
            this.builtIntel = built;
            this.builtArm = built;
        }

        Row onArm64(Outcome outcome) {
            builtArm = outcome;
            return this;
        }

        Outcome built(String arch) {
            return arch.equals("arm64") ? builtArm : builtIntel;
        }
    }

    /** What kextutil -n -t should print and return for one file. */
    private static final class Outcome {
        private static final Pattern GROUP = Pattern.compile("(Validation Failures|Authentication Failures|"
                + "Dependency Resolution Failures|Warnings|Boot Level Restrictions): ");
        private static final Pattern STACK_FRAME = Pattern.compile("^\\s+at [\\w$.]+\\(.*\\)$", Pattern.MULTILINE);

        final int exit;
        /** "including" or "not including" linkage when the file loads, else {@code null}. */
        final String linkage;
        /** Every failure diagnostic expected: message to values. */
        final Map<String, List<String>> failures = new LinkedHashMap<>();
        final List<String> warnings = new ArrayList<>();
        /** True for a file whose Info.plist can't be read. */
        boolean unreadable;
        /** For a file that can't be read: a line kextutil prints after reporting it, if any. */
        String unreadableLine;

        Outcome(int exit, String linkage) {
            this.exit = exit;
            this.linkage = linkage;
        }

        Outcome warns(String message) {
            warnings.add(message);
            return this;
        }

        /** Return why {@code result} differs from this expectation, or {@code null}. */
        String mismatch(CliResult result, String displayPath, String absolutePath) {
            String all = result.out() + result.err();
            if (STACK_FRAME.matcher(all).find() || all.contains("Exception")) {
                return "it printed a Java stack trace or exception";
            }
            if (result.status() != exit) {
                return "exit status " + result.status() + ", expected " + exit;
            }
            if (!result.out().isEmpty()) {
                return "it printed to standard output";
            }
            Printed printed = Printed.parse(result.err());
            if (unreadable) {
                if (!printed.free.stream().anyMatch(line -> line.contains(absolutePath + "/Contents/Info.plist, line "))) {
                    return "no line reports why its Info.plist can't be read";
                }
                return unreadableLine == null || printed.free.contains(unreadableLine) ? null : "no line '" + unreadableLine + "'";
            }
            for (String warning : warnings) {
                if (!printed.diagnostics.containsKey("Warnings/" + warning)) {
                    return "no warning '" + warning + "'";
                }
            }
            Map<String, List<String>> actualFailures = new LinkedHashMap<>();
            printed.diagnostics.forEach((key, values) -> {
                if (!key.startsWith("Warnings/")) {
                    actualFailures.put(key.substring(key.indexOf('/') + 1), values);
                }
            });
            if (linkage != null) {
                String loadable = displayPath + " appears to be loadable (" + linkage + " linkage for on-disk libraries).";
                if (!actualFailures.isEmpty() || !printed.free.contains(loadable)) {
                    return "expected '" + loadable + "' and no failures, found failures " + actualFailures.keySet();
                }
                return null;
            }
            if (!printed.free.contains("Diagnostics for " + displayPath + ":")) {
                return "no 'Diagnostics for " + displayPath + ":' line";
            }
            if (!actualFailures.keySet().equals(failures.keySet())) {
                return "failures " + actualFailures.keySet() + ", expected " + failures.keySet();
            }
            for (Map.Entry<String, List<String>> failure : failures.entrySet()) {
                String why = compareValues(failure.getValue(), actualFailures.get(failure.getKey()));
                if (why != null) {
                    return failure.getKey() + ": " + why;
                }
            }
            // The error-level lines the resolver logs before the diagnostics (reference §2.4).
            if (failures.containsKey(TEMPLATE)
                    && !printed.free.contains(absolutePath + " is invalid; can't resolve dependencies.")) {
                return "no '<path> is invalid; can't resolve dependencies.' line";
            }
            for (String library : failures.getOrDefault(NO_KEXTS, List.of())) {
                if (printed.free.stream().noneMatch(line -> line.endsWith(" - dependency '" + library + "' not found."))) {
                    return "no '<path> - dependency '" + library + "' not found.' line";
                }
            }
            return null;
        }

        /** Compare value lists as multisets; an expected "glob xN" matches N values, * standing for one or more key path parts. */
        private static String compareValues(List<String> expected, List<String> actual) {
            List<String> remaining = new ArrayList<>(actual);
            List<String> globs = new ArrayList<>();
            for (String value : expected) {
                if (value.matches(".* x\\d+")) {
                    globs.add(value);
                } else if (!remaining.remove(value)) {
                    return "no value " + value + " among " + actual;
                }
            }
            for (String glob : globs) {
                int times = glob.lastIndexOf(" x");
                int count = Integer.parseInt(glob.substring(times + 2));
                String regex = Pattern.quote(glob.substring(0, times)).replace("*", "\\E.+\\Q");
                List<String> matching = remaining.stream().filter(value -> value.matches(regex)).toList();
                if (matching.size() != count) {
                    return count + " values like " + glob.substring(0, times) + " expected, found " + matching.size();
                }
                remaining.removeAll(matching);
            }
            return remaining.isEmpty() ? null : "unexpected values " + remaining;
        }
    }

    /**
     * Stderr split into the diagnostics blocks ({@code Group/message} to the values printed under
     * it, notes after {@code " - "} dropped) and every other line.
     */
    private record Printed(Map<String, List<String>> diagnostics, List<String> free) {
        static Printed parse(String err) {
            Map<String, List<String>> diagnostics = new LinkedHashMap<>();
            List<String> free = new ArrayList<>();
            String group = null;
            List<String> values = null;
            for (String line : err.split("\n")) {
                Matcher heading = Outcome.GROUP.matcher(line);
                if (heading.matches()) {
                    group = heading.group(1);
                } else if (group != null && line.startsWith("        ") && values != null) {
                    String value = line.substring(8);
                    int note = value.indexOf(" - ");
                    values.add(note < 0 ? value : value.substring(0, note));
                } else if (group != null && line.startsWith("    ")) {
                    String message = line.substring(4);
                    message = message.endsWith(": ") ? message.substring(0, message.length() - 2) : message;
                    values = new ArrayList<>();
                    diagnostics.put(group + "/" + message, values);
                } else {
                    group = null;
                    values = null;
                    if (!line.isEmpty()) {
                        free.add(line);
                    }
                }
            }
            return new Printed(diagnostics, free);
        }
    }
}
