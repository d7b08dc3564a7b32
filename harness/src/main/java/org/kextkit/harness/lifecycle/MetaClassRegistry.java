package org.kextkit.harness.lifecycle;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.kextkit.kit.internal.MetaClassNames;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.libkern.OSObject;

/**
 * Count live {@link OSObject} instances per class the way {@code OSMetaClass} does: a class's count
 * is its own live instances plus the number of its direct subclasses that have at least one, so a
 * kext defining a superclass stays pinned while a subclass in another kext has instances.
 */
public final class MetaClassRegistry {
    private final Map<Class<?>, AtomicInteger> counts = new ConcurrentHashMap<>();

    /** Count a new instance of {@code type}. */
    public void constructed(Class<?> type) {
        Class<?> current = type;
        // Walk up only while a class goes from 0 to 1: that is when its superclass gains a member.
        while (current != null && OSObject.class.isAssignableFrom(current)) {
            int now = counts.computeIfAbsent(current, c -> new AtomicInteger()).incrementAndGet();
            if (now != 1) {
                break;
            }
            current = current.getSuperclass();
        }
    }

    /** Count one instance of {@code type} less. */
    public void destructed(Class<?> type) {
        Class<?> current = type;
        while (current != null && OSObject.class.isAssignableFrom(current)) {
            AtomicInteger count = counts.computeIfAbsent(current, c -> new AtomicInteger());
            int now = count.decrementAndGet();
            if (now != 0) {
                break;
            }
            current = current.getSuperclass();
        }
    }

    /** Return the count {@code ioclasscount} would print for {@code type}. */
    public int count(Class<?> type) {
        AtomicInteger count = counts.get(type);
        return count == null ? 0 : count.get();
    }

    /** Return the non-zero counts of classes defined by {@code loader}, sorted by class name. */
    public Map<String, Integer> liveClassesOf(ClassLoader loader) {
        Map<String, Integer> live = new TreeMap<>();
        counts.forEach((type, count) -> {
            if (type.getClassLoader() == loader && count.get() != 0) {
                live.put(type.getName(), count.get());
            }
        });
        return live;
    }

    /**
     * Return the count of every class this kernel knows, by I/O Kit class name ({@link MetaClassNames}),
     * sorted by name: the kernel's own {@code OSObject}, {@code IORegistryEntry} and {@code IOService}
     * always, and every class that has had an instance since its kext was loaded, 0 included, as
     * {@code ioclasscount} lists the registered metaclasses.
     */
    public Map<String, Integer> classCounts() {
        Map<String, Integer> byName = new TreeMap<>();
        for (Class<?> kernelClass : new Class<?>[] {OSObject.class, IORegistryEntry.class, IOService.class}) {
            byName.put(MetaClassNames.of(kernelClass), 0);
        }
        // Two classes with one name (kexts that forgot the reverse-DNS prefix) share a line, as the
        // kernel would refuse the second metaclass; their counts add up.
        counts.forEach((type, count) -> byName.merge(MetaClassNames.of(type), count.get(), Integer::sum));
        return byName;
    }

    /** Forget every class defined by {@code loader} (its kext was unloaded). */
    public void forget(ClassLoader loader) {
        counts.keySet().removeIf(type -> type.getClassLoader() == loader);
    }
}
