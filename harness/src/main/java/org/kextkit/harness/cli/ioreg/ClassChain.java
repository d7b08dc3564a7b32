package org.kextkit.harness.cli.ioreg;

import java.util.ArrayDeque;
import java.util.Deque;
import org.kextkit.kit.internal.MetaClassNames;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.libkern.OSObject;

/**
 * The I/O Kit class hierarchy of a registry entry, read from its Java superclasses and named with
 * {@link MetaClassNames}: what {@code ioreg -i} prints and what {@code -c} matches against.
 */
final class ClassChain {
    private ClassChain() {
    }

    /**
     * Return the entry's classes root-most first without {@code OSObject}, joined by {@code :}, for
     * example {@code IORegistryEntry:IOService:IOPCIDevice}.
     */
    static String inheritance(IORegistryEntry entry) {
        Deque<String> names = new ArrayDeque<>();
        names.push(entry.getMetaClassName());
        for (Class<?> type = entry.getClass().getSuperclass(); type != null && type != OSObject.class
                && OSObject.class.isAssignableFrom(type); type = type.getSuperclass()) {
            names.push(MetaClassNames.of(type));
        }
        return String.join(":", names);
    }

    /** Return true if the entry's class is {@code className} or a subclass of it ({@code OSObject} included). */
    static boolean conformsTo(IORegistryEntry entry, String className) {
        if (entry.getMetaClassName().equals(className)) {
            return true;
        }
        for (Class<?> type = entry.getClass().getSuperclass(); type != null && OSObject.class.isAssignableFrom(type);
                type = type.getSuperclass()) {
            if (MetaClassNames.of(type).equals(className)) {
                return true;
            }
        }
        return false;
    }
}
