package org.kextkit.harness.bundle;

import com.dd.plist.ASCIIPropertyListParser;
import com.dd.plist.BinaryLocationInformation;
import com.dd.plist.LocationInformation;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.PropertyListFormatException;
import com.dd.plist.XMLLocationInformation;
import com.dd.plist.XMLPropertyListParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.kextkit.harness.bundle.internal.AsciiNesting;
import org.kextkit.harness.bundle.internal.ObjectGraph;
import org.kextkit.harness.bundle.internal.ParsedPlists;
import org.kextkit.harness.bundle.internal.PlistText;
import org.kextkit.harness.bundle.internal.PlistTypes;
import org.kextkit.harness.bundle.internal.XmlLocator;
import org.kextkit.harness.bundle.internal.XmlProlog;
import org.kextkit.harness.bundle.internal.XmlTreeCheck;
import org.w3c.dom.Document;
import org.w3c.dom.DocumentType;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Read an Info.plist safely: XML, binary or ASCII, with a size cap checked before parsing, no
 * entities, bounded nesting, and every failure turned into one {@link InfoPlistException} that
 * names the file, the place and the problem.
 *
 * <p>XML is parsed by one shared, locked-down {@link DocumentBuilderFactory} (one builder per
 * thread, reused) and handed to dd-plist as a DOM. A DOCTYPE with an internal subset is refused
 * before parsing, because dd-plist silently drops entity references; both Apple DOCTYPEs
 * ({@code -//Apple//} and {@code -//Apple Computer//}) and files with no {@code <?xml?>}
 * declaration are accepted, and no external DTD is ever fetched. Instances are immutable and
 * thread-safe.
 */
public final class InfoPlistReader {
    /** The default size cap: 8 MiB. */
    public static final long DEFAULT_MAX_BYTES = 8L * 1024 * 1024;
    /** The default nesting limit: containers inside containers, the top-level dictionary being 1. */
    public static final int DEFAULT_MAX_DEPTH = 128;
    /**
     * The default limit on the number of objects a binary plist may expand to through shared
     * references; text formats cannot share, so their count is bounded by the size cap.
     */
    public static final long DEFAULT_MAX_OBJECTS = 1_000_000;

    private static final DocumentBuilderFactory FACTORY = newFactory();
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(InfoPlistReader::newBuilder);
    private static final ErrorHandler STRICT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // Warnings (such as an unresolvable DTD) do not make the file unreadable.
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };
    private static final Pattern ASCII_POSITION = Pattern.compile("\\s*\\((\\d+):(\\d+)\\)\\s*$");

    private final long maxBytes;
    private final int maxDepth;
    private final long maxObjects;

    /** Create a reader with the default limits. */
    public InfoPlistReader() {
        this(DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_OBJECTS);
    }

    /**
     * Create a reader with the given limits.
     *
     * @param maxBytes the largest file accepted, in bytes
     * @param maxDepth the deepest nesting of containers accepted (the top-level dict is 1)
     * @param maxObjects the most objects a binary plist may expand to
     */
    public InfoPlistReader(long maxBytes, int maxDepth, long maxObjects) {
        if (maxBytes < 1 || maxDepth < 1 || maxObjects < 1) {
            throw new IllegalArgumentException("limits must be positive: maxBytes=" + maxBytes
                    + ", maxDepth=" + maxDepth + ", maxObjects=" + maxObjects);
        }
        this.maxBytes = maxBytes;
        this.maxDepth = maxDepth;
        this.maxObjects = maxObjects;
    }

    /** Return the size cap in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Return the nesting limit. */
    public int maxDepth() {
        return maxDepth;
    }

    /**
     * Read and parse an Info.plist file.
     *
     * @throws InfoPlistException if the file is missing, unreadable, over the size cap, not a
     *     property list, unsafe, too deeply nested, or not a dictionary at the top level
     */
    public NSDictionary read(Path file) throws InfoPlistException {
        return parse(readBytes(file), file);
    }

    /**
     * Read an Info.plist file's bytes, within this reader's size cap, without parsing them; {@link
     * #parse} turns them into what {@link #read} returns.
     *
     * @throws InfoPlistException if the file is missing, unreadable, a directory or over the size cap
     */
    public byte[] readBytes(Path file) throws InfoPlistException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new InfoPlistException(file, null, "the file does not exist; every kext needs an Info.plist", e);
        } catch (IOException e) {
            throw new InfoPlistException(file, null, "the file can't be examined (" + describe(e) + ")", e);
        }
        if (Files.isDirectory(file)) {
            throw new InfoPlistException(file, null, "this is a directory, not a property list file");
        }
        if (size > maxBytes) {
            throw tooLarge(file, size);
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // Read one byte past the cap, so a file that grew after the size check is still refused.
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (AccessDeniedException e) {
            throw new InfoPlistException(file, null, "permission denied; make the file readable", e);
        } catch (IOException e) {
            throw new InfoPlistException(file, null, "the file can't be read (" + describe(e) + ")", e);
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(file, bytes.length);
        }
        return bytes;
    }

    /**
     * Parse Info.plist bytes already in memory.
     *
     * @param bytes the file's contents
     * @param file the file they came from, used in messages
     * @throws InfoPlistException as for {@link #read(Path)}
     */
    public NSDictionary parse(byte[] bytes, Path file) throws InfoPlistException {
        if (bytes.length > maxBytes) {
            throw tooLarge(file, bytes.length);
        }
        if (bytes.length == 0) {
            throw new InfoPlistException(file, null, "the file is empty; it should hold a property list "
                    + "whose top level is a <dict>");
        }
        InfoPlistFormat format = InfoPlistFormat.detect(bytes);
        NSObject root;
        try {
            switch (format) {
                case BINARY:
                    root = parseBinary(bytes, file);
                    break;
                case XML:
                    root = parseXmlOnce(bytes, file);
                    break;
                default:
                    root = parseAscii(bytes, file);
                    break;
            }
        } catch (StackOverflowError e) {
            throw new InfoPlistException(file, null, "the " + formatName(format)
                    + " property list is nested too deeply to parse", null);
        } catch (RuntimeException e) {
            throw new InfoPlistException(file, null, "the " + formatName(format) + " property list can't be parsed ("
                    + describe(e) + "); check it with plutil -lint or regenerate it", e);
        }
        if (!(root instanceof NSDictionary)) {
            String found = root == null ? "nothing" : PlistTypes.typeName(root);
            throw new InfoPlistException(file, null, "the top level is " + found
                    + ", but an Info.plist must be a <dict> of keys such as CFBundleIdentifier");
        }
        return (NSDictionary) root;
    }

    /** Parse XML, or copy what the same bytes parsed to before (the checks depend only on them and the depth limit). */
    private NSObject parseXmlOnce(byte[] bytes, Path file) throws InfoPlistException {
        NSDictionary known = ParsedPlists.get(bytes, maxDepth);
        if (known != null) {
            return known;
        }
        NSObject root = parseXml(bytes, file);
        if (root instanceof NSDictionary dict) {
            ParsedPlists.put(bytes, maxDepth, dict);
        }
        return root;
    }

    private NSObject parseXml(byte[] bytes, Path file) throws InfoPlistException {
        PlistText text = PlistText.of(bytes);
        int subset = XmlProlog.internalSubsetOffset(text);
        if (subset >= 0) {
            throw internalSubset(file, text.lineAndColumn(subset));
        }
        DocumentBuilder builder = BUILDER.get();
        Document doc;
        try {
            builder.reset();
            builder.setErrorHandler(STRICT);
            builder.setEntityResolver(InfoPlistReader::emptyEntity);
            doc = builder.parse(new ByteArrayInputStream(bytes));
        } catch (SAXParseException e) {
            String location = e.getLineNumber() > 0 ? "line " + e.getLineNumber() + ", column " + e.getColumnNumber() : null;
            throw new InfoPlistException(file, location, "the XML is not well-formed (" + e.getMessage()
                    + "); fix the markup, or check it with plutil -lint", e);
        } catch (SAXException | IOException e) {
            throw new InfoPlistException(file, null, "the XML can't be parsed (" + describe(e) + ")", e);
        }
        DocumentType doctype = doc.getDoctype();
        if (doctype != null && doctype.getInternalSubset() != null) {
            // The prolog scan missed it (an unusual encoding); the DOM still tells the truth.
            throw internalSubset(file, null);
        }
        XmlTreeCheck.Fault fault = XmlTreeCheck.check(doc, maxDepth);
        if (fault != null) {
            String location = fault.strayText() == null
                    ? xmlLocation(bytes, fault.xpath(), fault.keyPath())
                    : strayTextLocation(bytes, text, fault);
            throw new InfoPlistException(file, location, fault.problem());
        }
        try {
            return XMLPropertyListParser.parse(doc);
        } catch (PropertyListFormatException e) {
            LocationInformation where = e.getLocationInformation();
            String xpath = where instanceof XMLLocationInformation ? ((XMLLocationInformation) where).getXPath() : null;
            String location = xpath == null ? null : xmlLocation(bytes, xpath, XmlTreeCheck.keyPathOf(doc, xpath));
            throw new InfoPlistException(file, location, "not a valid property list: " + withoutXPath(e.getMessage(), xpath)
                    + "; fix the value or regenerate the file with plutil -convert xml1", e);
        } catch (IOException e) {
            throw new InfoPlistException(file, null, "the XML property list can't be read (" + describe(e) + ")", e);
        }
    }

    private static String withoutXPath(String message, String xpath) {
        if (message == null) {
            return "unknown problem";
        }
        String cleaned = xpath == null ? message : message.replace(" at " + xpath, "");
        return cleaned.endsWith(".") || cleaned.endsWith("!") ? cleaned.substring(0, cleaned.length() - 1) : cleaned;
    }

    /** Locate stray text by searching for it after the start of the element that holds it. */
    private static String strayTextLocation(byte[] bytes, PlistText text, XmlTreeCheck.Fault fault) {
        int[] container = XmlLocator.position(bytes, fault.xpath());
        int from = container == null ? 0 : text.offsetOfLine(container[0]);
        int at = text.indexOf(fault.strayText(), from);
        String keyPath = fault.keyPath().isEmpty() ? "" : ", inside key path " + fault.keyPath();
        if (at < 0) {
            return xmlLocation(bytes, fault.xpath(), fault.keyPath());
        }
        return text.lineAndColumn(at) + keyPath;
    }

    private static String xmlLocation(byte[] bytes, String xpath, String keyPath) {
        StringBuilder sb = new StringBuilder();
        String line = XmlLocator.locate(bytes, xpath);
        if (line != null) {
            sb.append(line).append(", ");
        }
        sb.append("XPath ").append(xpath);
        if (keyPath != null && !keyPath.isEmpty()) {
            sb.append(", key path ").append(keyPath);
        }
        return sb.toString();
    }

    private NSObject parseBinary(byte[] bytes, Path file) throws InfoPlistException {
        NSObject root;
        try {
            root = com.dd.plist.BinaryPropertyListParser.parse(bytes);
        } catch (PropertyListFormatException e) {
            throw new InfoPlistException(file, binaryLocation(e.getLocationInformation()), "not a valid binary property list: "
                    + trimPeriod(e.getMessage()) + "; the file may be truncated or corrupt, so regenerate it", e);
        } catch (IOException e) {
            throw new InfoPlistException(file, null, "not a valid binary property list (" + describe(e)
                    + "); regenerate it", e);
        }
        ObjectGraph.Size size = ObjectGraph.measure(root);
        if (size.depth() > maxDepth) {
            throw new InfoPlistException(file, null, "containers are nested " + size.depth() + " levels deep, more than the "
                    + maxDepth + " allowed; an Info.plist never needs that, so the file is refused");
        }
        if (size.expandedObjects() > maxObjects) {
            throw new InfoPlistException(file, null, "shared references expand the property list to more than "
                    + maxObjects + " objects; the file is refused as an expansion bomb");
        }
        return root;
    }

    private static String binaryLocation(LocationInformation where) {
        if (where instanceof BinaryLocationInformation) {
            BinaryLocationInformation b = (BinaryLocationInformation) where;
            return "object " + b.getId() + " at byte offset " + b.getOffset();
        }
        return null;
    }

    private NSObject parseAscii(byte[] bytes, Path file) throws InfoPlistException {
        PlistText text = PlistText.of(bytes);
        int tooDeep = AsciiNesting.firstOffsetBeyond(text, maxDepth);
        if (tooDeep >= 0) {
            throw new InfoPlistException(file, text.lineAndColumn(tooDeep), "containers are nested more than " + maxDepth
                    + " levels deep; an Info.plist never needs that, so the file is refused");
        }
        try {
            return ASCIIPropertyListParser.parse(text.toString());
        } catch (ParseException e) {
            String message = e.getMessage() == null ? "unknown problem" : e.getMessage();
            Matcher m = ASCII_POSITION.matcher(message);
            String location = null;
            if (m.find()) {
                location = "line " + m.group(1) + ", column " + m.group(2);
                message = message.substring(0, m.start());
            }
            throw new InfoPlistException(file, location, "not a valid ASCII (OpenStep) property list: " + trimPeriod(message)
                    + "; an Info.plist that doesn't start with '<' or 'bplist' is read as the old text format", e);
        }
    }

    private InfoPlistException tooLarge(Path file, long size) {
        return new InfoPlistException(file, null, "the file is " + size + " bytes, more than the " + maxBytes
                + "-byte limit for an Info.plist; large data belongs in the kext's Resources folder");
    }

    private static InfoPlistException internalSubset(Path file, String location) {
        return new InfoPlistException(file, location, "the DOCTYPE declares an internal subset ([ ... ]); "
                + "kextkit refuses entity and DTD declarations in an Info.plist, as plutil does. "
                + "Use <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\"> and write the text out in full");
    }

    private static InputSource emptyEntity(String publicId, String systemId) {
        // Nothing is fetched: both Apple plist DTDs, and any other external reference, resolve to nothing.
        return new InputSource(new StringReader(""));
    }

    private static DocumentBuilderFactory newFactory() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        setFeature(factory, XMLConstants.FEATURE_SECURE_PROCESSING, true);
        setFeature(factory, "http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        setFeature(factory, "http://xml.org/sax/features/external-general-entities", false);
        setFeature(factory, "http://xml.org/sax/features/external-parameter-entities", false);
        // Expanding the whole DOM up front is faster for small documents than the lazy default.
        setFeature(factory, "http://apache.org/xml/features/dom/defer-node-expansion", false);
        factory.setXIncludeAware(false);
        // Entity references stay in the tree as nodes, so the tree check can refuse them instead of
        // dd-plist dropping their text.
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        factory.setIgnoringComments(true);
        factory.setCoalescing(true);
        factory.setValidating(false);
        return factory;
    }

    private static void setFeature(DocumentBuilderFactory factory, String feature, boolean value) {
        try {
            factory.setFeature(feature, value);
        } catch (ParserConfigurationException e) {
            // A parser without this feature lacks the behaviour it guards against as well; the
            // internal-subset refusal and the empty entity resolver still apply.
        }
    }

    private static DocumentBuilder newBuilder() {
        try {
            synchronized (FACTORY) {
                return FACTORY.newDocumentBuilder();
            }
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser can't be configured for Info.plist files", e);
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String trimPeriod(String message) {
        if (message == null) {
            return "unknown problem";
        }
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    private static String formatName(InfoPlistFormat format) {
        switch (format) {
            case BINARY:
                return "binary";
            case XML:
                return "XML";
            default:
                return "ASCII";
        }
    }
}
