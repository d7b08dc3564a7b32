package org.kextkit.harness.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.FooEthernet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kextkit.kit.iokit.IOService;

/** The counts ioclasscount prints: OSMetaClass's, by I/O Kit class name, kit classes included. */
class MetaClassRegistryTest {
    /** A driver subclass of the driver, as a second kext might define. */
    static class FooEthernetV2 extends FooEthernet {
    }

    private final MetaClassRegistry registry = new MetaClassRegistry();

    @Test
    void theKernelsOwnClassesAreKnownBeforeAnyInstanceExists() {
        assertEquals(Map.of("IORegistryEntry", 0, "IOService", 0, "OSObject", 0), registry.classCounts());
    }

    @Test
    void aDriverInstanceCountsForItsClassAndOnceForEachSuperclass() {
        registry.constructed(FooEthernet.class);
        registry.constructed(FooEthernet.class);
        registry.constructed(IOService.class);
        Map<String, Integer> counts = registry.classCounts();
        assertEquals(2, counts.get("com_example_FooEthernet"));
        assertEquals(2, counts.get("IOService"), "one IOService of its own plus one subclass with instances");
        assertEquals(1, counts.get("IORegistryEntry"));
        assertEquals(1, counts.get("OSObject"));
        assertEquals(List.of("IORegistryEntry", "IOService", "OSObject", "com_example_FooEthernet"),
                List.copyOf(counts.keySet()), "sorted by name");
    }

    @Test
    void aClassWhoseInstancesAreGoneStaysListedWithZero() {
        registry.constructed(FooEthernetV2.class);
        registry.destructed(FooEthernetV2.class);
        Map<String, Integer> counts = registry.classCounts();
        assertEquals(0, counts.get("FooEthernetV2"));
        assertEquals(0, counts.get("com_example_FooEthernet"));
        assertEquals(0, counts.get("IOService"));
    }
}
