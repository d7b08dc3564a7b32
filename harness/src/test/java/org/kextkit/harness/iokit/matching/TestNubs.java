package org.kextkit.harness.iokit.matching;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.kextkit.harness.family.MatchIndexer;
import org.kextkit.kit.iokit.IOService;
import org.kextkit.kit.libkern.SInt32;

/**
 * Small nub classes for matching tests. Their I/O Kit class names are their simple names, so a
 * personality's {@code IOProviderClass} names them as it would name the real classes.
 */
final class TestNubs {
    private TestNubs() {
    }

    /** A dictionary in the order given: key, value, key, value, ... */
    static Map<String, Object> dict(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Split at spaces without a regular expression (tests match many tables). */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                if (i > start) {
                    words.add(text.substring(start, i));
                }
                start = i + 1;
            }
        }
        return words;
    }

    /** A personality with IOClass, IOProviderClass and the extra keys. */
    static Map<String, Object> personality(String ioClass, String providerClass, Object... more) {
        Map<String, Object> p = dict("IOClass", ioClass, "IOProviderClass", providerClass);
        p.putAll(dict(more));
        return p;
    }

    /**
     * A PCI-like nub: {@code IOPCIMatch} (space-separated {@code 0xDDDDVVVV[&0xMASK]} values) is compared
     * with the primary and subsystem IDs, and a primary hit adds 1000 to the score, as
     * IOPCIFamily does on non-x86 builds.
     */
    static class IOPCIDevice extends IOService implements ExplainsFamilyMatch {
        final int primaryID;
        final int subsystemID;
        final AtomicInteger familyCalls = new AtomicInteger();

        IOPCIDevice(int primaryID, int subsystemID) {
            this.primaryID = primaryID;
            this.subsystemID = subsystemID;
            setProperty("vendor-id", primaryID & 0xffff);
            setProperty("device-id", primaryID >>> 16);
        }

        @Override
        public boolean matchPropertyTable(Map<String, Object> table, SInt32 score) {
            familyCalls.incrementAndGet();
            Object match = table.get("IOPCIMatch");
            if (match == null) {
                return true;
            }
            if (!(match instanceof String)) {
                return false;
            }
            for (String item : words((String) match)) {
                int amp = item.indexOf('&');
                int value = (int) Long.parseLong(item, 2, amp < 0 ? item.length() : amp, 16);
                int mask = amp < 0 ? -1 : (int) Long.parseLong(item, amp + 3, item.length(), 16);
                if ((value & mask) == (primaryID & mask)) {
                    score.value += 1000;
                    return true;
                }
                if ((value & mask) == (subsystemID & mask)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public List<MatchExplanation.KeyVerdict> explainFamilyMatch(Map<String, Object> table) {
            List<MatchExplanation.KeyVerdict> verdicts = new ArrayList<>();
            Object match = table.get("IOPCIMatch");
            if (match != null) {
                boolean ok = matchPropertyTable(new LinkedHashMap<>(table), new SInt32(0));
                verdicts.add(new MatchExplanation.KeyVerdict("IOPCIMatch", ok, "\"" + match + "\" against primary 0x"
                        + Integer.toHexString(primaryID) + " and subsystem 0x" + Integer.toHexString(subsystemID)));
            }
            return verdicts;
        }
    }

    /** A subclass of the PCI nub, to check that superclass personalities are candidates. */
    static class AppleSimPCIDevice extends IOPCIDevice {
        AppleSimPCIDevice(int primaryID) {
            super(primaryID, 0);
        }
    }

    /** A bridge: the provider of PCI nubs in parent-matching tests. */
    static class IOPCIBridge extends IOService {
    }

    /** The resources nub: published resources are its properties. */
    static class IOResources extends IOService {
    }

    /** A nub whose family matching rejects tables that carry {@code Reject} and sets the score from {@code NewScore}. */
    static class ScoringNub extends IOService {
        @Override
        public boolean matchPropertyTable(Map<String, Object> table, SInt32 score) {
            if (table.containsKey("Reject")) {
                return false;
            }
            Object newScore = table.get("NewScore");
            if (newScore instanceof Integer) {
                score.value = (Integer) newScore;
            }
            return true;
        }
    }

    /**
     * Index IOPCIDevice personalities by the exact IDs of {@code IOPCIMatch}; tables without it,
     * or with masks, are not indexed.
     */
    static final class PciIndexer implements MatchIndexer {
        final AtomicInteger nubCalls = new AtomicInteger();

        @Override
        public Set<String> personalityKeys(Map<String, Object> personality) {
            Object match = personality.get("IOPCIMatch");
            if (!(match instanceof String) || ((String) match).contains("&")) {
                return Set.of();
            }
            Set<String> keys = new HashSet<>();
            for (String item : words((String) match)) {
                keys.add(item.toLowerCase(Locale.ROOT));
            }
            return keys;
        }

        @Override
        public Set<String> nubKeys(IOService nub) {
            nubCalls.incrementAndGet();
            IOPCIDevice pci = (IOPCIDevice) nub;
            return Set.of(key(pci.primaryID), key(pci.subsystemID));
        }

        static String key(int id) {
            return String.format(Locale.ROOT, "0x%08x", id);
        }
    }
}
