package org.kextkit.harness.iokit.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kextkit.harness.iokit.matching.TestNubs.dict;
import static org.kextkit.harness.iokit.matching.TestNubs.personality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.kextkit.harness.family.MatchIndexer;
import org.kextkit.harness.iokit.matching.DriverCatalogue.MatchContext;
import org.kextkit.harness.iokit.matching.TestNubs.IOPCIDevice;
import org.kextkit.harness.iokit.matching.TestNubs.PciIndexer;
import org.kextkit.kit.iokit.IOService;

/** Matching through a family's {@link MatchIndexer} gives the same answers as matching without one. */
class IndexedMatchingTest {
    private static final int[] VENDORS = {0x8086, 0x10de, 0x1002, 0x14e4};

    private static int randomID(Random random) {
        return (random.nextInt(12) << 16) | VENDORS[random.nextInt(VENDORS.length)];
    }

    /** Kexts with a mix of exact, masked and ID-less PCI personalities, plus generic IOService ones. */
    private static List<Map<String, Map<String, Object>>> randomKexts(long seed, int kexts) {
        Random random = new Random(seed);
        List<Map<String, Map<String, Object>>> result = new ArrayList<>();
        for (int k = 0; k < kexts; k++) {
            Map<String, Map<String, Object>> personalities = new LinkedHashMap<>();
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                Map<String, Object> p;
                int kind = random.nextInt(10);
                int score = random.nextInt(4) * 100;
                if (kind < 6) {
                    String ids = PciIndexer.key(randomID(random))
                            + (random.nextBoolean() ? " " + PciIndexer.key(randomID(random)) : "");
                    p = personality("Driver" + k, "IOPCIDevice", "IOPCIMatch", ids, "IOProbeScore", score);
                } else if (kind < 8) {
                    p = personality("Class" + k, "IOPCIDevice", "IOPCIMatch",
                            String.format("0x0000%04x&0x0000ffff", VENDORS[random.nextInt(VENDORS.length)]),
                            "IOProbeScore", score);
                } else if (kind < 9) {
                    p = personality("Any" + k, "IOPCIDevice", "IOProbeScore", score,
                            "IOMatchCategory", random.nextBoolean() ? "IODefaultMatchCategory" : "Extra");
                } else {
                    p = personality("Generic" + k, "IOService", "IOPropertyMatch",
                            dict("vendor-id", VENDORS[random.nextInt(VENDORS.length)]), "IOProbeScore", score);
                }
                personalities.put("P" + k + "." + i, p);
            }
            result.add(personalities);
        }
        return result;
    }

    private static IOCatalogue fill(IOCatalogue catalogue, List<Map<String, Map<String, Object>>> kexts) {
        for (int k = 0; k < kexts.size(); k++) {
            catalogue.addDrivers("com.example.kext" + k, kexts.get(k), "Kext" + k + ".kext/Contents/Info.plist",
                    line -> { });
        }
        return catalogue;
    }

    private static List<String> describe(List<MatchCandidate> found) {
        List<String> out = new ArrayList<>();
        for (MatchCandidate c : found) {
            out.add(c.personalityName() + "=" + c.score() + "/" + c.category());
        }
        return out;
    }

    @Test
    void indexedAndUnindexedCataloguesAgreeOnRandomCatalogues() {
        for (long seed = 1; seed <= 3; seed++) {
            List<Map<String, Map<String, Object>>> kexts = randomKexts(seed, 200);
            IOCatalogue plain = fill(new IOCatalogue(), kexts);
            IOCatalogue indexed = fill(new IOCatalogue(Map.of("IOPCIDevice", new PciIndexer())), kexts);
            assertEquals(plain.size(), indexed.size());
            Random nubs = new Random(seed * 31);
            int nonEmpty = 0;
            for (int n = 0; n < 80; n++) {
                IOPCIDevice nub = new IOPCIDevice(randomID(nubs), nubs.nextInt(3) == 0 ? randomID(nubs) : 0);
                List<String> expected = describe(plain.findDrivers(nub, MatchContext.EMPTY));
                assertEquals(expected, describe(indexed.findDrivers(nub, MatchContext.EMPTY)), "seed " + seed);
                nonEmpty += expected.size() > 1 ? 1 : 0;
            }
            assertTrue(nonEmpty > 40, "the random catalogues must give the nubs several candidates");
        }
    }

    @Test
    void anIndexedCatalogueAsksTheFamilyOnlyAboutPersonalitiesFiledUnderTheNubsIDs() {
        Map<String, Map<String, Object>> personalities = new LinkedHashMap<>();
        for (int i = 0; i < 10_000; i++) {
            personalities.put("P" + i, personality("Driver" + i, "IOPCIDevice", "IOPCIMatch",
                    PciIndexer.key((i << 16) | 0x8086)));
        }
        personalities.put("Unindexed", personality("Class", "IOPCIDevice", "IOPCIMatch", "0x00008086&0x0000ffff"));
        PciIndexer indexer = new PciIndexer();
        IOCatalogue catalogue = new IOCatalogue(Map.of("IOPCIDevice", indexer));
        catalogue.addDrivers("com.example.many", personalities, "Many.kext/Contents/Info.plist", line -> { });

        IOPCIDevice nub = new IOPCIDevice((42 << 16) | 0x8086, 0);
        List<MatchCandidate> found = catalogue.findDrivers(nub, MatchContext.EMPTY);
        assertEquals(List.of("P42", "Unindexed"), found.stream().map(MatchCandidate::personalityName).toList());
        assertEquals(2, nub.familyCalls.get(), "only the filed and the unindexed personality reach matchPropertyTable");
        assertEquals(1, indexer.nubCalls.get());

        IOPCIDevice unknown = new IOPCIDevice(0x12341234, 0);
        assertTrue(catalogue.findDrivers(unknown, MatchContext.EMPTY).isEmpty());
        assertEquals(1, unknown.familyCalls.get());
    }

    @Test
    void indexersRegisteredLaterIndexWhatIsAlreadyFiledAndRemovalKeepsTheIndexRight() {
        List<Map<String, Map<String, Object>>> kexts = randomKexts(7, 200);
        IOCatalogue plain = fill(new IOCatalogue(), kexts);
        IOCatalogue late = fill(new IOCatalogue(), kexts);
        late.registerIndexers(Map.of("IOPCIDevice", new PciIndexer()));
        for (int k = 0; k < 200; k += 3) {
            assertEquals(plain.removeDrivers("com.example.kext" + k), late.removeDrivers("com.example.kext" + k));
        }
        Random nubs = new Random(99);
        for (int n = 0; n < 100; n++) {
            IOPCIDevice nub = new IOPCIDevice(randomID(nubs), 0);
            assertEquals(describe(plain.findDrivers(nub, MatchContext.EMPTY)),
                    describe(late.findDrivers(nub, MatchContext.EMPTY)));
        }
    }

    @Test
    void anIndexerThatCannotReadANubFallsBackToEveryPersonality() {
        MatchIndexer broken = new MatchIndexer() {
            @Override
            public Set<String> personalityKeys(Map<String, Object> personality) {
                return Set.of("k");
            }

            @Override
            public Set<String> nubKeys(IOService nub) {
                throw new IllegalStateException("no config space");
            }
        };
        IOCatalogue catalogue = new IOCatalogue(Map.of("IOPCIDevice", broken));
        catalogue.addDrivers("com.example.a", Map.of("A", personality("A", "IOPCIDevice")), "A", line -> { });
        assertEquals(1, catalogue.findDrivers(new IOPCIDevice(1, 0), MatchContext.EMPTY).size());
    }

    @Test
    void readersSeeWholeKextsWhileOtherKextsAreAdded() throws InterruptedException {
        IOCatalogue catalogue = new IOCatalogue(Map.of("IOPCIDevice", new PciIndexer()));
        int id = 0x10008086;
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(2);
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread reader = new Thread(() -> {
                started.countDown();
                IOPCIDevice nub = new IOPCIDevice(id, 0);
                while (!done.get()) {
                    int size = catalogue.findDrivers(nub, MatchContext.EMPTY).size();
                    if (size % 2 != 0) {
                        problems.add("saw half a kext: " + size + " candidates");
                    }
                }
            });
            reader.start();
            readers.add(reader);
        }
        started.await();
        for (int k = 0; k < 300; k++) {
            Map<String, Map<String, Object>> pair = new LinkedHashMap<>();
            pair.put("First", personality("F" + k, "IOPCIDevice", "IOPCIMatch", PciIndexer.key(id)));
            pair.put("Second", personality("S" + k, "IOService"));
            catalogue.addDrivers("com.example.k" + k, pair, "K", line -> { });
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        assertTrue(problems.isEmpty(), problems::toString);
        assertEquals(600, catalogue.findDrivers(new IOPCIDevice(id, 0), MatchContext.EMPTY).size());
        assertFalse(catalogue.findDrivers(new TestNubs.ScoringNub(), MatchContext.EMPTY).isEmpty());
    }
}
