package org.kextkit.harness.testing;

import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.kextkit.harness.bundle.InfoPlistException;
import org.kextkit.harness.bundle.InfoPlistReader;
import org.kextkit.harness.bundle.KextBundleWriter;
import org.kextkit.harness.bundle.internal.TemplateText;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Lay out the shared corpus of real-world Info.plists ({@code shared/corpus/real-kexts}, described
 * by its {@code SOURCES.md}) as kext bundles, for the tests that run it through the reader, the
 * resolver and the commands.
 *
 * <p>Each corpus folder {@code F} becomes {@code F.kext/Contents/Info.plist}; its {@code PlugIns/P.kext/Info.plist}
 * files become {@code F.kext/Contents/PlugIns/P.kext/Contents/Info.plist}. Wherever
 * {@code CFBundleExecutable} is a literal name (not an unbuilt build variable), a small jar holding one
 * empty class is written at {@code Contents/MacOS/<name>}, so that the executable exists and links.
 * The corpus files themselves are only read, never changed.
 *
 * <p>{@link #layOutBuilt} lays the corpus out as its projects' builds would have produced it: the
 * build variables whose values {@code SOURCES.md} records (from each project's Xcode settings) are
 * substituted, see {@link #BUILD_SETTINGS}. Variables with no recorded value stay as they are, so
 * those files remain unbuilt templates.
 */
public final class RealKextCorpus {
    /** The corpus, relative to the harness module (which sits one level below the repository root, beside {@code ../shared}). */
    public static final Path DIRECTORY = Path.of("..", "..", "shared", "corpus", "real-kexts");

    /**
     * The build settings of each corpus file (named as {@link #name} does) whose values
     * {@code SOURCES.md} records. {@code PRODUCT_NAME} and {@code EXECUTABLE_NAME} are Xcode's
     * defaults, the target's name; {@code DEVELOPMENT_LANGUAGE} and {@code PRODUCT_BUNDLE_PACKAGE_TYPE}
     * are Xcode's defaults for a kext target. Not listed, and so left unbuilt: values only Apple's
     * or the project's own build knows (xnu's kernel version, VirtualBox and osxfuse versions, Apple
     * copyright strings, tuntap's Makefile variables).
     */
    public static final Map<String, Map<String, String>> BUILD_SETTINGS = buildSettings();

    private static Map<String, Map<String, String>> buildSettings() {
        Map<String, Map<String, String>> all = new TreeMap<>();
        all.put("acidanthera-Lilu", xcode("Lilu", "as.vit9696.Lilu", "MODULE_VERSION", "1.7.2"));
        all.put("acidanthera-VirtualSMC", xcode("VirtualSMC", "as.vit9696.VirtualSMC", "MODULE_VERSION", "1.3.8"));
        all.put("acidanthera-WhateverGreen", xcode("WhateverGreen", "as.vit9696.WhateverGreen", "MODULE_VERSION", "1.7.1"));
        all.put("acidanthera-AppleALC", xcode("AppleALC", "as.vit9696.AppleALC", "MODULE_VERSION", "1.9.8"));
        all.put("acidanthera-IntelMausi", xcode("IntelMausi", "as.acidanthera.mieze.IntelMausi", "MODULE_VERSION", "1.0.9"));
        all.put("acidanthera-VoodooPS2Controller", Map.of("PRODUCT_BUNDLE_IDENTIFIER",
                "as.acidanthera.voodoo.driver.PS2Controller", "MODULE_VERSION", "2.3.8"));
        all.put("acidanthera-VoodooPS2Controller/VoodooPS2Keyboard", Map.of("PRODUCT_BUNDLE_IDENTIFIER",
                "as.acidanthera.voodoo.driver.PS2Keyboard", "MODULE_VERSION", "2.3.8"));
        all.put("acidanthera-BrcmPatchRAM3", xcode("BrcmPatchRAM3", "as.acidanthera.BrcmPatchRAM3",
                "CURRENT_PROJECT_VERSION", "2.7.3"));
        all.put("acidanthera-BrcmFirmwareData", xcode("BrcmFirmwareData", "as.acidanthera.BrcmFirmwareStore",
                "CURRENT_PROJECT_VERSION", "2.7.3"));
        all.put("VoodooI2C-VoodooI2C", xcode("VoodooI2C", "com.alexandred.VoodooI2C",
                "MARKETING_VERSION", "2.9.1", "CURRENT_PROJECT_VERSION", "2.9.1"));
        all.put("VoodooI2C-VoodooI2C/VoodooI2CServices", xcode("VoodooI2CServices", "com.alexandred.VoodooI2CServices"));
        all.put("RehabMan-USBInjectAll", xcode("USBInjectAll", "com.rehabman.driver.USBInjectAll",
                "MODULE_NAME", "com.rehabman.driver.USBInjectAll", "MODULE_VERSION", "0.7.1"));
        all.put("OpenIntelWireless-itlwm", xcode("itlwm", "com.zxystd.itlwm", "MODULE_VERSION", "2.4.0",
                "DEVELOPMENT_LANGUAGE", "en", "PRODUCT_BUNDLE_PACKAGE_TYPE", "KEXT"));
        all.put("OpenIntelWireless-IntelBluetoothFirmware", xcode("IntelBluetoothFirmware",
                "com.zxystd.IntelBluetoothFirmware", "MODULE_VERSION", "2.5.0", "DEVELOPMENT_LANGUAGE", "en"));
        all.put("jwise-HoRNDIS", xcode("HoRNDIS", "com.joshuawise.kexts.HoRNDIS", "MODULE_VERSION", "9.2"));
        all.put("mattingalls-Soundflower", xcode("Soundflower", "com.Cycling74.driver.Soundflower"));
        all.put("apple-AppleRAID", Map.of("PRODUCT_BUNDLE_IDENTIFIER", "com.apple.driver.AppleRAID"));
        all.put("apple-IOFireWireFamily", Map.of("PRODUCT_BUNDLE_IDENTIFIER", "com.apple.iokit.IOFireWireFamily"));
        all.put("apple-IONetworkingFamily", Map.of("PRODUCT_BUNDLE_IDENTIFIER", "com.apple.iokit.IONetworkingFamily"));
        all.put("apple-IOHIDFamily", Map.of("PRODUCT_BUNDLE_IDENTIFIER", "com.apple.iokit.IOHIDFamily",
                "IOHIDFAMILY_VERSION", "2.0.0"));
        all.put("apple-IOUSBFamily", Map.of("IOUSBFAMILY_VERSION", "630.4.5"));
        all.put("apple-IOUSBFamily/AppleUSBEHCI", Map.of("APPLEUSBEHCI_VERSION", "621.4.6"));
        all.put("apple-IOUSBMassStorageClass", Map.of("IO_USB_MASS_STORAGE_CLASS_MODULE_VERSION", "4.0.4"));
        return Collections.unmodifiableMap(all);
    }

    /** Return an Xcode target's settings: product and executable {@code name}, bundle identifier, and more pairs. */
    private static Map<String, String> xcode(String name, String bundleId, String... more) {
        Map<String, String> settings = new TreeMap<>();
        settings.put("PRODUCT_NAME", name);
        settings.put("EXECUTABLE_NAME", name);
        settings.put("PRODUCT_BUNDLE_IDENTIFIER", bundleId);
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    private RealKextCorpus() {
    }

    /** Return true if the corpus is present beside this clone. */
    public static boolean isPresent() {
        return Files.isDirectory(DIRECTORY);
    }

    /** Explain, for a skipped test, where the corpus was looked for. */
    public static String absenceMessage() {
        return "the shared real-kext corpus is not at " + DIRECTORY.toAbsolutePath().normalize()
                + " (../shared beside the repository root; it exists only in the kextkit workspace)";
    }

    /**
     * Write every corpus folder into {@code repository} as {@code <folder>.kext}, with its plug-ins
     * and jars, and return the top-level kexts sorted by name.
     */
    public static List<Path> layOut(Path repository) throws IOException {
        return layOut(repository, false);
    }

    /**
     * Like {@link #layOut}, but with the recorded {@link #BUILD_SETTINGS} substituted into each
     * Info.plist, as the project's build would have done.
     */
    public static List<Path> layOutBuilt(Path repository) throws IOException {
        return layOut(repository, true);
    }

    private static List<Path> layOut(Path repository, boolean built) throws IOException {
        List<Path> kexts = new ArrayList<>();
        try (Stream<Path> folders = Files.list(DIRECTORY)) {
            for (Path folder : (Iterable<Path>) folders.filter(Files::isDirectory).sorted()::iterator) {
                Path kext = repository.resolve(folder.getFileName() + ".kext");
                install(folder.resolve("Info.plist"), kext, settings(built, repository, kext));
                Path plugIns = folder.resolve("PlugIns");
                if (Files.isDirectory(plugIns)) {
                    try (Stream<Path> nested = Files.list(plugIns)) {
                        for (Path plugIn : (Iterable<Path>) nested.sorted()::iterator) {
                            Path nestedKext = kext.resolve("Contents/PlugIns").resolve(plugIn.getFileName());
                            install(plugIn.resolve("Info.plist"), nestedKext, settings(built, repository, nestedKext));
                        }
                    }
                }
                kexts.add(kext);
            }
        }
        return kexts;
    }

    /** Return the plug-ins laid out inside {@code kext}, sorted by name. */
    public static List<Path> plugIns(Path kext) throws IOException {
        Path folder = kext.resolve("Contents/PlugIns");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> nested = Files.list(folder)) {
            return nested.sorted().toList();
        }
    }

    /**
     * Name a laid-out bundle by its corpus file: {@code folder} for a top-level kext, {@code folder/PlugIn}
     * for a plug-in.
     */
    public static String name(Path repository, Path bundle) {
        String relative = repository.relativize(bundle).toString().replace('\\', '/');
        return relative.replace(".kext/Contents/PlugIns/", "/").replaceAll("\\.kext$", "");
    }

    private static Map<String, String> settings(boolean built, Path repository, Path kext) {
        return built ? BUILD_SETTINGS.getOrDefault(name(repository, kext), Map.of()) : Map.of();
    }

    private static void install(Path infoPlist, Path kext, Map<String, String> settings) throws IOException {
        Path contents = Files.createDirectories(kext.resolve("Contents"));
        Path installed = contents.resolve("Info.plist");
        if (settings.isEmpty()) {
            Files.copy(infoPlist, installed);
        } else {
            Files.writeString(installed, substitute(Files.readString(infoPlist, StandardCharsets.UTF_8), settings),
                    StandardCharsets.UTF_8);
        }
        String executable;
        try {
            NSObject value = new InfoPlistReader().read(installed).objectForKey("CFBundleExecutable");
            executable = value instanceof NSString ? ((NSString) value).getContent() : null;
        } catch (InfoPlistException e) {
            return; // whoever reads the bundle reports it
        }
        if (executable != null && !executable.isEmpty() && TemplateText.explicitVariable(executable) == null) {
            String className = "corpus." + executable.replaceAll("[^A-Za-z0-9]", "") + ".Placeholder";
            Path jar = Files.createDirectories(contents.resolve("MacOS")).resolve(executable);
            Files.write(jar, KextBundleWriter.jar(Map.of(className, emptyClass(className)), null));
        }
    }

    /**
     * Replace each setting's build variables in {@code text} as the projects' builds do: Xcode's
     * {@code $(NAME)}, {@code ${NAME}}, {@code $NAME} and the {@code :rfc1034identifier} modifier,
     * {@code @NAME@}, {@code @@NAME@@}, {@code ###NAME###}, and the bare C-preprocessor macro {@code NAME}.
     */
    static String substitute(String text, Map<String, String> settings) {
        String result = text;
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String name = setting.getKey();
            String value = setting.getValue();
            String rfc1034 = value.replaceAll("[^A-Za-z0-9]", "-");
            result = result.replace("$(" + name + ":rfc1034identifier)", rfc1034)
                    .replace("${" + name + ":rfc1034identifier}", rfc1034)
                    .replace("$(" + name + ")", value)
                    .replace("${" + name + "}", value)
                    .replace("@@" + name + "@@", value)
                    .replace("###" + name + "###", value)
                    .replace("@" + name + "@", value)
                    .replaceAll("\\$" + name + "(?![A-Za-z0-9_])", Matcher.quoteReplacement(value))
                    .replaceAll("(?<![A-Za-z0-9_])" + name + "(?![A-Za-z0-9_])", Matcher.quoteReplacement(value));
        }
        return result;
    }

    /** Return the bytes of an empty public class with the given binary name. */
    private static byte[] emptyClass(String binaryName) {
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, binaryName.replace('.', '/'), null,
                "java/lang/Object", null);
        writer.visitEnd();
        return writer.toByteArray();
    }
}
