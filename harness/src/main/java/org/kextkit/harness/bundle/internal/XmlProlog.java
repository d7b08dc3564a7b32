package org.kextkit.harness.bundle.internal;

/**
 * Find a DOCTYPE internal subset in an XML property list before it reaches the XML parser.
 *
 * <p>Entities can only be declared in an internal subset (external DTDs are never loaded), so
 * refusing the subset refuses every entity declaration: expansion bombs and external-entity
 * tricks never get parsed. Only the prolog is scanned (declaration, comments, processing
 * instructions, DOCTYPE); the scan stops at the root element.
 */
public final class XmlProlog {
    private XmlProlog() {
    }

    /**
     * Return the offset of the {@code [} that opens an internal subset, or -1 if the DOCTYPE has
     * none or there is no DOCTYPE. Malformed prologs return -1 and are left to the parser.
     */
    public static int internalSubsetOffset(PlistText text) {
        int i = 0;
        int n = text.length();
        if (n > 0 && text.charAt(0) == '\uFEFF') {
            i = 1;
        }
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (text.startsWith("<?", i)) {
                int end = text.indexOf("?>", i + 2);
                if (end < 0) {
                    return -1;
                }
                i = end + 2;
            } else if (text.startsWith("<!--", i)) {
                int end = text.indexOf("-->", i + 4);
                if (end < 0) {
                    return -1;
                }
                i = end + 3;
            } else if (text.startsWith("<!DOCTYPE", i)) {
                char quote = 0;
                int j = i + "<!DOCTYPE".length();
                for (; j < n; j++) {
                    char d = text.charAt(j);
                    if (quote != 0) {
                        if (d == quote) {
                            quote = 0;
                        }
                    } else if (d == '"' || d == '\'') {
                        quote = d;
                    } else if (d == '[') {
                        return j;
                    } else if (d == '>') {
                        break;
                    }
                }
                i = j + 1;
            } else {
                return -1;
            }
        }
        return -1;
    }
}
