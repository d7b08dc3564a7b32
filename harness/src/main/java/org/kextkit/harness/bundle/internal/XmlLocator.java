package org.kextkit.harness.bundle.internal;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Find the line and column of the element at a dd-plist XPath ({@code /plist/dict/*[4]/*[2]}).
 *
 * <p>The DOM keeps no positions, so this re-reads the bytes with SAX. It runs only when a file is
 * being rejected, which keeps the cost of positions off the normal path.
 */
public final class XmlLocator {
    private static final SAXParserFactory FACTORY = newFactory();

    private XmlLocator() {
    }

    private static SAXParserFactory newFactory() {
        SAXParserFactory factory = SAXParserFactory.newInstance();
        factory.setNamespaceAware(false);
        factory.setValidating(false);
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        } catch (Exception e) {
            // Without these features the JDK parser still never fetches anything: the resolver below
            // answers every external reference with an empty document.
        }
        return factory;
    }

    /** Return {@code line L, column C} of the element at {@code xpath}, or {@code null}. */
    public static String locate(byte[] bytes, String xpath) {
        int[] position = position(bytes, xpath);
        return position == null ? null : "line " + position[0] + ", column " + position[1];
    }

    /** Return the line and column of the element at {@code xpath} as {@code {line, column}}, or {@code null}. */
    public static int[] position(byte[] bytes, String xpath) {
        if (xpath == null) {
            return null;
        }
        List<String> target = new ArrayList<>();
        for (String step : xpath.split("/")) {
            if (!step.isEmpty()) {
                target.add(step);
            }
        }
        Finder finder = new Finder(target);
        try {
            SAXParser parser;
            synchronized (FACTORY) {
                parser = FACTORY.newSAXParser();
            }
            parser.getXMLReader().setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            parser.parse(new ByteArrayInputStream(bytes), finder);
        } catch (Found found) {
            return new int[] {found.line, found.column};
        } catch (Exception | StackOverflowError e) {
            return null;
        }
        return null;
    }

    private static final class Found extends SAXException {
        private static final long serialVersionUID = 1L;
        final int line;
        final int column;

        Found(int line, int column) {
            super("found");
            this.line = line;
            this.column = column;
        }
    }

    private static final class Finder extends DefaultHandler {
        private final List<String> target;
        private final Deque<int[]> childCounts = new ArrayDeque<>();
        private int depth;
        private int matchedDepth;
        private Locator locator;

        Finder(List<String> target) {
            this.target = target;
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
            int index = childCounts.isEmpty() ? 1 : ++childCounts.peek()[0];
            childCounts.push(new int[1]);
            // Only a step whose ancestors all matched can extend the match.
            if (matchedDepth == depth && depth < target.size() && matches(target.get(depth), qName, index)) {
                matchedDepth = depth + 1;
                if (matchedDepth == target.size() && locator != null) {
                    throw new Found(locator.getLineNumber(), locator.getColumnNumber());
                }
            }
            depth++;
        }

        private static boolean matches(String step, String name, int index) {
            if (step.startsWith("*[")) {
                return step.equals("*[" + index + "]");
            }
            return step.equals(name);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            childCounts.pop();
            depth--;
            if (matchedDepth > depth) {
                matchedDepth = depth;
            }
        }
    }
}
