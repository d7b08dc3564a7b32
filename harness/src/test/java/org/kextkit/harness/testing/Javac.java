package org.kextkit.harness.testing;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compile small Java sources against the test class path, for kexts written the way driver authors write them. */
public final class Javac {
    private Javac() {
    }

    private static String classPathWith(List<Path> extra) {
        StringBuilder sb = new StringBuilder(System.getProperty("java.class.path"));
        for (Path p : extra) {
            sb.append(java.io.File.pathSeparatorChar).append(p);
        }
        return sb.toString();
    }

    /**
     * Compile sources (binary class name to source text) into {@code dir} and return every class
     * file produced, nested and synthetic classes included, by binary name.
     */
    public static Map<String, byte[]> compile(Path dir, Map<String, String> sources) {
        return compile(dir, sources, List.of());
    }

    /** Compile as {@link #compile(Path, Map)}, with more class folders on the class path. */
    public static Map<String, byte[]> compile(Path dir, Map<String, String> sources, List<Path> classPath) {
        try {
            Path src = Files.createDirectories(dir.resolve("src"));
            Path out = Files.createDirectories(dir.resolve("classes"));
            List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-d", out.toString(),
                    "-classpath", classPathWith(classPath)));
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
                args.add(file.toString());
            }
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
            int status = compiler.run(null, diagnostics, diagnostics, args.toArray(new String[0]));
            if (status != 0) {
                throw new AssertionError("javac failed for " + sources.keySet() + ":\n" + diagnostics);
            }
            Map<String, byte[]> classes = new LinkedHashMap<>();
            try (Stream<Path> files = Files.walk(out)) {
                for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class")).sorted()::iterator) {
                    String name = out.relativize(file).toString().replace(java.io.File.separatorChar, '.');
                    classes.put(name.substring(0, name.length() - ".class".length()), Files.readAllBytes(file));
                }
            }
            return classes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
