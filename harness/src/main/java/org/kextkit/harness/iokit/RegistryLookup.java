package org.kextkit.harness.iokit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kextkit.kit.iokit.IORegistryEntry;
import org.kextkit.kit.iokit.IOService;

/**
 * Find one service in the registry the way a person names it on the command line:
 * <ul>
 *   <li>a registry path in the service plane, with or without the plane: {@code IOService:/SimMachine/pci@0/ethernet@1}
 *       or {@code /SimMachine/pci@0/ethernet@1};</li>
 *   <li>a name with its location, {@code ethernet@1}, or a name alone, {@code ethernet}, which must be
 *       unambiguous;</li>
 *   <li>a registry entry ID as ioreg prints it, {@code 0x100000123} (or in decimal).</li>
 * </ul>
 */
public final class RegistryLookup {
    /**
     * The service found, or why none was.
     *
     * @param service the service, or {@code null}
     * @param error the reason, naming what was asked for and what exists, or {@code null} when found
     */
    public record Result(IOService service, String error) {
        /** Return true if a service was found. */
        public boolean found() {
            return service != null;
        }
    }

    private RegistryLookup() {
    }

    /** Find {@code spec} among {@code services} (every service of the registry under {@code root}). */
    public static Result find(IORegistryEntry root, List<IOService> services, String spec) {
        if (spec == null || spec.isBlank()) {
            return new Result(null, "no service given: name a registry path, a name[@location] or an id such as 0x100000100");
        }
        String text = spec.trim();
        Long id = parseId(text);
        if (id != null) {
            for (IOService service : services) {
                if (service.getRegistryEntryID() == id) {
                    return new Result(service, null);
                }
            }
            return new Result(null, "no service in the registry has id " + text);
        }
        String plane = IORegistryEntry.gIOServicePlane + ":";
        if (text.startsWith(plane) || text.startsWith("/")) {
            String path = text.startsWith(plane) ? text : plane + text;
            for (IOService service : services) {
                if (service.getPath(IORegistryEntry.gIOServicePlane).equals(path)) {
                    return new Result(service, null);
                }
            }
            return new Result(null, "no service is at " + path + " (ioreg shows the registry's paths)");
        }
        boolean withLocation = text.contains("@");
        List<IOService> matches = new ArrayList<>();
        for (IOService service : services) {
            String name = service.getName() + (service.getLocation() == null ? "" : "@" + service.getLocation());
            if (withLocation ? name.equals(text) : service.getName().equals(text)) {
                matches.add(service);
            }
        }
        if (matches.size() == 1) {
            return new Result(matches.get(0), null);
        }
        if (matches.isEmpty()) {
            return new Result(null, "no service in the registry is named " + text);
        }
        StringBuilder sb = new StringBuilder(matches.size() + " services are named " + text + "; give a path or an id:");
        for (IOService service : matches) {
            sb.append("\n    ").append(service.getPath(IORegistryEntry.gIOServicePlane)).append(" (id 0x")
                    .append(Long.toHexString(service.getRegistryEntryID())).append(')');
        }
        return new Result(null, sb.toString());
    }

    private static Long parseId(String text) {
        try {
            if (text.toLowerCase(Locale.ROOT).startsWith("0x")) {
                return Long.parseUnsignedLong(text.substring(2), 16);
            }
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(text);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }
}
