package org.kextkit.harness.iokit.matching.internal;

import java.util.ArrayList;
import java.util.List;
import org.kextkit.kit.internal.MetaClassNames;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;

/**
 * The I/O Kit class names of a service's class and its superclasses up to {@code IOService}, most
 * derived first: the buckets {@code IOCatalogue::findDrivers} walks and what {@code metaCast} accepts.
 */
public final class ClassChain {
    private static final ClassValue<List<String>> CHAINS = new ClassValue<>() {
        @Override
        protected List<String> computeValue(Class<?> type) {
            List<String> names = new ArrayList<>();
            for (Class<?> c = type; c != null && IORegistryEntry.class.isAssignableFrom(c); c = c.getSuperclass()) {
                names.add(MetaClassNames.of(c));
                if (c == IOService.class) {
                    break;
                }
            }
            return List.copyOf(names);
        }
    };

    private ClassChain() {
    }

    /** Return the class names of {@code service}'s class chain, most derived first, ending with {@code IOService}. */
    public static List<String> of(IORegistryEntry service) {
        return CHAINS.get(service.getClass());
    }

    /** Return true if {@code service} is an instance of the I/O Kit class {@code className} ({@code metaCast}). */
    public static boolean isA(IORegistryEntry service, String className) {
        return of(service).contains(className);
    }

    /** Return the chain as ioreg-style text: {@code IOPCIDevice : IOService}. */
    public static String describe(IORegistryEntry service) {
        return String.join(" : ", of(service));
    }
}
