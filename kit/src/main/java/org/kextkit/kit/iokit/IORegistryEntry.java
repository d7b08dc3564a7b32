package org.kextkit.kit.iokit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.kit.internal.IOKitHost;
import org.kextkit.kit.internal.MetaClassNames;
import org.kextkit.kit.libkern.OSObject;

/**
 * An object in the I/O Registry: a property table, a name and location, and parent/child links in
 * each plane ({@code IOService}, {@code IOPower}, ...), as {@code IORegistryEntry} has.
 *
 * <p>Property values use the Java form of the OS container classes: {@code String} (OSString and
 * OSSymbol), {@code Long}/{@code Integer} (OSNumber), {@code Boolean} (OSBoolean), {@code byte[]}
 * (OSData), {@code List} (OSArray), {@code Map<String, Object>} (OSDictionary), and any
 * {@link OSObject}. A table passed in or returned is a copy; getters return the stored value.
 */
public class IORegistryEntry extends OSObject {
    /** The service plane: provider/client stacking, ioreg's default. */
    public static final String gIOServicePlane = "IOService";
    /** The power plane: the power domain tree. */
    public static final String gIOPowerPlane = "IOPower";
    /** The device tree plane: firmware topology. */
    public static final String gIODTPlane = "IODeviceTree";

    private final Map<String, Object> properties = new LinkedHashMap<>();
    // plane -> parents / children, in attach order. Not final and created on first use: a Mockito
    // mock of a provider runs no constructor, yet a real driver must still be able to attach to it.
    private Map<String, List<IORegistryEntry>> parents;
    private Map<String, List<IORegistryEntry>> children;
    private final long registryEntryID;
    private String name;
    private String location;

    /** Create an entry with an empty property table and a fresh registry entry ID. */
    public IORegistryEntry() {
        this.registryEntryID = host().newRegistryEntryID();
    }

    /** Return the I/O Kit side of the kernel this object lives in. */
    protected final IOKitHost host() {
        return kernelServices().iokit();
    }

    /** Initialise with a copy of {@code dictionary} as the property table; return false to fail. */
    public boolean init(Map<String, Object> dictionary) {
        if (dictionary != null) {
            synchronized (properties) {
                properties.putAll(dictionary);
            }
        }
        return true;
    }

    /** Return a property, or {@code null}. */
    public Object getProperty(String key) {
        synchronized (properties) {
            return properties.get(key);
        }
    }

    /** Return true if the property table has {@code key}. */
    public boolean hasProperty(String key) {
        synchronized (properties) {
            return properties.containsKey(key);
        }
    }

    /** Set a property; return true. */
    public boolean setProperty(String key, Object value) {
        if (key == null || value == null) {
            return false;
        }
        synchronized (properties) {
            properties.put(key, value);
        }
        return true;
    }

    /** Remove a property. */
    public void removeProperty(String key) {
        synchronized (properties) {
            properties.remove(key);
        }
    }

    /** Return a copy of the property table, in insertion order. */
    public Map<String, Object> getPropertyTable() {
        synchronized (properties) {
            return new LinkedHashMap<>(properties);
        }
    }

    /** Return the name: the one set, else the {@code IOName} property, else the class's simple name. */
    public String getName() {
        if (name != null) {
            return name;
        }
        Object ioName = getProperty("IOName");
        return ioName instanceof String ? (String) ioName : getMetaClassName();
    }

    /** Set the name. */
    public void setName(String name) {
        this.name = name;
    }

    /** Return the location (the {@code @} part of a path), or {@code null}. */
    public String getLocation() {
        return location;
    }

    /** Set the location. */
    public void setLocation(String location) {
        this.location = location;
    }

    /** Return the class name as {@code OSMetaClass} reports it (see {@link MetaClassNames}). */
    public String getMetaClassName() {
        return MetaClassNames.of(getClass());
    }

    /** Return the unique ID of this entry. */
    public long getRegistryEntryID() {
        return registryEntryID;
    }

    /**
     * Attach below {@code parent} in {@code plane}; return false if already attached there.
     *
     * <p>As in I/O Kit, the registry holds a reference on both ends of every link: attaching retains
     * this entry and {@code parent}, detaching releases them. A nub that its family creates, attaches
     * and registers is therefore released by the family afterwards and lives as long as it stays in
     * the registry; a driver whose last link goes is freed.
     */
    public boolean attachToParent(IORegistryEntry parent, String plane) {
        if (parent == null || parent == this) {
            return false;
        }
        synchronized (IORegistryEntry.class) {
            List<IORegistryEntry> mine = links(this, true).computeIfAbsent(plane, p -> new ArrayList<>());
            if (mine.contains(parent)) {
                return false;
            }
            mine.add(parent);
            links(parent, false).computeIfAbsent(plane, p -> new ArrayList<>()).add(this);
        }
        retain();
        parent.retain();
        return true;
    }

    /** Detach from {@code parent} in {@code plane}, dropping the references the link held. */
    public void detachFromParent(IORegistryEntry parent, String plane) {
        boolean removed = false;
        synchronized (IORegistryEntry.class) {
            List<IORegistryEntry> mine = parents == null ? null : parents.get(plane);
            if (mine != null && mine.remove(parent)) {
                removed = true;
                List<IORegistryEntry> theirs = links(parent, false).get(plane);
                if (theirs != null) {
                    theirs.remove(this);
                }
            }
        }
        if (removed) {
            parent.release();
            release();
        }
    }

    /** Detach from every parent in {@code plane}. */
    public void detachAll(String plane) {
        for (IORegistryEntry parent : getParentEntries(plane)) {
            detachFromParent(parent, plane);
        }
    }

    // Return an entry's parent (or child) links, creating the table for entries built without a
    // constructor (mocks). Call with the registry lock held.
    private static Map<String, List<IORegistryEntry>> links(IORegistryEntry entry, boolean parentLinks) {
        if (parentLinks) {
            if (entry.parents == null) {
                entry.parents = new LinkedHashMap<>();
            }
            return entry.parents;
        }
        if (entry.children == null) {
            entry.children = new LinkedHashMap<>();
        }
        return entry.children;
    }

    /** Return the first parent in {@code plane}, or {@code null}. */
    public IORegistryEntry getParentEntry(String plane) {
        synchronized (IORegistryEntry.class) {
            List<IORegistryEntry> mine = parents == null ? null : parents.get(plane);
            return mine == null || mine.isEmpty() ? null : mine.get(0);
        }
    }

    /** Return the parents in {@code plane}, in attach order. */
    public List<IORegistryEntry> getParentEntries(String plane) {
        synchronized (IORegistryEntry.class) {
            List<IORegistryEntry> mine = parents == null ? null : parents.get(plane);
            return mine == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(mine));
        }
    }

    /** Return the first child in {@code plane}, or {@code null}. */
    public IORegistryEntry getChildEntry(String plane) {
        synchronized (IORegistryEntry.class) {
            List<IORegistryEntry> mine = children == null ? null : children.get(plane);
            return mine == null || mine.isEmpty() ? null : mine.get(0);
        }
    }

    /** Return the children in {@code plane}, in attach order. */
    public List<IORegistryEntry> getChildEntries(String plane) {
        synchronized (IORegistryEntry.class) {
            List<IORegistryEntry> mine = children == null ? null : children.get(plane);
            return mine == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(mine));
        }
    }

    /** Return true if {@code child} is a child of this entry in {@code plane}. */
    public boolean isChild(IORegistryEntry child, String plane) {
        synchronized (IORegistryEntry.class) {
            List<IORegistryEntry> mine = children == null ? null : children.get(plane);
            return mine != null && mine.contains(child);
        }
    }

    /** Return true if this entry has a parent or child in {@code plane}. */
    public boolean inPlane(String plane) {
        synchronized (IORegistryEntry.class) {
            List<IORegistryEntry> p = parents == null ? null : parents.get(plane);
            List<IORegistryEntry> c = children == null ? null : children.get(plane);
            return (p != null && !p.isEmpty()) || (c != null && !c.isEmpty());
        }
    }

    /** Return the path of this entry in {@code plane}, such as {@code IOService:/SimMachine/pci@0/ethernet@1}. */
    public String getPath(String plane) {
        StringBuilder path = new StringBuilder();
        IORegistryEntry entry = this;
        while (entry != null && entry.getParentEntry(plane) != null) {
            String component = entry.getName() + (entry.getLocation() == null ? "" : "@" + entry.getLocation());
            path.insert(0, "/" + component);
            entry = entry.getParentEntry(plane);
        }
        return plane + ":" + (path.length() == 0 ? "/" : path.toString());
    }
}
