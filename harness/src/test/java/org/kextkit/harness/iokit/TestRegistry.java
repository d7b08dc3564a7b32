package org.kextkit.harness.iokit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.kextkit.harness.family.MachineDescription;
import org.kextkit.kit.internal.IOKitHost;
import org.kextkit.kit.internal.KernelRuntime;
import org.kextkit.kit.internal.KernelScheduler;
import org.kextkit.kit.internal.KernelServices;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;

/**
 * An I/O Kit with no kext loading: drivers are classes of the test itself (their "kext" is
 * {@value #BUNDLE}), matched by provider class on a caller-thread scheduler.
 */
final class TestRegistry {
    static final String BUNDLE = "com.example.TestDrivers";

    final List<String> log = new CopyOnWriteArrayList<>();
    final CallerThreadScheduler scheduler = new CallerThreadScheduler();
    final ProviderClassCatalogue catalogue = new ProviderClassCatalogue();
    final List<String> loadRequests = new ArrayList<>();
    final IOKitKernel iokit;
    private final KernelServices services;

    TestRegistry() {
        IOKitKernel[] holder = new IOKitKernel[1];
        services = new KernelServices() {
            @Override
            public void log(Class<?> caller, String function, String message) {
                log.add(message);
            }

            @Override
            public KernelScheduler scheduler() {
                return scheduler;
            }

            @Override
            public IOKitHost iokit() {
                return holder[0];
            }
        };
        DriverKexts kexts = bundleId -> {
            loadRequests.add(bundleId);
            if (!bundleId.equals(BUNDLE)) {
                return DriverKexts.Result.failed(List.of("Can't find kext with bundle identifier " + bundleId + "."));
            }
            return new DriverKexts.Result(TestRegistry.class.getClassLoader(),
                    Set.of(Drivers.Recording.class.getName(), Drivers.Other.class.getName(), Drivers.Nub.class.getName()),
                    List.of(), List.of());
        };
        iokit = new IOKitKernel(services, scheduler, catalogue, kexts, log::add);
        holder[0] = iokit;
        iokit.boot(new MachineDescription("test machine", "SimMachine", "kextkit1,1", 1, List.of()));
    }

    /** Run {@code body} as code of this kernel (objects it creates belong here). */
    <T> T inKernel(java.util.function.Supplier<T> body) {
        try (KernelRuntime.Scope ignored = KernelRuntime.enter(services)) {
            return body.get();
        }
    }

    /** Create a nub of {@code Drivers.Nub} named {@code name} below the platform expert, registered synchronously. */
    Drivers.Nub publishNub(String name, int options) {
        return inKernel(() -> {
            Drivers.Nub nub = new Drivers.Nub();
            nub.setName(name);
            nub.attach(iokit.platformExpert());
            nub.release();
            nub.registerService(options);
            return nub;
        });
    }

    /** Add a personality of {@link #BUNDLE} on {@code Nub} with extra keys ({@code Label} names it in {@link Drivers#CALLS}). */
    void personality(String name, Object... keysAndValues) {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("IOClass", Drivers.Recording.class.getName());
        table.put("IOProviderClass", "Nub");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            table.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        iokit.catalogue().addDrivers(BUNDLE, Map.of(name, table), "test personalities", log::add);
    }

    /** Return the clients of {@code nub} in the service plane. */
    static List<IOService> clients(IOService nub) {
        return nub.getClients();
    }

    static String path(IORegistryEntry entry) {
        return entry.getPath(IORegistryEntry.gIOServicePlane);
    }
}
