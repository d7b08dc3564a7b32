package org.kextkit.harness.cli.ioreg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.PropertyListParser;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code ioreg -a}: the XML property list, byte for byte where it matters and parsed where it is long. */
class IoregArchiveTest {
    private static final String HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
            + "<plist version=\"1.0\">\n";

    private final SampleRegistry sample = SampleRegistry.build();

    private String ioreg(String... args) throws IoregUsageException {
        return IoregFormatter.format(sample.root, IoregOptions.parse(args));
    }

    private static NSDictionary parseDict(String xml) throws Exception {
        return (NSDictionary) PropertyListParser.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theRootAloneIsOneDictionaryWithSortedKeys() throws Exception {
        assertEquals(HEADER
                + "<dict>\n"
                + "\t<key>IOObjectClass</key>\n"
                + "\t<string>IORegistryEntry</string>\n"
                + "\t<key>IOObjectRetainCount</key>\n"
                + "\t<integer>23</integer>\n"
                + "\t<key>IORegistryEntryID</key>\n"
                + "\t<integer>4294967552</integer>\n"
                + "\t<key>IORegistryEntryName</key>\n"
                + "\t<string>Root</string>\n"
                + "</dict>\n"
                + "</plist>\n", ioreg("-a", "-d", "1"));
    }

    @Test
    void rootedArchiveIsAnArrayOfTheSelectedSubtreesWithServiceStateAndProperties() throws Exception {
        assertEquals(HEADER
                + "<array>\n"
                + "\t<dict>\n"
                + "\t\t<key>IOObjectClass</key>\n"
                + "\t\t<string>IOPCIDevice</string>\n"
                + "\t\t<key>IOObjectRetainCount</key>\n"
                + "\t\t<integer>10</integer>\n"
                + "\t\t<key>IORegistryEntryID</key>\n"
                + "\t\t<integer>4294968080</integer>\n"
                + "\t\t<key>IORegistryEntryLocation</key>\n"
                + "\t\t<string>14</string>\n"
                + "\t\t<key>IORegistryEntryName</key>\n"
                + "\t\t<string>usb</string>\n"
                + "\t\t<key>IOServiceBusyState</key>\n"
                + "\t\t<integer>0</integer>\n"
                + "\t\t<key>IOServiceBusyTime</key>\n"
                + "\t\t<integer>0</integer>\n"
                + "\t\t<key>IOServiceState</key>\n"
                + "\t\t<integer>6</integer>\n"
                + "\t</dict>\n"
                + "</array>\n"
                + "</plist>\n", ioreg("-a", "-r", "-n", "usb@14"));
        assertEquals("", ioreg("-a", "-r", "-n", "nothing"), "no selection, no document");
    }

    @Test
    void theWholeTreeNestsChildrenInArraysAndCarriesSelectedProperties() throws Exception {
        sample.usb.serviceState().inactive = true;
        sample.usb.serviceState().busy = 1;
        sample.usb.serviceState().busyMillis = 7;
        NSDictionary root = parseDict(ioreg("-a", "-c", "com_example_FooEthernet"));
        assertEquals("Root", root.objectForKey(IoregFormatter.KEY_NAME).toJavaObject());
        NSArray top = (NSArray) root.objectForKey(IoregFormatter.KEY_CHILDREN);
        assertEquals(2, top.count());
        NSDictionary machine = (NSDictionary) top.objectAtIndex(0);
        NSDictionary pci = (NSDictionary) ((NSArray) machine.objectForKey(IoregFormatter.KEY_CHILDREN)).objectAtIndex(0);
        NSArray functions = (NSArray) pci.objectForKey(IoregFormatter.KEY_CHILDREN);
        NSDictionary ethernet = (NSDictionary) functions.objectAtIndex(0);
        NSDictionary usb = (NSDictionary) functions.objectAtIndex(1);
        NSDictionary foo = (NSDictionary) ((NSArray) ethernet.objectForKey(IoregFormatter.KEY_CHILDREN)).objectAtIndex(0);
        assertEquals("com_example_FooEthernet", foo.objectForKey(IoregFormatter.KEY_CLASS).toJavaObject());
        assertEquals(1000, ((NSNumber) foo.objectForKey("IOProbeScore")).intValue());
        assertEquals("IODefaultMatchCategory", foo.objectForKey("IOMatchCategory").toJavaObject());
        assertEquals(null, ethernet.objectForKey("IOProbeScore"));
        assertEquals(Set.of("IOObjectClass", "IOObjectRetainCount", "IORegistryEntryID", "IORegistryEntryLocation",
                "IORegistryEntryName", "IOServiceBusyState", "IOServiceBusyTime", "IOServiceState", "IORegistryEntryChildren"),
                ethernet.keySet(), "an unselected object has only the registry's keys");
        assertEquals(IoregFormatter.STATE_INACTIVE | IoregFormatter.STATE_REGISTERED | IoregFormatter.STATE_MATCHED,
                ((NSNumber) usb.objectForKey(IoregFormatter.KEY_SERVICE_STATE)).longValue());
        assertEquals(1, ((NSNumber) usb.objectForKey(IoregFormatter.KEY_BUSY_STATE)).intValue());
        assertEquals(7_000_000L, ((NSNumber) usb.objectForKey(IoregFormatter.KEY_BUSY_TIME)).longValue());
        assertEquals(0x100000400L, ((NSNumber) foo.objectForKey(IoregFormatter.KEY_ID)).longValue());
    }

    @Test
    void ancestorsWrapTheSubtreeOneDictionaryEachAsIoregDoes() throws Exception {
        NSArray found = (NSArray) PropertyListParser.parse(ioreg("-a", "-r", "-t", "-n", "usb@14").getBytes(StandardCharsets.UTF_8));
        assertEquals(1, found.count());
        NSDictionary root = (NSDictionary) found.objectAtIndex(0);
        NSDictionary machine = (NSDictionary) root.objectForKey(IoregFormatter.KEY_CHILDREN);
        NSDictionary pci = (NSDictionary) machine.objectForKey(IoregFormatter.KEY_CHILDREN);
        NSDictionary usb = (NSDictionary) pci.objectForKey(IoregFormatter.KEY_CHILDREN);
        assertEquals(List.of("Root", "SimMachine", "pci", "usb"), List.of(root, machine, pci, usb).stream()
                .map(d -> d.objectForKey(IoregFormatter.KEY_NAME).toJavaObject()).toList());
        assertEquals(null, usb.objectForKey(IoregFormatter.KEY_CHILDREN));
    }

    @Test
    void depthLimitsTheArchiveToo() throws Exception {
        NSDictionary root = parseDict(ioreg("-a", "-d", "2"));
        NSArray top = (NSArray) root.objectForKey(IoregFormatter.KEY_CHILDREN);
        assertEquals(2, top.count());
        assertEquals(null, ((NSDictionary) top.objectAtIndex(0)).objectForKey(IoregFormatter.KEY_CHILDREN));
    }

    @Test
    void valuesAreWrittenAsCoreFoundationWritesThem() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("z-string", "a<b & c>d");
        values.put("bool", true);
        values.put("no", false);
        values.put("int", -1);
        values.put("long", -1L);
        values.put("empty-array", List.of());
        values.put("empty-dict", Map.of());
        values.put("set", Set.of("only"));
        values.put("object", new Object());
        values.put("data", new byte[] {0, 1, 2, 3});
        assertEquals(HEADER
                + "<dict>\n"
                + "\t<key>bool</key>\n\t<true/>\n"
                + "\t<key>data</key>\n\t<data>\n\tAAECAw==\n\t</data>\n"
                + "\t<key>empty-array</key>\n\t<array/>\n"
                + "\t<key>empty-dict</key>\n\t<dict/>\n"
                + "\t<key>int</key>\n\t<integer>4294967295</integer>\n"
                + "\t<key>long</key>\n\t<integer>-1</integer>\n"
                + "\t<key>no</key>\n\t<false/>\n"
                + "\t<key>object</key>\n\t<string>java_lang_Object is not serializable</string>\n"
                + "\t<key>set</key>\n\t<array>\n\t\t<string>only</string>\n\t</array>\n"
                + "\t<key>z-string</key>\n\t<string>a&lt;b &amp; c&gt;d</string>\n"
                + "</dict>\n"
                + "</plist>\n", PlistXml.document(values));
    }

    @Test
    void dataLinesHoldAtMost76ColumnsCountingEightPerTab() {
        byte[] bytes = new byte[60];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7);
        }
        String encoded = Base64.getEncoder().encodeToString(bytes);
        String xml = PlistXml.document(Map.of("d", bytes));
        assertTrue(xml.contains("\t<data>\n\t" + encoded.substring(0, 68) + "\n\t" + encoded.substring(68) + "\n\t</data>\n"), xml);

        // Nested nine deep: the data lines stop indenting at eight tabs (12 characters a line), the tags do not.
        Object nested = bytes;
        for (int i = 0; i < 8; i++) {
            nested = List.of(nested);
        }
        String deep = PlistXml.document(Map.of("d", nested));
        String tabs8 = "\t".repeat(8);
        assertTrue(deep.contains("\t".repeat(9) + "<data>\n" + tabs8 + encoded.substring(0, 12) + "\n"), deep);
        assertTrue(deep.contains("\n" + "\t".repeat(9) + "</data>\n"), deep);
        assertEquals(7, deep.lines().filter(l -> l.startsWith(tabs8) && !l.contains("<")).count(), deep);
    }
}
