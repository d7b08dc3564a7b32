package org.kextkit.harness.cli.kextfind;

/**
 * Name kextfind's yes/no predicates, with their long and short spellings and, for those a report may
 * show, the report column heading.
 */
enum Flag {
    LOADED("-loaded", null, "Loaded"),
    VALID("-valid", "-v", "Valid"),
    AUTHENTIC("-authentic", "-a", "Authentic"),
    DEPENDENCIES_MET("-dependencies-met", "-d", "Dependencies Met"),
    LOADABLE("-loadable", "-l", "Loadable"),
    WARNINGS("-warnings", "-w", "Warnings"),
    LIBRARY("-library", "-lib", "Library"),
    HAS_PLUGINS("-has-plugins", null, "Plugins"),
    PLUGIN("-plugin", null, "Is Plugin"),
    DEBUG("-debug", null, "Debug"),
    KERNEL_RESOURCE("-kernel-resource", null, "Kernel Resource"),
    DUPLICATE_ID("-duplicate-id", "-dup", "Has Duplicates"),
    EXECUTABLE("-executable", "-x", "Has Executable"),
    INVALID("-invalid", "-nv", null),
    INAUTHENTIC("-inauthentic", "-na", null),
    DEPENDENCIES_MISSING("-dependencies-missing", "-nd", null),
    NONLOADABLE("-nonloadable", "-nl", null),
    NO_EXECUTABLE("-no-executable", "-nx", null);

    final String longName;
    final String shortName;
    final String reportHeading;

    Flag(String longName, String shortName, String reportHeading) {
        this.longName = longName;
        this.shortName = shortName;
        this.reportHeading = reportHeading;
    }

    static Flag named(String token) {
        for (Flag f : values()) {
            if (f.longName.equals(token) || token.equals(f.shortName)) {
                return f;
            }
        }
        return null;
    }
}
