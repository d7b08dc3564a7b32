package org.kextkit.harness.cli.kextfind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.dd.plist.NSDictionary;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.bundle.KextBundle;
import org.kextkit.harness.version.VersionGrammar;

class PathSpecTest {
    private static KextBundle bundle(String path, KextBundle parent) {
        Path p = Path.of(path);
        return new KextBundle(p, p.resolve("Contents/Info.plist"), new NSDictionary(), "x86_64", VersionGrammar.MODERN,
                parent, 0);
    }

    private final KextBundle container = bundle("/Library/Extensions/Foo.kext", null);
    private final KextBundle plugin = bundle("/Library/Extensions/Foo.kext/Contents/PlugIns/Bar.kext", container);

    @Test
    void fullPathsAreAbsolute() {
        assertEquals("/Library/Extensions/Foo.kext/Contents/PlugIns/Bar.kext", PathSpec.FULL.format(plugin));
    }

    @Test
    void relativePathsStartAtTheRepositoryEvenForPlugins() {
        assertEquals("Foo.kext", PathSpec.RELATIVE.format(container));
        assertEquals("Foo.kext/Contents/PlugIns/Bar.kext", PathSpec.RELATIVE.format(plugin));
        assertEquals("Foo.kext/Contents/PlugIns/Bar.kext/Contents/Info.plist",
                PathSpec.RELATIVE.format(plugin, plugin.infoPlistPath()));
    }

    @Test
    void noPathsPrintsTheBundleNameAndFilesFromTheKextsFolder() {
        assertEquals("Bar.kext", PathSpec.NONE.format(plugin));
        assertEquals("Bar.kext/Contents/Info.plist", PathSpec.NONE.format(plugin, plugin.infoPlistPath()));
    }
}
