package org.kextkit.harness.iokit.matching.internal;

import java.util.List;
import java.util.Set;

/** The names of the matching keys I/O Kit reads itself (IOKitKeys.h), and which of them hold booleans. */
public final class MatchKeys {
    public static final String IOProviderClass = "IOProviderClass";
    public static final String IOClass = "IOClass";
    public static final String IOProbeScore = "IOProbeScore";
    public static final String IOMatchCategory = "IOMatchCategory";
    public static final String IODefaultMatchCategory = "IODefaultMatchCategory";
    public static final String IONameMatch = "IONameMatch";
    public static final String IONameMatched = "IONameMatched";
    public static final String IOPropertyMatch = "IOPropertyMatch";
    public static final String IOPropertyExistsMatch = "IOPropertyExistsMatch";
    public static final String IOResourceMatch = "IOResourceMatch";
    public static final String IOResources = "IOResources";
    public static final String IOParentMatch = "IOParentMatch";
    public static final String IOLocationMatch = "IOLocationMatch";
    public static final String IOPathMatch = "IOPathMatch";
    public static final String IOPath = "IOPath";
    public static final String IORegistryEntryID = "IORegistryEntryID";
    public static final String IOMatchedServiceCountMatch = "IOMatchedServiceCountMatch";
    public static final String CFBundleIdentifier = "CFBundleIdentifier";
    public static final String IOPersonalityPublisher = "IOPersonalityPublisher";

    /** The BSD keys compared for plain equality, in the order I/O Kit checks them. */
    public static final List<String> BSD_KEYS = List.of("BSD Name", "BSD Major", "BSD Minor", "BSD Unit");

    /** The device-tree properties a device-tree style nub's names come from ({@code IODTCompareNubName}). */
    public static final List<String> DEVICE_TREE_NAME_KEYS = List.of("name", "compatible", "device_type", "model");

    /**
     * Personality keys that I/O Kit and the families read with {@code OSDynamicCast(OSBoolean, ...)}
     * (or compare with {@code kOSBooleanTrue}), so a string such as "YES" counts as absent.
     */
    public static final Set<String> BOOLEAN_KEYS = Set.of("IOMatchDefer", "IOPCITunnelCompatible",
            "IOPCIPauseCompatible", "IOUserClientCrossEndianCompatible");

    private MatchKeys() {
    }
}
