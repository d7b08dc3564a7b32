package org.kextkit.harness.daemon.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kextkit.harness.daemon.DaemonException;

class SocketDirectoryTest {
    @TempDir
    Path tmp;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static DaemonException refusal(Path dir) {
        DaemonException e = assertThrows(DaemonException.class, () -> SocketDirectory.prepare(dir));
        assertEquals(77, e.exitStatus());
        return e;
    }

    @Test
    void aMissingDirectoryIsCreatedWithMode0700WithItsParents() throws IOException {
        Path dir = tmp.resolve("a/b/kextkit-ada");

        SocketDirectory.prepare(dir);

        assertEquals("rwx------", mode(dir));
    }

    @Test
    void anExistingPrivateDirectoryIsAccepted() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("ok"));
        Files.setPosixFilePermissions(dir, SocketDirectory.MODE_0700);

        SocketDirectory.prepare(dir);

        assertEquals("rwx------", mode(dir));
    }

    @Test
    void aDirectoryOthersCanReadIsRefusedNotRepaired() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        DaemonException e = refusal(dir);

        assertEquals("kextkit: the socket directory " + dir + " has mode rwxr-xr-x (0755); expected rwx------ (0700) "
                + "so that no other user can reach the kernel. Run: chmod 700 " + dir, e.getMessage());
        assertEquals("rwxr-xr-x", mode(dir));
    }

    @Test
    void aSymbolicLinkIsRefused() throws IOException {
        Path real = Files.createDirectory(tmp.resolve("real"));
        Files.setPosixFilePermissions(real, SocketDirectory.MODE_0700);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);

        DaemonException e = refusal(link);

        assertEquals("kextkit: the socket directory " + link + " is a symbolic link; expected a directory of its own. "
                + "Remove it, or set kextkit.socket (and KEXTKIT_SOCKET) to a path in another directory.",
                e.getMessage());
    }

    @Test
    void aFileIsRefused() throws IOException {
        Path file = Files.createFile(tmp.resolve("file"));

        DaemonException e = refusal(file);

        assertEquals("kextkit: the socket directory " + file + " is not a directory; expected a directory of its own. "
                + "Remove it, or set kextkit.socket (and KEXTKIT_SOCKET) to a path in another directory.",
                e.getMessage());
    }

    @Test
    void aDirectoryOwnedBySomeoneElseIsRefused() throws IOException {
        // Only root can give a directory away; elsewhere this case is covered by the mode check alone.
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to chown");
        Path dir = Files.createDirectory(tmp.resolve("theirs"));
        Files.setPosixFilePermissions(dir, SocketDirectory.MODE_0700);
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(dir, nobody);

        DaemonException e = refusal(dir);

        assertEquals("kextkit: the socket directory " + dir + " belongs to nobody, not to root; expected a directory "
                + "only you own. Set kextkit.socket (and KEXTKIT_SOCKET) to a path in a directory of your own.",
                e.getMessage());
    }
}
