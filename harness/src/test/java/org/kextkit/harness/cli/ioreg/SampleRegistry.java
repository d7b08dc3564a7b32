package org.kextkit.harness.cli.ioreg;

import com.example.FooEthernet;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.kit.internal.IOKitHost;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOReturn;
import org.kextkit.kit.iokit.IOService;

/**
 * The registry of the ioreg sample in the reference (a machine with a PCI bridge, an Ethernet
 * function driven by {@code com_example_FooEthernet}, a USB function, and {@code IOResources}), built
 * from kit objects with the same registry IDs and retain counts.
 */
final class SampleRegistry {
    /** The platform expert device, as the platform family publishes it. */
    static class IOPlatformExpertDevice extends IOService {
    }

    /** A PCI bridge nub. */
    static class IOPCIBridge extends IOService {
    }

    /** A PCI function nub. */
    static class IOPCIDevice extends IOService {
    }

    /** The resources nub. */
    static class IOResources extends IOService {
    }

    final IORegistryEntry root;
    final IOPlatformExpertDevice machine;
    final IOResources resources;
    final IOPCIBridge pci;
    final IOPCIDevice ethernet;
    final IOPCIDevice usb;
    final FooEthernet foo;

    private SampleRegistry() {
        // The IDs in creation order: each object takes the next one, as the kernel hands them out.
        FixedIds ids = new FixedIds(0x100000100L, 0x100000110L, 0x100000120L, 0x100000200L, 0x100000300L,
                0x100000310L, 0x100000400L);
        try (KernelRuntime.Scope ignored = KernelRuntime.enter(ids)) {
            root = new IORegistryEntry();
            machine = new IOPlatformExpertDevice();
            resources = new IOResources();
            pci = new IOPCIBridge();
            ethernet = new IOPCIDevice();
            usb = new IOPCIDevice();
            foo = new FooEthernet();
        }
        root.setName("Root");
        service(machine, "SimMachine", null, root);
        service(pci, "pci", "0", machine);
        service(ethernet, "ethernet", "1", pci);
        service(foo, "FooEthernet", null, ethernet);
        service(usb, "usb", "14", pci);
        service(resources, "IOResources", null, root);
        // Attaching retains both ends, so the sample's counts are set once the tree is complete.
        retainTo(root, 23);
        retainTo(machine, 31);
        retainTo(pci, 9);
        retainTo(ethernet, 12);
        retainTo(foo, 8);
        retainTo(usb, 10);
        retainTo(resources, 20);
        Map<String, Object> personality = new LinkedHashMap<>();
        personality.put("IOClass", "com_example_FooEthernet");
        personality.put("CFBundleIdentifier", "com.example.driver.FooEthernet");
        personality.put("CFBundleIdentifierKernel", "com.example.driver.FooEthernet");
        personality.put("IOProviderClass", "IOPCIDevice");
        personality.put("IOPCIMatch", "0x153a8086 0x15a28086&0xffffffff");
        personality.put("IOProbeScore", 1000);
        personality.put("IOMatchCategory", "IODefaultMatchCategory");
        foo.init(personality);
    }

    /** Build the sample. */
    static SampleRegistry build() {
        return new SampleRegistry();
    }

    private static void service(IOService service, String name, String location, IORegistryEntry parent) {
        service.setName(name);
        service.setLocation(location);
        service.attachToParent(parent, IORegistryEntry.gIOServicePlane);
        service.serviceState().registered = true;
        service.serviceState().matched = true;
    }

    private static void retainTo(IORegistryEntry entry, int count) {
        while (entry.getRetainCount() < count) {
            entry.retain();
        }
    }

    /**
     * Kernel services whose only job is to hand out registry IDs from a list. The I/O Kit host is a
     * proxy, so that methods the host interface gains later need nothing here: they do nothing.
     */
    static final class FixedIds implements KernelServices {
        private final Deque<Long> ids = new ArrayDeque<>();
        private final IOKitHost host = (IOKitHost) Proxy.newProxyInstance(IOKitHost.class.getClassLoader(),
                new Class<?>[] {IOKitHost.class}, (proxy, method, args) -> {
                    if (method.getName().equals("newRegistryEntryID")) {
                        return ids.removeFirst();
                    }
                    Class<?> type = method.getReturnType();
                    if (type == boolean.class) {
                        return false;
                    }
                    if (type == int.class) {
                        return IOReturn.kIOReturnUnsupported;
                    }
                    if (type == long.class) {
                        return 0L;
                    }
                    return null;
                });

        FixedIds(Long... ids) {
            this.ids.addAll(List.of(ids));
        }

        @Override
        public void log(Class<?> caller, String function, String message) {
        }

        @Override
        public IOKitHost iokit() {
            return host;
        }
    }
}
