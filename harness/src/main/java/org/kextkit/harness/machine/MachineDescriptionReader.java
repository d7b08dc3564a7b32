package org.kextkit.harness.machine;

import com.dd.plist.NSArray;
import com.dd.plist.NSData;
import com.dd.plist.NSDate;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.kextkit.harness.bundle.InfoPlistException;
import org.kextkit.harness.bundle.InfoPlistReader;
import org.kextkit.harness.family.MachineDescription;
import org.kextkit.harness.family.MachineDescriptionException;

/**
 * Read a machine description: a property list that names a simulated machine and lists the devices
 * plugged into it, for {@code kextkit boot --machine FILE} and for tests.
 *
 * <pre>{@code
 * <dict>
 *   <key>MachineName</key> <string>SimMachine</string>      the platform expert device's name
 *   <key>Model</key>       <string>kextkit1,1</string>      its model property
 *   <key>Seed</key>        <integer>42</integer>            optional; the run's seed (default 0)
 *   <key>Devices</key>                                      optional; plugged in order
 *   <array>
 *     <dict>
 *       <key>Family</key> <string>PCI</string>              which family builds it
 *       <key>Slot</key>   <integer>1</integer>              ... and that family's own keys
 *       <key>Model</key>  <string>echo-dma</string>
 *     </dict>
 *   </array>
 * </dict>
 * }</pre>
 *
 * <p>The file is read as safely as an Info.plist (size cap, no DTD entities, bounded nesting: see
 * {@link InfoPlistReader}). This reader checks the machine's own keys and that every device names a
 * family; each family checks its devices' keys when it builds its hardware. Every error names the
 * file, the key path (such as {@code Devices[2].Family}) and what was expected.
 */
public final class MachineDescriptionReader {
    /** The classpath resource of the built-in default machine. */
    public static final String DEFAULT_MACHINE_RESOURCE = "/org/kextkit/harness/machine/SimMachine.plist";
    /** How {@link MachineDescription#source()} names the built-in default machine. */
    public static final String DEFAULT_MACHINE_SOURCE = "built-in default machine (SimMachine.plist)";

    private static final Set<String> MACHINE_KEYS = Set.of("MachineName", "Model", "Seed", "Devices");

    private final InfoPlistReader plists;

    /** Create a reader with the Info.plist reader's default limits (8 MiB). */
    public MachineDescriptionReader() {
        this(new InfoPlistReader());
    }

    /** Create a reader with the given plist limits. */
    public MachineDescriptionReader(InfoPlistReader plists) {
        this.plists = plists;
    }

    /**
     * Read {@code file}.
     *
     * @param knownFamilies the family names devices may use (such as {@code PCI}), or {@code null} to
     *     accept any name and let the kernel check it
     */
    public MachineDescription read(Path file, Collection<String> knownFamilies) throws MachineDescriptionException {
        String source = file.toString();
        if (!Files.exists(file)) {
            throw new MachineDescriptionException(source + ": the machine description file does not exist");
        }
        NSDictionary root;
        try {
            root = plists.read(file);
        } catch (InfoPlistException e) {
            throw new MachineDescriptionException(source + (e.location() == null ? "" : ", " + e.location()) + ": "
                    + e.problem().replace("an Info.plist must be", "a machine description must be"));
        }
        return describe(root, source, knownFamilies);
    }

    /** Parse machine description bytes; {@code source} names them in messages. */
    public MachineDescription parse(byte[] bytes, String source, Collection<String> knownFamilies)
            throws MachineDescriptionException {
        NSDictionary root;
        try {
            root = plists.parse(bytes, Path.of(source.replace('/', '_').replace('\\', '_')));
        } catch (InfoPlistException e) {
            throw new MachineDescriptionException(source + (e.location() == null ? "" : ", " + e.location()) + ": "
                    + e.problem().replace("an Info.plist must be", "a machine description must be"));
        }
        return describe(root, source, knownFamilies);
    }

    /**
     * Return the built-in default machine ({@code SimMachine}: an echo DMA engine in PCI slot 1 and a
     * NIC in slot 2), used when no machine file is given.
     */
    public static MachineDescription defaultMachine() {
        return DefaultMachine.DESCRIPTION;
    }

    /** The default machine, read once: a description is immutable and this one has only scalar values. */
    private static final class DefaultMachine {
        static final MachineDescription DESCRIPTION = readDefaultMachine();
    }

    private static MachineDescription readDefaultMachine() {
        try (InputStream in = MachineDescriptionReader.class.getResourceAsStream(DEFAULT_MACHINE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the kextkit harness jar lacks " + DEFAULT_MACHINE_RESOURCE);
            }
            return new MachineDescriptionReader().parse(in.readAllBytes(), DEFAULT_MACHINE_SOURCE, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MachineDescriptionException e) {
            throw new IllegalStateException("the built-in default machine is invalid: " + e.getMessage(), e);
        }
    }

    private static MachineDescription describe(NSDictionary root, String source, Collection<String> knownFamilies)
            throws MachineDescriptionException {
        for (String key : root.keySet()) {
            if (!MACHINE_KEYS.contains(key)) {
                throw new MachineDescriptionException(source + ": " + key + ": unknown key (expected "
                        + new TreeSet<>(MACHINE_KEYS) + ")");
            }
        }
        String name = string(root, "MachineName", source, "MachineName");
        String model = string(root, "Model", source, "Model");
        long seed = 0;
        NSObject seedValue = root.get("Seed");
        if (seedValue != null) {
            if (!(seedValue instanceof NSNumber) || !((NSNumber) seedValue).isInteger()) {
                throw new MachineDescriptionException(source + ": Seed: " + typeName(seedValue) + " (expected an <integer>)");
            }
            seed = ((NSNumber) seedValue).longValue();
        }
        List<MachineDescription.Device> devices = new ArrayList<>();
        NSObject devicesValue = root.get("Devices");
        if (devicesValue != null) {
            if (!(devicesValue instanceof NSArray)) {
                throw new MachineDescriptionException(source + ": Devices: " + typeName(devicesValue)
                        + " (expected an <array> of <dict>, one per device)");
            }
            NSObject[] entries = ((NSArray) devicesValue).getArray();
            for (int i = 0; i < entries.length; i++) {
                devices.add(device(entries[i], "Devices[" + i + "]", source, knownFamilies));
            }
        }
        return new MachineDescription(source, name, model, seed, devices);
    }

    private static MachineDescription.Device device(NSObject entry, String keyPath, String source,
            Collection<String> knownFamilies) throws MachineDescriptionException {
        if (!(entry instanceof NSDictionary)) {
            throw new MachineDescriptionException(source + ": " + keyPath + ": " + typeName(entry)
                    + " (expected a <dict> with Family and the family's keys)");
        }
        NSDictionary dict = (NSDictionary) entry;
        String family = string(dict, "Family", source, keyPath + ".Family");
        if (knownFamilies != null && !knownFamilies.contains(family)) {
            throw new MachineDescriptionException(source + ": " + keyPath + ".Family: unknown family '" + family
                    + "' (expected one of " + new TreeSet<>(knownFamilies) + ")");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Map.Entry<String, NSObject> e : dict.entrySet()) {
            properties.put(e.getKey(), toJava(e.getValue()));
        }
        return new MachineDescription.Device(family, keyPath, properties);
    }

    private static String string(NSDictionary dict, String key, String source, String keyPath)
            throws MachineDescriptionException {
        NSObject value = dict.get(key);
        if (value == null) {
            throw new MachineDescriptionException(source + ": " + keyPath + ": missing (expected a <string>)");
        }
        if (!(value instanceof NSString) || ((NSString) value).getContent().isBlank()) {
            throw new MachineDescriptionException(source + ": " + keyPath + ": " + typeName(value)
                    + " (expected a non-empty <string>)");
        }
        return ((NSString) value).getContent();
    }

    private static String typeName(NSObject value) {
        if (value instanceof NSString) {
            return ((NSString) value).getContent().isBlank() ? "an empty <string>" : "a <string>";
        }
        if (value instanceof NSNumber) {
            NSNumber n = (NSNumber) value;
            return n.isBoolean() ? "a boolean" : n.isInteger() ? "an <integer>" : "a <real>";
        }
        if (value instanceof NSArray) {
            return "an <array>";
        }
        if (value instanceof NSDictionary) {
            return "a <dict>";
        }
        if (value instanceof NSData) {
            return "<data>";
        }
        if (value instanceof NSDate) {
            return "a <date>";
        }
        return "a " + (value == null ? "missing value" : value.getClass().getSimpleName());
    }

    /** Convert a plist value to the Java form families read: String, Long, Double, Boolean, byte[], List, Map. */
    static Object toJava(NSObject value) {
        if (value instanceof NSString) {
            return ((NSString) value).getContent();
        }
        if (value instanceof NSNumber) {
            NSNumber n = (NSNumber) value;
            if (n.isBoolean()) {
                return n.boolValue();
            }
            return n.isInteger() ? (Object) n.longValue() : (Object) n.doubleValue();
        }
        if (value instanceof NSArray) {
            List<Object> list = new ArrayList<>();
            for (NSObject o : ((NSArray) value).getArray()) {
                list.add(toJava(o));
            }
            return list;
        }
        if (value instanceof NSDictionary) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, NSObject> e : ((NSDictionary) value).entrySet()) {
                map.put(e.getKey(), toJava(e.getValue()));
            }
            return map;
        }
        if (value instanceof NSData) {
            return ((NSData) value).bytes();
        }
        if (value instanceof NSDate) {
            return ((NSDate) value).getDate();
        }
        return String.valueOf(value);
    }
}
