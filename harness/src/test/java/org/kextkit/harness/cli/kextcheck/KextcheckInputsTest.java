package org.kextkit.harness.cli.kextcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KextcheckInputsTest {
    @TempDir
    Path root;

    @Test
    void aFolderIsSearchedWithItsSubfoldersButNeverInsideABundleOrAHiddenFolder() throws Exception {
        Files.createDirectories(root.resolve("a/target/A.kext/Contents/PlugIns/Inner.kext"));
        Files.createDirectories(root.resolve("b/target"));
        Files.writeString(root.resolve("b/target/B.kext.zip"), "zip");
        Files.createDirectories(root.resolve(".git/objects/C.kext"));
        Files.createDirectories(root.resolve("d/empty"));

        List<Path> folders = KextcheckInputs.foldersWithKexts(root);

        assertEquals(List.of(root, root.resolve("a/target"), root.resolve("b/target")), folders);
    }

    @Test
    void aBundleAtTheDepthLimitIsFoundAndOneBelowItIsNot() throws Exception {
        Path atLimit = root;
        for (int i = 1; i < KextcheckInputs.MAX_DEPTH; i++) {
            atLimit = atLimit.resolve("d" + i);
        }
        Files.createDirectories(atLimit.resolve("AtLimit.kext"));           // depth MAX_DEPTH
        Files.createDirectories(atLimit.resolve("deeper/TooDeep.kext"));    // depth MAX_DEPTH + 1

        assertEquals(List.of(root, atLimit), KextcheckInputs.foldersWithKexts(root));
    }
}
