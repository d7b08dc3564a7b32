package org.kextkit.harness.bundle.internal;

import java.util.HashSet;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Check the DOM of an XML property list for everything dd-plist would silently drop or accept
 * unbounded: entity references, unknown elements, a key without a value, duplicate keys, elements
 * nested inside a string, stray text, and nesting deeper than the limit.
 *
 * <p>Positions are given as dd-plist writes them ({@code /plist/dict/*[4]}, element children
 * counted from 1) together with the key path ({@code IOKitPersonalities.Foo.IOClass}).
 */
public final class XmlTreeCheck {
    /**
     * A problem found in the tree.
     *
     * @param xpath the element the problem is in or at
     * @param keyPath the key path of that element, empty at the top level
     * @param problem what is wrong and what to do
     * @param strayText the offending text when the problem is stray text, else {@code null}
     */
    public record Fault(String xpath, String keyPath, String problem, String strayText) {
        Fault(String xpath, String keyPath, String problem) {
            this(xpath, keyPath, problem, null);
        }
    }

    private static final Set<String> SCALARS = Set.of("string", "integer", "real", "data", "date");
    private static final Set<String> VALUES = Set.of("dict", "array", "string", "integer", "real", "data", "date", "true", "false");

    private final int maxDepth;

    private XmlTreeCheck(int maxDepth) {
        this.maxDepth = maxDepth;
    }

    /**
     * Check {@code doc}; return the first fault, or {@code null} if the tree is sound. A document
     * whose {@code <plist>} does not hold exactly one element is left to dd-plist to report.
     */
    public static Fault check(Document doc, int maxDepth) {
        Element root = doc.getDocumentElement();
        if (root == null) {
            return null;
        }
        XmlTreeCheck checker = new XmlTreeCheck(maxDepth);
        if (root.getNodeName().equals("plist")) {
            Node value = null;
            int elements = 0;
            for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child.getNodeType() == Node.ELEMENT_NODE) {
                    elements++;
                    value = child;
                } else {
                    Fault fault = checker.nonElement(child, "/plist", "");
                    if (fault != null) {
                        return fault;
                    }
                }
            }
            return elements == 1 ? checker.value(value, 1, "/plist/" + value.getNodeName(), "") : null;
        }
        if (!VALUES.contains(root.getNodeName())) {
            return new Fault("/" + root.getNodeName(), "", "the XML is not a property list: its root element is <"
                    + root.getNodeName() + ">, where <plist> was expected");
        }
        return checker.value(root, 1, "/" + root.getNodeName(), "");
    }

    private Fault value(Node node, int depth, String xpath, String keyPath) {
        String name = node.getNodeName();
        switch (name) {
            case "dict":
                return dict(node, depth, xpath, keyPath);
            case "array":
                return array(node, depth, xpath, keyPath);
            case "true":
            case "false":
            case "string":
            case "integer":
            case "real":
            case "data":
            case "date":
                return scalar(node, xpath, keyPath);
            case "key":
                return new Fault(xpath, keyPath, "a <key> element outside a <dict>");
            default:
                return new Fault(xpath, keyPath, "unknown element <" + name + ">; a property list holds only "
                        + "<dict>, <array>, <string>, <integer>, <real>, <true/>, <false/>, <data> and <date>");
        }
    }

    private Fault dict(Node node, int depth, String xpath, String keyPath) {
        if (depth > maxDepth) {
            return tooDeep(xpath, keyPath);
        }
        Set<String> keys = new HashSet<>();
        String pendingKey = null;
        int index = 0;
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() != Node.ELEMENT_NODE) {
                Fault fault = nonElement(child, xpath, keyPath);
                if (fault != null) {
                    return fault;
                }
                continue;
            }
            index++;
            String childXPath = xpath + "/*[" + index + "]";
            if (pendingKey == null) {
                if (!child.getNodeName().equals("key")) {
                    return new Fault(childXPath, keyPath, "<" + child.getNodeName()
                            + "> where a <key> was expected; every value in a <dict> must follow its <key>");
                }
                Fault fault = scalar(child, childXPath, keyPath);
                if (fault != null) {
                    return fault;
                }
                pendingKey = child.getTextContent();
                if (!keys.add(pendingKey)) {
                    return new Fault(childXPath, join(keyPath, pendingKey), "the key '" + pendingKey
                            + "' appears twice in the same <dict>; only one value can be kept, so remove the duplicate");
                }
            } else {
                Fault fault = value(child, depth + 1, childXPath, join(keyPath, pendingKey));
                if (fault != null) {
                    return fault;
                }
                pendingKey = null;
            }
        }
        if (pendingKey != null) {
            return new Fault(xpath + "/*[" + index + "]", join(keyPath, pendingKey),
                    "the key '" + pendingKey + "' has no value; add one after it or remove the key");
        }
        return null;
    }

    private Fault array(Node node, int depth, String xpath, String keyPath) {
        if (depth > maxDepth) {
            return tooDeep(xpath, keyPath);
        }
        int index = 0;
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() != Node.ELEMENT_NODE) {
                Fault fault = nonElement(child, xpath, keyPath);
                if (fault != null) {
                    return fault;
                }
                continue;
            }
            Fault fault = value(child, depth + 1, xpath + "/*[" + (index + 1) + "]", keyPath + "[" + index + "]");
            if (fault != null) {
                return fault;
            }
            index++;
        }
        return null;
    }

    private Fault scalar(Node node, String xpath, String keyPath) {
        String name = node.getNodeName();
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            switch (child.getNodeType()) {
                case Node.TEXT_NODE:
                case Node.CDATA_SECTION_NODE:
                    if (!SCALARS.contains(name) && !name.equals("key") && !child.getNodeValue().isBlank()) {
                        return new Fault(xpath, keyPath, "<" + name + "/> must be empty, but it holds text");
                    }
                    break;
                case Node.ENTITY_REFERENCE_NODE:
                    return entityReference(child, xpath, keyPath);
                case Node.ELEMENT_NODE:
                    return new Fault(xpath, keyPath, "element <" + child.getNodeName() + "> inside <" + name
                            + ">; a <" + name + "> holds only text");
                default:
                    break;
            }
        }
        return null;
    }

    private Fault nonElement(Node child, String xpath, String keyPath) {
        switch (child.getNodeType()) {
            case Node.ENTITY_REFERENCE_NODE:
                return entityReference(child, xpath, keyPath);
            case Node.TEXT_NODE:
            case Node.CDATA_SECTION_NODE:
                if (!child.getNodeValue().isBlank()) {
                    String text = child.getNodeValue().strip();
                    String firstLine = text.lines().findFirst().orElse(text).strip();
                    if (firstLine.startsWith("#")) {
                        return new Fault(xpath, keyPath, "C-preprocessor directive '" + abbreviate(firstLine)
                                + "' between elements: this Info.plist is an unbuilt template that the build passes "
                                + "through the C preprocessor; build the kext, or resolve the directive by hand", firstLine);
                    }
                    return new Fault(xpath, keyPath, "stray text '" + abbreviate(firstLine)
                            + "' between elements; text belongs inside <key> or <string>", firstLine);
                }
                return null;
            default:
                return null;
        }
    }

    private static Fault entityReference(Node ref, String xpath, String keyPath) {
        return new Fault(xpath, keyPath, "entity reference &" + ref.getNodeName()
                + "; is not allowed (kextkit declares no entities and would lose the text); "
                + "write the characters themselves or use &amp; &lt; &gt; &quot; &apos;");
    }

    private Fault tooDeep(String xpath, String keyPath) {
        return new Fault(xpath, keyPath, "containers are nested more than " + maxDepth
                + " levels deep; an Info.plist never needs that, so the file is refused");
    }

    private static String join(String keyPath, String key) {
        return keyPath.isEmpty() ? key : keyPath + "." + key;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /**
     * Return the key path of the element at a dd-plist XPath ({@code /plist/dict/*[2]}), or
     * {@code null} if the XPath does not lead anywhere in {@code doc}.
     */
    public static String keyPathOf(Document doc, String xpath) {
        if (xpath == null || doc.getDocumentElement() == null) {
            return null;
        }
        String[] steps = xpath.split("/");
        Node node = null;
        String keyPath = "";
        for (String step : steps) {
            if (step.isEmpty()) {
                continue;
            }
            if (node == null) {
                node = doc.getDocumentElement();
                if (!node.getNodeName().equals(step)) {
                    return null;
                }
                continue;
            }
            if (!step.startsWith("*[")) {
                node = firstElementNamed(node, step);
                if (node == null) {
                    return null;
                }
                continue;
            }
            int index;
            try {
                index = Integer.parseInt(step.substring(2, step.length() - 1));
            } catch (NumberFormatException e) {
                return null;
            }
            Node child = elementAt(node, index);
            if (child == null) {
                return null;
            }
            if (node.getNodeName().equals("dict")) {
                Node keyNode = child.getNodeName().equals("key") ? child : elementAt(node, index - 1);
                String key = keyNode == null ? "?" : keyNode.getTextContent();
                keyPath = join(keyPath, key);
            } else {
                keyPath = keyPath + "[" + (index - 1) + "]";
            }
            node = child;
        }
        return keyPath;
    }

    private static Node firstElementNamed(Node parent, String name) {
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.ELEMENT_NODE && child.getNodeName().equals(name)) {
                return child;
            }
        }
        return null;
    }

    private static Node elementAt(Node parent, int oneBasedIndex) {
        int i = 0;
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.ELEMENT_NODE && ++i == oneBasedIndex) {
                return child;
            }
        }
        return null;
    }
}
