package org.kextkit.harness.iokit;

import static org.kextkit.harness.testing.TestKexts.identity;
import static org.kextkit.harness.testing.TestKexts.libraries;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.kextkit.harness.family.MachineDescription;
import org.kextkit.harness.iokit.testfamily.TestBusFamily;
import org.kextkit.harness.lifecycle.HostedKernel;
import org.kextkit.harness.lifecycle.KernelSettings;
import org.kextkit.harness.repository.KernelPseudoKexts;
import org.kextkit.harness.repository.KextRepository;
import org.kextkit.harness.testing.TestKexts;

/**
 * A kernel with the test bus family and two devices (0x1234 and 0x5678), and the kexts that drive
 * them: {@code com.example.FooDriver} (personality "Foo" on {@code TestBusNub}) with its library
 * {@code com.example.FooLib}.
 */
public final class FooDriverKexts {
    /** The driver kext's identifier. */
    public static final String DRIVER_ID = "com.example.FooDriver";

    static final String LIBRARY_SOURCE = """
            package com.example.foolib;
            public class Counter extends org.kextkit.kit.libkern.OSObject {
            }
            """;

    static final String DRIVER_SOURCE = """
            package com.example.foo;
            import org.kextkit.kit.iokit.IOService;
            import org.kextkit.kit.libkern.SInt32;
            import org.kextkit.harness.iokit.testfamily.TestBusNub;
            import static org.kextkit.kit.libkern.Libkern.printf;
            public class FooDriver extends IOService {
                private com.example.foolib.Counter counter;
                @Override public boolean init(java.util.Map<String, Object> table) {
                    boolean ok = super.init(table);
                    printf("FooDriver init");
                    return ok;
                }
                @Override public IOService probe(IOService provider, SInt32 score) {
                    printf("FooDriver probe device 0x%x", ((TestBusNub) provider).deviceId());
                    return super.probe(provider, score);
                }
                @Override public boolean start(IOService provider) {
                    if (!super.start(provider)) return false;
                    counter = new com.example.foolib.Counter();
                    printf("FooDriver start device 0x%x", ((TestBusNub) provider).deviceId());
                    if (Boolean.TRUE.equals(getProperty("Leak"))) retain();
                    return true;
                }
                @Override public void stop(IOService provider) {
                    printf("FooDriver stop device 0x%x", ((TestBusNub) provider).deviceId());
                    counter.release();
                    super.stop(provider);
                }
            }
            """;

    private FooDriverKexts() {
    }

    /** Boot a default kernel on a machine with two test-bus devices and the test bus family. */
    public static HostedKernel bootWithTestBus() {
        return bootWithTestBus(org.kextkit.harness.scheduler.TimeMode.VIRTUAL);
    }

    /** As {@link #bootWithTestBus()}, keeping time in {@code mode}. */
    public static HostedKernel bootWithTestBus(org.kextkit.harness.scheduler.TimeMode mode) {
        return bootWithTestBus(settings -> settings.withTimeMode(mode));
    }

    /** As {@link #bootWithTestBus()}, with settings adjusted by {@code adjust}. */
    public static HostedKernel bootWithTestBus(java.util.function.UnaryOperator<KernelSettings> adjust) {
        MachineDescription machine = new MachineDescription("test machine", "SimMachine", "kextkit1,1", 7, List.of(
                new MachineDescription.Device("TESTBUS", "Devices[0]", Map.of("device-id", 0x1234)),
                new MachineDescription.Device("TESTBUS", "Devices[1]", Map.of("device-id", 0x5678))));
        KernelSettings settings = adjust.apply(KernelSettings.defaults().withMachine(machine));
        return HostedKernel.boot(settings, new KextRepository(KernelPseudoKexts.forKernel(settings.kernelVersion(), settings.arch())),
                List.of(new TestBusFamily()));
    }

    /** Write FooLib.kext and FooDriver.kext into {@code dir}; a leaking driver retains itself in start. */
    public static void write(Path dir, boolean leak) {
        TestKexts.write(dir, "FooLib", identity("com.example.FooLib", "FooLib", "1.0.0")
                + "<key>OSBundleCompatibleVersion</key><string>1.0</string>\n"
                + libraries("com.apple.kpi.libkern", "8.0.0"),
                Map.of("com.example.foolib.Counter", LIBRARY_SOURCE), null);
        TestKexts.write(dir, "FooDriver", identity(DRIVER_ID, "FooDriver", "1.0.0")
                + libraries("com.apple.kpi.iokit", "8.0.0", "com.apple.kpi.libkern", "8.0.0", "com.example.FooLib", "1.0",
                        TestBusFamily.ID, "1.0")
                + "<key>IOKitPersonalities</key><dict><key>Foo</key><dict>\n"
                + "  <key>IOClass</key><string>com_example_foo_FooDriver</string>\n"
                + "  <key>IOProviderClass</key><string>TestBusNub</string>\n"
                + "  <key>IOProbeScore</key><integer>1000</integer>\n"
                + (leak ? "  <key>Leak</key><true/>\n" : "")
                + "</dict></dict>\n",
                Map.of("com.example.foo.FooDriver", DRIVER_SOURCE), null);
    }
}
