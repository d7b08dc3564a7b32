package org.kextkit.family.pci.machine;

import com.example.echodriver.EchoDriver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Write {@code EchoDriver.kext}: a kext bundle whose jar holds {@link EchoDriver} and whose
 * personality matches the echo DMA engine (vendor 0x1234, device 0x0ed1) through the PCI family.
 */
final class EchoDriverKext {
    static final String BUNDLE_ID = "com.example.EchoDriver";
    static final String PERSONALITY = "EchoEngine";

    private EchoDriverKext() {
    }

    /** Write the bundle into {@code dir} and return its path. */
    static Path write(Path dir) {
        return write(dir, "EchoDriver.kext", true);
    }

    /**
     * Write the bundle as {@code name} into {@code dir}; without {@code declareFamily} its
     * {@code OSBundleLibraries} leave out {@code com.apple.iokit.IOPCIFamily}, whose classes it uses.
     */
    static Path write(Path dir, String name, boolean declareFamily) {
        Path kext = dir.resolve(name);
        Path contents = kext.resolve("Contents");
        try {
            Files.createDirectories(contents.resolve("MacOS"));
            String plist = declareFamily ? INFO_PLIST
                    : INFO_PLIST.replace("<key>com.apple.iokit.IOPCIFamily</key><string>2.9</string>", "");
            Files.writeString(contents.resolve("Info.plist"), plist, StandardCharsets.UTF_8);
            String entry = EchoDriver.class.getName().replace('.', '/') + ".class";
            try (OutputStream file = Files.newOutputStream(contents.resolve("MacOS/EchoDriver"));
                    JarOutputStream jar = new JarOutputStream(file);
                    InputStream classFile = EchoDriver.class.getClassLoader().getResourceAsStream(entry)) {
                jar.putNextEntry(new JarEntry(entry));
                classFile.transferTo(jar);
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return kext;
    }

    private static final String INFO_PLIST = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            <dict>
                <key>CFBundleExecutable</key><string>EchoDriver</string>
                <key>CFBundleIdentifier</key><string>com.example.EchoDriver</string>
                <key>CFBundleInfoDictionaryVersion</key><string>6.0</string>
                <key>CFBundleName</key><string>EchoDriver</string>
                <key>CFBundlePackageType</key><string>KEXT</string>
                <key>CFBundleVersion</key><string>1.0.0</string>
                <key>IOKitPersonalities</key>
                <dict>
                    <key>EchoEngine</key>
                    <dict>
                        <key>CFBundleIdentifier</key><string>com.example.EchoDriver</string>
                        <key>IOClass</key><string>com_example_echodriver_EchoDriver</string>
                        <key>IOProviderClass</key><string>IOPCIDevice</string>
                        <key>IOPCIMatch</key><string>0x0ed11234</string>
                    </dict>
                </dict>
                <key>OSBundleLibraries</key>
                <dict>
                    <key>com.apple.iokit.IOPCIFamily</key><string>2.9</string>
                    <key>com.apple.kpi.iokit</key><string>8.0.0</string>
                    <key>com.apple.kpi.libkern</key><string>8.0.0</string>
                </dict>
            </dict>
            </plist>
            """;
}
