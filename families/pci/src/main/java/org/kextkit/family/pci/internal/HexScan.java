package org.kextkit.family.pci.internal;

/**
 * Read one hexadecimal number the way the kernel's {@code strtoul(s, &end, 16)} does (the BSD C
 * library routine xnu carries), because Apple's PCI family parses its match strings with it and
 * every quirk of a personality's value follows from that routine.
 *
 * <p>Leading white space is skipped, a sign is accepted (a minus negates modulo 2^64), a {@code 0x}
 * or {@code 0X} prefix is consumed, and an unsigned 64-bit result saturates at all ones. When no
 * digit follows, nothing is converted and the end is the starting position, even if white space,
 * a sign or a {@code 0x} prefix was read; that is how BSD's routine behaves and differs from glibc's.
 *
 * @param value the number as the kernel's 64-bit {@code unsigned long}
 * @param end the index just past the last digit, or the start if nothing was converted
 * @param converted true if at least one digit was read
 * @param overflowed true if the number did not fit in 64 bits (the value is then all ones)
 */
record HexScan(long value, int end, boolean converted, boolean overflowed) {
    /** Scan {@code text} from {@code start}. */
    static HexScan scan(String text, int start) {
        int i = start;
        int n = text.length();
        while (i < n && isSpace(text.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        if (i + 1 < n && text.charAt(i) == '0' && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X')) {
            i += 2;
        }
        long acc = 0;
        boolean any = false;
        boolean overflow = false;
        while (i < n) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0 || text.charAt(i) > 'f') {
                break;
            }
            any = true;
            if (!overflow) {
                if (Long.compareUnsigned(acc, 0x0FFF_FFFF_FFFF_FFFFL) > 0) {
                    overflow = true;
                } else {
                    acc = (acc << 4) | digit;
                }
            }
            i++;
        }
        if (!any) {
            return new HexScan(0, start, false, false);
        }
        long value = overflow ? -1L : (negative ? -acc : acc);
        return new HexScan(value, i, true, overflow);
    }

    /** Return true for the characters C's {@code isspace} accepts in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
