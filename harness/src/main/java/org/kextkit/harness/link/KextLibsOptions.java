package org.kextkit.harness.link;

/**
 * Hold kextlibs' options; each {@code with...} method returns a changed copy.
 *
 * <p>The option each setting stands for is named in its method's documentation.
 */
public final class KextLibsOptions {
    private static final KextLibsOptions DEFAULTS = new KextLibsOptions(false, false, false, false, false, false, false);

    private final boolean xml;
    private final boolean compatibleVersions;
    private final boolean undefSymbols;
    private final boolean onedefSymbols;
    private final boolean multdefSymbols;
    private final boolean unsupported;
    private final boolean nonKpi;

    private KextLibsOptions(boolean xml, boolean compatibleVersions, boolean undefSymbols, boolean onedefSymbols,
                            boolean multdefSymbols, boolean unsupported, boolean nonKpi) {
        this.xml = xml;
        this.compatibleVersions = compatibleVersions;
        this.undefSymbols = undefSymbols;
        this.onedefSymbols = onedefSymbols;
        this.multdefSymbols = multdefSymbols;
        this.unsupported = unsupported;
        this.nonKpi = nonKpi;
    }

    /** Return the options of a bare {@code kextlibs <kext>}. */
    public static KextLibsOptions defaults() {
        return DEFAULTS;
    }

    /** Print an {@code OSBundleLibraries} XML fragment ({@code -xml}). */
    public KextLibsOptions withXml(boolean on) {
        return new KextLibsOptions(on, compatibleVersions, undefSymbols, onedefSymbols, multdefSymbols, unsupported, nonKpi);
    }

    /** Print libraries' compatible versions instead of their current ones ({@code -c}, {@code -compatible-versions}). */
    public KextLibsOptions withCompatibleVersions(boolean on) {
        return new KextLibsOptions(xml, on, undefSymbols, onedefSymbols, multdefSymbols, unsupported, nonKpi);
    }

    /** List the classes found in no library ({@code -undef-symbols}). */
    public KextLibsOptions withUndefSymbols(boolean on) {
        return new KextLibsOptions(xml, compatibleVersions, on, onedefSymbols, multdefSymbols, unsupported, nonKpi);
    }

    /** List the classes found in exactly one library, with that library ({@code -onedef-symbols}). */
    public KextLibsOptions withOnedefSymbols(boolean on) {
        return new KextLibsOptions(xml, compatibleVersions, undefSymbols, on, multdefSymbols, unsupported, nonKpi);
    }

    /** List the classes found in several libraries, with those libraries ({@code -multdef-symbols}). */
    public KextLibsOptions withMultdefSymbols(boolean on) {
        return new KextLibsOptions(xml, compatibleVersions, undefSymbols, onedefSymbols, on, unsupported, nonKpi);
    }

    /** Turn on all three listings ({@code -all-symbols}). */
    public KextLibsOptions withAllSymbols() {
        return new KextLibsOptions(xml, compatibleVersions, true, true, true, unsupported, nonKpi);
    }

    /** Also search {@code com.apple.kpi.unsupported}, {@code .private}, {@code .dsep} ({@code -unsupported}). */
    public KextLibsOptions withUnsupported(boolean on) {
        return new KextLibsOptions(xml, compatibleVersions, undefSymbols, onedefSymbols, multdefSymbols, on, nonKpi);
    }

    /** Search the legacy {@code com.apple.kernel.*} libraries instead of the KPIs ({@code -non-kpi}). */
    public KextLibsOptions withNonKpi(boolean on) {
        return new KextLibsOptions(xml, compatibleVersions, undefSymbols, onedefSymbols, multdefSymbols, unsupported, on);
    }

    /** Return true for {@code -xml}. */
    public boolean xml() {
        return xml;
    }

    /** Return true for {@code -c}. */
    public boolean compatibleVersions() {
        return compatibleVersions;
    }

    /** Return true for {@code -undef-symbols}. */
    public boolean undefSymbols() {
        return undefSymbols;
    }

    /** Return true for {@code -onedef-symbols}. */
    public boolean onedefSymbols() {
        return onedefSymbols;
    }

    /** Return true for {@code -multdef-symbols}. */
    public boolean multdefSymbols() {
        return multdefSymbols;
    }

    /** Return true for {@code -unsupported}. */
    public boolean unsupported() {
        return unsupported;
    }

    /** Return true for {@code -non-kpi}. */
    public boolean nonKpi() {
        return nonKpi;
    }
}
