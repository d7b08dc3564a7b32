package org.kextkit.kit.iokit;

import java.util.Collection;
import java.util.Map;
import org.kextkit.kit.libkern.SInt32;

/**
 * The resources nub ({@code IOResources}): a child of the registry root whose properties are the
 * resources published so far with {@link IOService#publishResource} ({@code IOKit} at boot, then
 * whatever drivers publish).
 *
 * <p>A personality with {@code IOProviderClass = IOResources} matches it only once every resource
 * named in its {@code IOResourceMatch} (a string or a collection of strings) is a property here. All
 * such drivers share this one nub, so each should give its own {@code IOMatchCategory} (by
 * convention its {@code IOClass}); two left in the default category compete and only one starts.
 * The kernel creates the only instance; kexts reach it with {@link IOService#getResourceService()}.
 */
public class IOResources extends IOService {
    /** The key naming the resources a personality waits for or matches on. */
    public static final String gIOResourceMatchKey = "IOResourceMatch";

    /** Create the resources nub; only the kernel does this. */
    public IOResources() {
        setName("IOResources");
    }

    /** Match a personality only if every resource its {@code IOResourceMatch} names is published. */
    @Override
    public boolean matchPropertyTable(Map<String, Object> table, SInt32 score) {
        Object wanted = table.get(gIOResourceMatchKey);
        if (wanted == null) {
            return true;
        }
        if (wanted instanceof String) {
            return hasProperty((String) wanted);
        }
        if (wanted instanceof Collection) {
            for (Object name : (Collection<?>) wanted) {
                if (!(name instanceof String) || !hasProperty((String) name)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
