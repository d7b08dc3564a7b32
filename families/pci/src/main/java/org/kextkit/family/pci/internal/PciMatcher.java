package org.kextkit.family.pci.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kextkit.harness.iokit.matching.ChecksFamilyKeys;
import org.kextkit.harness.iokit.matching.MatchExplanation.KeyVerdict;
import org.kextkit.harness.iokit.matching.internal.OSValues;

/**
 * Match a personality's PCI keys against a device's saved configuration registers, as Apple's
 * family does in {@code pciMatchNub}: every PCI key present must match (AND), any item within a key
 * may match (OR), {@code IOPCIMatch} tries the vendor/device register first and the subsystem
 * register second, and keys that are absent are not checked.
 *
 * <p>Score: on x86 the family never changes the probe score. On other architectures (arm64) an
 * {@code IOPCIMatch} hit on the vendor/device register adds 1000, as Apple's non-ACPI builds do.
 *
 * <p>Parsed values are cached by their text, so matching thousands of nubs against the same
 * personality parses each value once. Thread-safe.
 */
public final class PciMatcher {
    /** The score added on non-x86 kernels for an {@code IOPCIMatch} hit on the vendor/device register. */
    public static final int PRIMARY_MATCH_BONUS = 1000;

    private static final int CACHE_LIMIT = 100_000;
    private static final Map<PciMatchKey, Map<String, PciMatchList>> CACHE = new EnumMap<>(PciMatchKey.class);

    static {
        for (PciMatchKey key : PciMatchKey.values()) {
            CACHE.put(key, new ConcurrentHashMap<>());
        }
    }

    private PciMatcher() {
    }

    /**
     * The outcome of matching one personality.
     *
     * @param matched true if every PCI key present matched
     * @param score the score after family matching
     * @param verdicts one per PCI key present, in the order checked; keys after the first failure are not checked
     */
    public record Result(boolean matched, int score, List<KeyVerdict> verdicts) {
    }

    /** Return the parsed value of {@code key} (cached), or {@code null} if {@code text} is {@code null}. */
    public static PciMatchList parsed(PciMatchKey key, String text) {
        if (text == null) {
            return null;
        }
        Map<String, PciMatchList> cache = CACHE.get(key);
        PciMatchList list = cache.get(text);
        if (list == null) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            list = PciMatchList.parse(key, text);
            cache.put(text, list);
        }
        return list;
    }

    /** Return true if any of the four PCI keys is present in {@code table}. */
    public static boolean hasPciKeys(Map<String, Object> table) {
        for (PciMatchKey key : PciMatchKey.values()) {
            if (table.containsKey(key.key())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Match {@code table} against {@code ids}.
     *
     * @param table the personality (its non-PCI keys are ignored)
     * @param ids the device's saved registers
     * @param score the personality's probe score
     * @param x86 true on an x86_64 kernel (no score change), false on arm64
     * @param explain true to describe each key (slower); false leaves the verdicts empty
     */
    public static Result match(Map<String, Object> table, PciIds ids, int score, boolean x86, boolean explain) {
        List<KeyVerdict> verdicts = explain ? new ArrayList<>(4) : List.of();
        int newScore = score;
        for (PciMatchKey key : PciMatchKey.values()) {
            Object value = table.get(key.key());
            if (value == null) {
                continue;
            }
            if (!(value instanceof String)) {
                if (explain) {
                    verdicts.add(new KeyVerdict(key.key(), false, "the value is " + OSValues.typeName(value)
                            + ", but the family reads only a string such as \"0x10de8086&0xffffffff\""));
                }
                return new Result(false, score, verdicts);
            }
            PciMatchList list = parsed(key, (String) value);
            PciMatchList.Item hit = null;
            boolean onPrimary = false;
            if (key.comparesPrimary()) {
                hit = list.firstMatch(ids.vendorDevice());
                onPrimary = hit != null;
            }
            if (hit == null && key.comparesSecondary()) {
                hit = list.firstMatch(ids.subsystem());
            }
            if (hit == null && key.comparesClass()) {
                hit = list.firstMatch(ids.classRevision());
            }
            if (explain) {
                verdicts.add(new KeyVerdict(key.key(), hit != null, describe(key, list, hit, onPrimary, ids)));
            }
            if (hit == null) {
                return new Result(false, score, verdicts);
            }
            if (onPrimary && key == PciMatchKey.IOPCIMatch && !x86) {
                newScore = score + PRIMARY_MATCH_BONUS;
            }
        }
        return new Result(true, newScore, verdicts);
    }

    private static String describe(PciMatchKey key, PciMatchList list, PciMatchList.Item hit, boolean onPrimary, PciIds ids) {
        StringBuilder detail = new StringBuilder();
        String registers = registers(key, ids);
        if (hit != null) {
            detail.append("item '").append(hit.text()).append("' matches ")
                    .append(onPrimary || key.comparesClass() ? firstRegister(key, ids) : secondRegister(ids));
        } else {
            detail.append(list.items().isEmpty() ? "no readable item" : list.items().size() == 1
                    ? "item '" + list.items().get(0).text() + "'" : "none of " + list.items().size() + " items")
                    .append(" matches ").append(registers);
        }
        if (list.stoppedAt() >= 0) {
            detail.append("; parsing stopped at character ").append(list.stoppedAt() + 1).append(", the rest is ignored");
        }
        return detail.toString();
    }

    private static String registers(PciMatchKey key, PciIds ids) {
        if (key == PciMatchKey.IOPCIMatch) {
            return firstRegister(key, ids) + " or " + secondRegister(ids);
        }
        return key.comparesSecondary() ? secondRegister(ids) : firstRegister(key, ids);
    }

    private static String firstRegister(PciMatchKey key, PciIds ids) {
        return key.comparesClass() ? String.format("class/revision 0x%08x", ids.classRevision())
                : String.format("device/vendor 0x%08x", ids.vendorDevice());
    }

    private static String secondRegister(PciIds ids) {
        return String.format("subsystem 0x%08x", ids.subsystem());
    }


    /**
     * Return the warnings a personality's PCI keys deserve, each naming the key: values that are not
     * strings, malformed masks, items after which parsing stops, numbers wider than 32 bits.
     */
    public static List<ChecksFamilyKeys.Problem> warnings(Map<String, Object> table) {
        List<ChecksFamilyKeys.Problem> warnings = new ArrayList<>();
        for (PciMatchKey key : PciMatchKey.values()) {
            Object value = table.get(key.key());
            if (value == null) {
                continue;
            }
            if (!(value instanceof String)) {
                warnings.add(new ChecksFamilyKeys.Problem(key.key(), "expected a string of hexadecimal items, found "
                        + OSValues.typeName(value) + "; the PCI family cannot read it and the personality never matches"));
                continue;
            }
            for (String problem : parsed(key, (String) value).problems()) {
                warnings.add(new ChecksFamilyKeys.Problem(key.key(), "\"" + value + "\": " + problem));
            }
        }
        return warnings;
    }
}
