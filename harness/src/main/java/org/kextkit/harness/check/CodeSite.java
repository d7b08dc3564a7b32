package org.kextkit.harness.check;

import java.util.Objects;

/**
 * A place in kext code: class, method, source file and line, as a finding points at it.
 *
 * @param className the binary class name
 * @param methodName the method name
 * @param fileName the source file, or {@code null} if the class has no debug information
 * @param line the line number, or -1 if unknown
 */
public record CodeSite(String className, String methodName, String fileName, int line) {
    /** Check the names. */
    public CodeSite {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(methodName, "methodName");
    }

    /**
     * Return a site in a bundle's property list: {@code className} is the file's path, {@code methodName}
     * the key and {@code fileName} {@code Info.plist}. Reports show it as that file and line.
     */
    public static CodeSite inPropertyList(java.nio.file.Path infoPlist, String key, int line) {
        return new CodeSite(infoPlist.toAbsolutePath().normalize().toString(), key, PROPERTY_LIST, line);
    }

    /** The {@link #fileName} of a site in a property list. */
    public static final String PROPERTY_LIST = "Info.plist";

    /** Return true if this site is in a bundle's property list ({@link #inPropertyList}). */
    public boolean inPropertyList() {
        return PROPERTY_LIST.equals(fileName) && className.endsWith(PROPERTY_LIST);
    }

    /** Return the site of a stack frame. */
    public static CodeSite of(StackTraceElement frame) {
        return new CodeSite(frame.getClassName(), frame.getMethodName(), frame.getFileName(), frame.getLineNumber());
    }

    /** Return {@code com.example.Driver.start(Driver.java:42)}, as a Java stack trace shows a frame. */
    @Override
    public String toString() {
        if (inPropertyList()) {
            return className + (line >= 0 ? ":" + line : "") + " (" + methodName + ")";
        }
        String where = fileName == null ? "Unknown Source" : line >= 0 ? fileName + ":" + line : fileName;
        return className + "." + methodName + "(" + where + ")";
    }
}
