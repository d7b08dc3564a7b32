package org.kextkit.harness.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Parse and hold the hosted kernel's boot-args, the string macOS keeps in {@code nvram boot-args}.
 *
 * <p>Arguments are separated by white space. One that starts with {@code -} is a flag
 * ({@code -x}, {@code -v}); {@code name=value} sets a value; a bare {@code name} is a flag too, as
 * XNU's {@code PE_parse_boot_argn} treats it as set. As in XNU, when a name appears twice the first
 * occurrence wins. Values cannot contain white space.
 *
 * <p>kextkit understands {@code -x} (safe boot), {@code -v} (verbose), {@code debug=} (debug flags),
 * {@code kextlog=} (the kext log spec of {@code kext_logging(8)}), {@code io=} (IOKitDebug) as
 * decimal or {@code 0x} hexadecimal numbers, and {@code kext-dev-mode=} ({@code 0} or {@code 1}).
 * Every other argument is kept as written and listed by {@link #unknown()}, so that components added
 * later can read theirs with {@link #value(String)} and {@link #number(String)}.
 */
public final class BootArgs {
    /** No boot-args at all. */
    public static final BootArgs NONE = new BootArgs(List.of(), Map.of(), List.of());

    private static final long UINT32_MAX = 0xFFFF_FFFFL;
    private static final Set<String> KNOWN_FLAGS = Set.of("-x", "-v");
    private static final Set<String> KNOWN_NAMES = Set.of("debug", "kextlog", "io", "kext-dev-mode");

    private final List<String> args;
    /** Name (flags with their dash) to value; a flag maps to the empty string. First occurrence wins. */
    private final Map<String, String> values;
    private final List<String> unknown;

    private BootArgs(List<String> args, Map<String, String> values, List<String> unknown) {
        this.args = args;
        this.values = values;
        this.unknown = unknown;
    }

    /**
     * Parse a boot-args string.
     *
     * @throws BootArgsException if a known argument has a value of the wrong form
     */
    public static BootArgs parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<String> args = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String arg : text.trim().split("\\s+")) {
            args.add(arg);
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("-") || eq < 0) {
                name = arg;
                value = "";
            } else if (eq == 0) {
                throw new BootArgsException(arg, "name=value with a non-empty name", arg);
            } else {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            boolean known = KNOWN_FLAGS.contains(name) || KNOWN_NAMES.contains(name);
            if (!known) {
                unknown.add(arg);
            }
            if (values.containsKey(name)) {
                continue;
            }
            if (KNOWN_NAMES.contains(name)) {
                validate(name, value, arg, eq >= 0);
            }
            values.put(name, value);
        }
        return new BootArgs(List.copyOf(args), Collections.unmodifiableMap(values), List.copyOf(unknown));
    }

    private static void validate(String name, String value, String arg, boolean hasValue) {
        if (!hasValue) {
            throw new BootArgsException(arg, name + "=<value>", "no value");
        }
        switch (name) {
            case "kext-dev-mode" -> {
                if (!value.equals("0") && !value.equals("1")) {
                    throw new BootArgsException(arg, "0 or 1", quote(value));
                }
            }
            case "io" -> parseNumber(name, value, arg, -1L);
            default -> parseNumber(name, value, arg, UINT32_MAX);
        }
    }

    /**
     * Parse a decimal or {@code 0x} hexadecimal unsigned number no greater than {@code max}
     * ({@code -1} stands for the unsigned 64-bit maximum).
     */
    private static long parseNumber(String name, String value, String arg, long max) {
        String expected = max == -1L
                ? "a decimal or 0x-prefixed hexadecimal number from 0 to 0xffffffffffffffff"
                : "a decimal or 0x-prefixed hexadecimal number from 0 to 0x" + Long.toHexString(max);
        boolean hex = value.startsWith("0x") || value.startsWith("0X");
        String digits = hex ? value.substring(2) : value;
        if (digits.isEmpty() || digits.startsWith("+") || digits.startsWith("-")) {
            throw new BootArgsException(arg, expected, quote(value));
        }
        long parsed;
        try {
            parsed = Long.parseUnsignedLong(digits, hex ? 16 : 10);
        } catch (NumberFormatException e) {
            throw new BootArgsException(arg, expected, quote(value));
        }
        if (Long.compareUnsigned(parsed, max) > 0) {
            throw new BootArgsException(arg, expected, quote(value));
        }
        return parsed;
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    /** Return every argument as written, in order. */
    public List<String> args() {
        return args;
    }

    /** Return the arguments kextkit does not interpret, as written, in order. */
    public List<String> unknown() {
        return unknown;
    }

    /** Return true if there are no arguments. */
    public boolean isEmpty() {
        return args.isEmpty();
    }

    /** Return true if flag {@code name} (with its dash, for example {@code -x}) or bare name is present. */
    public boolean hasFlag(String name) {
        String v = values.get(name);
        return v != null && v.isEmpty();
    }

    /** Return the value of {@code name=value}; a flag or bare name yields an empty string. */
    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /**
     * Return the value of {@code name=value} as a decimal or {@code 0x} hexadecimal unsigned 64-bit number.
     *
     * @throws BootArgsException if the argument is present but is not such a number
     */
    public OptionalLong number(String name) {
        String v = values.get(name);
        if (v == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(parseNumber(name, v, name + "=" + v, -1L));
    }

    /** Return true for {@code -x}: simulate safe boot, so only kexts with {@code OSBundleRequired} load. */
    public boolean safeBoot() {
        return hasFlag("-x");
    }

    /** Return true for {@code -v}: verbose boot. */
    public boolean verbose() {
        return hasFlag("-v");
    }

    /** Return the {@code debug=} flags, or 0 when absent (as in XNU). */
    public long debugFlags() {
        return number("debug").orElse(0L);
    }

    /** Return the {@code kextlog=} log spec ({@code kext_logging(8)}), if given. */
    public OptionalLong kextLogSpec() {
        return number("kextlog");
    }

    /** Return the {@code io=} IOKitDebug flags, if given. */
    public OptionalLong ioKitDebug() {
        return number("io");
    }

    /** Return true for {@code kext-dev-mode=1}: development kexts load without signature checks. */
    public boolean kextDevMode() {
        return "1".equals(values.get("kext-dev-mode"));
    }

    /** Return the arguments joined by single spaces, as {@code nvram boot-args} would show them. */
    @Override
    public String toString() {
        return String.join(" ", args);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BootArgs other && args.equals(other.args);
    }

    @Override
    public int hashCode() {
        return args.hashCode();
    }
}
