package org.kextkit.harness.cli.ioreg;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.kextkit.kit.iokit.IORegistryEntry;

/**
 * What {@code ioreg} shows and how: the options of its command line as an immutable value.
 *
 * <p>Build one with {@link #builder()} (for example in a test that prints a registry) or read a
 * command line with {@link #parse(List)}, which accepts what ioreg's {@code getopt} accepts:
 * clustered flags ({@code -lx}), option values attached or separate ({@code -w80}, {@code -w 80}),
 * and {@code --} to end the options. {@link #defaults()} is plain {@code ioreg}: the service plane,
 * no properties, no clipping.
 */
public final class IoregOptions {
    /** The planes kextkit's registry has ({@code IOService}, {@code IOPower}, {@code IODeviceTree}). */
    public static final Set<String> PLANES =
            Set.of(IORegistryEntry.gIOServicePlane, IORegistryEntry.gIOPowerPlane, IORegistryEntry.gIODTPlane);

    /** The usage text ioreg prints after a malformed command line, one option a line. */
    public static final String USAGE = String.join("\n",
            "usage: ioreg [-abilrtx] [-c class] [-d depth] [-k key] [-n name] [-p plane] [-w width]",
            "where options are:",
            "\t-a archive output (an XML property list)",
            "\t-b show object names in bold",
            "\t-c show properties of objects of the given class or of a subclass",
            "\t-d limit the tree to the given depth (0 is unlimited)",
            "\t-i show the inheritance of each object's class",
            "\t-k show properties of objects that have the given key",
            "\t-l show properties of every object",
            "\t-n show properties of objects with the given name (name@location to compare the location too)",
            "\t-p traverse the given plane (IOService is default)",
            "\t-r show subtrees rooted at the objects selected by -c, -k or -n",
            "\t-t with -r, show the ancestors of each subtree root",
            "\t-w clip lines to the given width (0 is unlimited)",
            "\t-x show numbers and data in hexadecimal",
            "");

    // Options that take a value, and flags, as in ioreg's getopt string; -s, -S and -y are accepted
    // for compatibility and change nothing (state is always shown; kextkit has no DriverKit classes).
    private static final String WITH_VALUE = "cdknpw";
    private static final String FLAGS = "abfilrsStxy";

    private final String plane;
    private final boolean list;
    private final String className;
    private final String name;
    private final String key;
    private final boolean rooted;
    private final int depth;
    private final boolean ancestors;
    private final int width;
    private final boolean hex;
    private final boolean inheritance;
    private final boolean archive;
    private final boolean bold;

    private IoregOptions(Builder b) {
        this.plane = b.plane;
        this.list = b.list;
        this.className = b.className;
        this.name = b.name;
        this.key = b.key;
        this.rooted = b.rooted;
        this.depth = b.depth;
        this.ancestors = b.ancestors;
        this.width = b.width;
        this.hex = b.hex;
        this.inheritance = b.inheritance;
        this.archive = b.archive;
        this.bold = b.bold;
    }

    /** Return the options of plain {@code ioreg}. */
    public static IoregOptions defaults() {
        return builder().build();
    }

    /** Start building options from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Read an ioreg command line (the arguments after {@code ioreg}). */
    public static IoregOptions parse(String... args) throws IoregUsageException {
        return parse(Arrays.asList(args));
    }

    /**
     * Read an ioreg command line (the arguments after {@code ioreg}).
     *
     * @throws IoregUsageException naming the first problem: an unknown option, a missing or malformed
     *     value, an unknown plane, or an argument that is not an option
     */
    public static IoregOptions parse(List<String> args) throws IoregUsageException {
        Builder b = builder();
        int i = 0;
        while (i < args.size()) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                break;
            }
            for (int j = 1; j < arg.length(); j++) {
                char option = arg.charAt(j);
                if (WITH_VALUE.indexOf(option) >= 0) {
                    String value;
                    if (j + 1 < arg.length()) {
                        value = arg.substring(j + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        throw new IoregUsageException("ioreg: option requires an argument -- " + option);
                    }
                    b.value(option, value);
                    break;
                }
                if (FLAGS.indexOf(option) < 0) {
                    throw new IoregUsageException("ioreg: illegal option -- " + option);
                }
                b.flag(option);
            }
            i++;
        }
        if (i < args.size()) {
            throw new IoregUsageException("ioreg: unexpected argument \"" + args.get(i)
                    + "\"; select objects with -c class, -k key or -n name");
        }
        return b.build();
    }

    /** Return the plane to traverse ({@code -p}). */
    public String plane() {
        return plane;
    }

    /** Return true to show the properties of every object ({@code -l}). */
    public boolean list() {
        return list;
    }

    /** Return the class whose objects (and subclasses') show properties ({@code -c}), or {@code null}. */
    public String className() {
        return className;
    }

    /** Return the name (or {@code name@location}) of the objects that show properties ({@code -n}), or {@code null}. */
    public String name() {
        return name;
    }

    /** Return the property key whose holders show properties ({@code -k}), or {@code null}. */
    public String key() {
        return key;
    }

    /** Return true to print only the subtrees rooted at the selected objects ({@code -r}). */
    public boolean rooted() {
        return rooted;
    }

    /** Return the depth limit per subtree root, 0 for none ({@code -d}). */
    public int depth() {
        return depth;
    }

    /** Return true to show the ancestors of each subtree root ({@code -t}, with {@code -r}). */
    public boolean ancestors() {
        return ancestors;
    }

    /** Return the line width to clip to, 0 for none ({@code -w}). */
    public int width() {
        return width;
    }

    /** Return true to show numbers and data in hexadecimal ({@code -x}). */
    public boolean hex() {
        return hex;
    }

    /** Return true to show each object's class inheritance ({@code -i}). */
    public boolean inheritance() {
        return inheritance;
    }

    /** Return true for XML property-list output ({@code -a}). */
    public boolean archive() {
        return archive;
    }

    /** Return true to show object names in bold ({@code -b}). */
    public boolean bold() {
        return bold;
    }

    /** Return true if {@code -c}, {@code -k} or {@code -n} selects objects. */
    public boolean selects() {
        return className != null || name != null || key != null;
    }

    /** Return a builder preset with these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.plane = plane;
        b.list = list;
        b.className = className;
        b.name = name;
        b.key = key;
        b.rooted = rooted;
        b.depth = depth;
        b.ancestors = ancestors;
        b.width = width;
        b.hex = hex;
        b.inheritance = inheritance;
        b.archive = archive;
        b.bold = bold;
        return b;
    }

    /** Build {@link IoregOptions}. */
    public static final class Builder {
        private String plane = IORegistryEntry.gIOServicePlane;
        private boolean list;
        private String className;
        private String name;
        private String key;
        private boolean rooted;
        private int depth;
        private boolean ancestors;
        private int width;
        private boolean hex;
        private boolean inheritance;
        private boolean archive;
        private boolean bold;

        private Builder() {
        }

        /** Traverse {@code planeName} ({@code -p}); one of {@link #PLANES}. */
        public Builder plane(String planeName) {
            if (!PLANES.contains(planeName)) {
                throw new IllegalArgumentException(unknownPlane(planeName));
            }
            this.plane = planeName;
            return this;
        }

        /** Show the properties of every object ({@code -l}). */
        public Builder list(boolean showAll) {
            this.list = showAll;
            return this;
        }

        /** Select objects of {@code name} or a subclass ({@code -c}); {@code null} clears. */
        public Builder className(String name) {
            this.className = name;
            return this;
        }

        /** Select objects named {@code objectName}, or {@code name@location} ({@code -n}); {@code null} clears. */
        public Builder name(String objectName) {
            this.name = objectName;
            return this;
        }

        /** Select objects that have the property {@code propertyKey} ({@code -k}); {@code null} clears. */
        public Builder key(String propertyKey) {
            this.key = propertyKey;
            return this;
        }

        /** Print only the subtrees rooted at the selected objects ({@code -r}). */
        public Builder rooted(boolean subtrees) {
            this.rooted = subtrees;
            return this;
        }

        /** Limit the depth per subtree root; 0 is unlimited ({@code -d}). */
        public Builder depth(int levels) {
            if (levels < 0) {
                throw new IllegalArgumentException("depth " + levels + " is negative");
            }
            this.depth = levels;
            return this;
        }

        /** Show the ancestors of each subtree root ({@code -t}). */
        public Builder ancestors(boolean show) {
            this.ancestors = show;
            return this;
        }

        /** Clip lines to {@code columns}; 0 is unlimited ({@code -w}). */
        public Builder width(int columns) {
            if (columns < 0) {
                throw new IllegalArgumentException("width " + columns + " is negative");
            }
            this.width = columns;
            return this;
        }

        /** Show numbers and data in hexadecimal ({@code -x}). */
        public Builder hex(boolean inHex) {
            this.hex = inHex;
            return this;
        }

        /** Show each object's class inheritance ({@code -i}). */
        public Builder inheritance(boolean show) {
            this.inheritance = show;
            return this;
        }

        /** Write an XML property list instead of the tree ({@code -a}). */
        public Builder archive(boolean xml) {
            this.archive = xml;
            return this;
        }

        /** Show object names in bold ({@code -b}). */
        public Builder bold(boolean inBold) {
            this.bold = inBold;
            return this;
        }

        /** Return the options. */
        public IoregOptions build() {
            return new IoregOptions(this);
        }

        private void flag(char option) throws IoregUsageException {
            switch (option) {
                case 'a' -> archive = true;
                case 'b' -> bold = true;
                case 'i' -> inheritance = true;
                case 'l' -> list = true;
                case 'r' -> rooted = true;
                case 't' -> ancestors = true;
                case 'x' -> hex = true;
                case 'f' -> throw new IoregUsageException(
                        "ioreg: -f (decoding reg, ranges and interrupt properties) is not supported by kextkit");
                default -> {
                    // -s, -S, -y: accepted for compatibility, see FLAGS
                }
            }
        }

        private void value(char option, String value) throws IoregUsageException {
            switch (option) {
                case 'c' -> className = value;
                case 'k' -> key = value;
                case 'n' -> name = value;
                case 'd' -> depth = number(option, "depth", value);
                case 'w' -> width = number(option, "width", value);
                case 'p' -> {
                    if (!PLANES.contains(value)) {
                        throw new IoregUsageException("ioreg: " + unknownPlane(value));
                    }
                    plane = value;
                }
                default -> throw new IllegalStateException("option -" + option + " has no value handler");
            }
        }

        private static int number(char option, String what, String value) throws IoregUsageException {
            if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                try {
                    return Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    // too many digits: reported below
                }
            }
            throw new IoregUsageException("ioreg: -" + option + " expects a " + what
                    + " (a whole number, 0 for unlimited), not \"" + value + "\"");
        }
    }

    private static String unknownPlane(String planeName) {
        return "no plane named \"" + planeName + "\"; the planes are " + String.join(", ", PLANES.stream().sorted().toList());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IoregOptions)) {
            return false;
        }
        IoregOptions other = (IoregOptions) o;
        return plane.equals(other.plane) && list == other.list && Objects.equals(className, other.className)
                && Objects.equals(name, other.name) && Objects.equals(key, other.key) && rooted == other.rooted
                && depth == other.depth && ancestors == other.ancestors && width == other.width && hex == other.hex
                && inheritance == other.inheritance && archive == other.archive && bold == other.bold;
    }

    @Override
    public int hashCode() {
        return Objects.hash(plane, list, className, name, key, rooted, depth, ancestors, width, hex, inheritance, archive, bold);
    }
}
