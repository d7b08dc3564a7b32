package org.kextkit.harness.daemon.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

import org.kextkit.harness.daemon.DaemonException;
import org.kextkit.harness.daemon.ExitStatus;

/**
 * Create, or check, the private directory that holds the kernel daemon's socket, pid file and log.
 *
 * <p>Only the directory's owner may reach the socket, because the directory is mode 0700: connecting
 * to a Unix domain socket needs search permission on every directory above it. An existing directory
 * is used only if it is a real directory (not a symbolic link), owned by this user, with no
 * permissions for group or others; anything else is refused rather than repaired, since it may have
 * been planted by another user.
 */
public final class SocketDirectory {
    /** The only mode kextkit accepts: {@code rwx------}. */
    public static final Set<PosixFilePermission> MODE_0700 = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    /** The mode of the socket and the files beside it: {@code rw-------}. */
    public static final Set<PosixFilePermission> MODE_0600 = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private SocketDirectory() {
    }

    /**
     * Make sure {@code dir} exists and is private to this user.
     *
     * @throws DaemonException (status 77) if it exists but is not private; the message says how to fix it
     * @throws IOException if it cannot be created
     */
    public static void prepare(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(MODE_0700));
                // The umask may have cleared owner bits; it can never have added any, so set them outright.
                Files.setPosixFilePermissions(dir, MODE_0700);
                return;
            } catch (FileAlreadyExistsException raced) {
                // Someone created it between the check and here: check it like any existing directory.
            }
        }
        verify(dir);
    }

    /**
     * Check that an existing {@code dir} is private to this user.
     *
     * @throws DaemonException (status 77) if it is not
     */
    public static void verify(Path dir) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String user = System.getProperty("user.name");
        if (attrs.isSymbolicLink() || !attrs.isDirectory()) {
            throw unsafe(dir, "is " + (attrs.isSymbolicLink() ? "a symbolic link" : "not a "
                    + "directory") + "; expected a directory of its own. Remove it, or set kextkit.socket (and "
                    + "KEXTKIT_SOCKET) to a path in another directory.");
        }
        String owner = attrs.owner().getName();
        if (!owner.equals(user)) {
            throw unsafe(dir, "belongs to " + owner + ", not to " + user + "; expected a "
                    + "directory only you own. Set kextkit.socket (and KEXTKIT_SOCKET) to a path in a directory of "
                    + "your own.");
        }
        Set<PosixFilePermission> perms = attrs.permissions();
        if (!perms.equals(MODE_0700)) {
            String mode = PosixFilePermissions.toString(perms);
            throw unsafe(dir, "has mode " + mode + " (" + octal(perms) + "); expected "
                    + "rwx------ (0700) so that no other user can reach the kernel. Run: chmod 700 " + dir);
        }
    }

    private static String octal(Set<PosixFilePermission> perms) {
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }

    private static DaemonException unsafe(Path dir, String problem) {
        return new DaemonException(ExitStatus.NO_PERMISSION, "kextkit: the socket directory " + dir + " " + problem);
    }
}
