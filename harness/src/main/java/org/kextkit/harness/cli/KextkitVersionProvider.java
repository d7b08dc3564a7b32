package org.kextkit.harness.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * Print kextkit's version and the hosted kernel's version and architecture for {@code kextkit -V}.
 *
 * <p>The version comes from the jar's Maven metadata; a build run from class directories, which has
 * none, says {@code development build}.
 */
public final class KextkitVersionProvider implements IVersionProvider {
    private static final String POM_PROPERTIES = "/META-INF/maven/org.kextkit/kextkit-harness/pom.properties";

    private final CliContext context;

    /** Create the provider for one invocation. */
    public KextkitVersionProvider(CliInvocation invocation) {
        this.context = invocation.context();
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "kextkit " + kextkitVersion(),
            "hosted kernel " + context.kernelVersion() + " (" + context.arch() + ")",
        };
    }

    /** Return kextkit's version, or {@code development build} if it cannot be determined. */
    public static String kextkitVersion() {
        try (InputStream in = KextkitVersionProvider.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String version = p.getProperty("version");
                if (version != null && !version.isBlank()) {
                    return version;
                }
            }
        } catch (IOException e) {
            // Fall through: an unreadable jar entry is as good as none.
        }
        String implementation = KextkitVersionProvider.class.getPackage().getImplementationVersion();
        return implementation != null ? implementation : "development build";
    }
}
