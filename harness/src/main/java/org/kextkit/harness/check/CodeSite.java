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

    /** Return the site of a stack frame. */
    public static CodeSite of(StackTraceElement frame) {
        return new CodeSite(frame.getClassName(), frame.getMethodName(), frame.getFileName(), frame.getLineNumber());
    }

    /** Return {@code com.example.Driver.start(Driver.java:42)}, as a Java stack trace shows a frame. */
    @Override
    public String toString() {
        String where = fileName == null ? "Unknown Source" : line >= 0 ? fileName + ":" + line : fileName;
        return className + "." + methodName + "(" + where + ")";
    }
}
