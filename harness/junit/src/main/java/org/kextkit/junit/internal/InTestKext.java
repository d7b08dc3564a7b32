package org.kextkit.junit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.bundle.KextExecutable;
import org.kextkit.harness.lifecycle.HostedKernel;

/**
 * A kext a test builds from an Info.plist string and classes of its own class path. Only the classes'
 * bytes are taken: the kernel defines them again in the kext's isolated, instrumented loader, with
 * their nested and anonymous classes.
 */
public final class InTestKext implements KextSource {
    private static final Pattern IDENTIFIER = Pattern.compile("<key>CFBundleIdentifier</key>\\s*<string>([^<]+)</string>");
    private static final ConcurrentMap<List<Class<?>>, KextExecutable> EXECUTABLES = new ConcurrentHashMap<>();

    private final String infoPlist;
    private final List<Class<?>> classes;

    /** A kext with this Info.plist XML whose executable holds {@code classes}. */
    public InTestKext(String infoPlist, List<Class<?>> classes) {
        if (classes.isEmpty()) {
            throw new ExtensionConfigurationException("KernelExtension.builder().kext(infoPlist, classes...) needs at"
                    + " least one class: the kext's executable is made of them");
        }
        this.infoPlist = infoPlist;
        this.classes = List.copyOf(classes);
    }

    @Override
    public KextBundle addTo(HostedKernel kernel) {
        KextExecutable executable = EXECUTABLES.computeIfAbsent(classes, InTestKext::executableOf);
        Matcher id = IDENTIFIER.matcher(infoPlist);
        String name = id.find() ? id.group(1).strip() : classes.get(0).getSimpleName();
        Path bundle = Path.of("in-test", name + ".kext");
        return KextSource.validated(kernel.addKext(bundle, bundle.resolve("Contents/Info.plist"),
                infoPlist.getBytes(StandardCharsets.UTF_8), executable), name + " (built in the test)");
    }

    private static KextExecutable executableOf(List<Class<?>> classes) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        for (Class<?> c : classes) {
            bytes.put(c.getName(), bytesOf(c));
            // Its own nested, local and anonymous classes, which javac lists as members of its nest.
            for (Class<?> member : c.getNestHost().getNestMembers()) {
                if (member.getName().startsWith(c.getName() + "$")) {
                    bytes.put(member.getName(), bytesOf(member));
                }
            }
        }
        return KextExecutable.fromClasses(locationOf(classes.get(0)), bytes, null);
    }

    private static byte[] bytesOf(Class<?> c) {
        String resource = c.getName().replace('.', '/') + ".class";
        ClassLoader loader = c.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : c.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ExtensionConfigurationException("kextkit can't read the bytes of " + c.getName() + " ("
                        + resource + " is not on the test class path); a kext built in a test is made of compiled"
                        + " classes, not generated ones");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ExtensionConfigurationException("kextkit can't read " + resource + " (" + e.getMessage() + ")", e);
        }
    }

    private static Path locationOf(Class<?> c) {
        CodeSource source = c.getProtectionDomain().getCodeSource();
        try {
            return source == null ? Path.of(c.getName()) : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Path.of(c.getName());
        }
    }
}
