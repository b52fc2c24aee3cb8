package dev.sparktrain.job;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No package of the project depends, directly or through others, on a package that depends on it.
 * Dependencies are read from the sources of both modules: imports and fully-qualified names alike
 * (comments and string literals left out), so a cycle cannot hide behind a qualified name.
 */
class PackageCyclesTest {
    private static final List<Path> SOURCES = List.of(Path.of("../common/src/main/java"), Path.of("src/main/java"));
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    /** A project package followed by a type name or a wildcard. */
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.sparktrain(?:\\.[a-z_][a-z0-9_]*)*(?=\\.(?:[A-Z]|\\*))");
    private static final Pattern COMMENTS_AND_STRINGS = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"\"\"(?:.|\\n)*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])+'", Pattern.DOTALL);

    @Test
    void thereAreNoPackageCycles() {
        Map<String, Map<String, String>> edges = dependencies();
        assertTrue(edges.size() >= 18, "read the packages of both modules: " + edges.keySet());
        assertTrue(edges.get("dev.sparktrain.job.cli").containsKey("dev.sparktrain.trainer"),
                "references are found: the CLI uses the Trainer API");
        List<String> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(edges)) {
            if (component.size() > 1) {
                StringBuilder why = new StringBuilder(component.toString());
                for (String from : component) {
                    edges.get(from).forEach((to, file) -> {
                        if (component.contains(to)) {
                            why.append("\n  ").append(from).append(" -> ").append(to).append(" (").append(file).append(')');
                        }
                    });
                }
                cycles.add(why.toString());
            }
        }
        assertEquals(List.of(), cycles, "package cycles");
    }

    @Test
    void aCycleIsFound() {
        Map<String, Map<String, String>> edges = new TreeMap<>();
        edges.put("a", Map.of("b", "A.java"));
        edges.put("b", Map.of("c", "B.java"));
        edges.put("c", Map.of("a", "C.java"));
        edges.put("d", Map.of("a", "D.java"));
        assertEquals(List.of(Set.of("a", "b", "c")), stronglyConnected(edges).stream().filter(c -> c.size() > 1).toList());
    }

    /** package -> (package it references -> one file that does), for every source file. */
    private static Map<String, Map<String, String>> dependencies() {
        Map<String, Map<String, String>> edges = new TreeMap<>();
        for (Path root : SOURCES) {
            assertTrue(Files.isDirectory(root), root + " exists");
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    String code = COMMENTS_AND_STRINGS.matcher(read(f)).replaceAll(" ");
                    Matcher p = PACKAGE.matcher(code);
                    assertTrue(p.find(), f + " declares its package");
                    String from = p.group(1);
                    Map<String, String> out = edges.computeIfAbsent(from, k -> new TreeMap<>());
                    Matcher m = REFERENCE.matcher(code.substring(p.end()));
                    while (m.find()) {
                        if (!m.group().equals(from)) {
                            out.putIfAbsent(m.group(), root.relativize(f).toString());
                        }
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return edges;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tarjan's strongly connected components. */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> components = new ArrayList<>();
        for (String v : edges.keySet()) {
            if (!index.containsKey(v)) {
                visit(v, edges, index, low, stack, onStack, components);
            }
        }
        return components;
    }

    private static void visit(String v, Map<String, Map<String, String>> edges, Map<String, Integer> index,
                              Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                              List<Set<String>> components) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                visit(w, edges, index, low, stack, onStack, components);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            components.add(component);
        }
    }
}
