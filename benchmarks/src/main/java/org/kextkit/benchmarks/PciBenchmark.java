package org.kextkit.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.kextkit.family.pci.IOPCIDevice;
import org.kextkit.family.pci.internal.PciFamilyProvider;
import org.kextkit.hardware.pci.PciHardware;
import org.kextkit.harness.iokit.matching.DriverCatalogue.MatchContext;
import org.kextkit.harness.iokit.matching.IOCatalogue;
import org.kextkit.harness.iokit.matching.MatchCandidate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Match 10,000 {@code IOPCIDevice} personalities against 2,000 PCI nubs (target: at most 200 ms)
 * through the kernel's own path: an {@link IOCatalogue} with the PCI family's match index, filled
 * with {@code addDrivers} (which also runs the family's key checks), and {@code findDrivers} for
 * every nub, which narrows by the index, checks the generic keys and runs the nub's
 * {@code matchPropertyTable} on each candidate.
 *
 * <p>The nubs are real {@link IOPCIDevice}s published by the family's bridge over simulated
 * functions (eight buses of 250 functions), their identities drawn from {@link PciFleet}'s
 * catalogue; the personalities are the fleet's mix of exact IDs, lists, masks, vendor-only, class,
 * subsystem and name matches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@Fork(1)
public class PciBenchmark {
    static final int PERSONALITIES = 10_000;
    static final int NUBS = 2_000;
    private static final int FUNCTIONS_PER_BUS = 250;

    private IOCatalogue catalogue;
    private final List<IOPCIDevice> nubs = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        PciFleet fleet = new PciFleet(42);
        catalogue = new IOCatalogue(new PciFamilyProvider().matchIndexers());
        List<String> warnings = new ArrayList<>();
        int added = 0;
        for (Map.Entry<String, Map<String, Map<String, Object>>> kext : fleet.kexts(PERSONALITIES).entrySet()) {
            added += catalogue.addDrivers(kext.getKey(), kext.getValue(), kext.getKey() + ".kext/Contents/Info.plist",
                    warnings::add);
        }
        check(added == PERSONALITIES && catalogue.size() == PERSONALITIES,
                "the catalogue filed " + added + " of " + PERSONALITIES + " personalities");
        check(warnings.isEmpty(), "the generated personalities should parse cleanly: " + warnings);

        List<PciFleet.Device> devices = fleet.devices(NUBS);
        for (int first = 0; first < NUBS; first += FUNCTIONS_PER_BUS) {
            PciHardware bus = StandaloneHardware.newBus();
            for (int i = first; i < Math.min(NUBS, first + FUNCTIONS_PER_BUS); i++) {
                int slot = i - first;
                bus.plug(slot / 8, slot % 8, new PciFleet.IdentityOnly(devices.get(i).identity()), null);
            }
            nubs.addAll(StandaloneHardware.enumerate(bus));
        }
        check(nubs.size() == NUBS, "the bridges published " + nubs.size() + " nubs, expected " + NUBS);
        checkResultsAreSane(fleet);
    }

    /**
     * A few candidates per nub, and the index hides none: for a sample of nubs, a catalogue without
     * the index (every personality checked) finds the same drivers in the same order.
     */
    private void checkResultsAreSane(PciFleet fleet) {
        int[] histogram = new int[6];
        long total = 0;
        int matched = 0;
        for (IOPCIDevice nub : nubs) {
            int n = catalogue.findDrivers(nub, MatchContext.EMPTY).size();
            total += n;
            matched += n > 0 ? 1 : 0;
            histogram[Math.min(n, histogram.length - 1)]++;
        }
        double mean = (double) total / NUBS;
        System.out.printf("%nPciBenchmark: %d candidates for %d nubs (mean %.2f); nubs with 0,1,2,3,4,5+ candidates: %s%n",
                total, NUBS, mean, java.util.Arrays.toString(histogram));
        check(matched >= NUBS / 2 && mean >= 1 && mean <= 20,
                "expected a few candidates per nub, found a mean of " + mean + " and " + matched + " nubs with any");

        IOCatalogue unindexed = new IOCatalogue();
        for (Map.Entry<String, Map<String, Map<String, Object>>> kext : new PciFleet(42).kexts(PERSONALITIES).entrySet()) {
            unindexed.addDrivers(kext.getKey(), kext.getValue(), kext.getKey(), line -> { });
        }
        for (int i = 0; i < NUBS; i += 50) {
            IOPCIDevice nub = nubs.get(i);
            List<String> withIndex = names(catalogue.findDrivers(nub, MatchContext.EMPTY));
            List<String> everyPersonality = names(unindexed.findDrivers(nub, MatchContext.EMPTY));
            check(withIndex.equals(everyPersonality), "the index changed the drivers of " + nub.getName() + "@"
                    + nub.getLocation() + ": " + withIndex + " instead of " + everyPersonality);
        }
    }

    private static List<String> names(List<MatchCandidate> candidates) {
        return candidates.stream().map(c -> c.bundleIdentifier() + "/" + c.personalityName() + "=" + c.score())
                .collect(Collectors.toList());
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    /** findDrivers for each of the 2,000 nubs; returns the number of candidates found. */
    @Benchmark
    public int match10kPersonalitiesAgainst2kNubs() {
        int candidates = 0;
        for (IOPCIDevice nub : nubs) {
            candidates += catalogue.findDrivers(nub, MatchContext.EMPTY).size();
        }
        return candidates;
    }
}
