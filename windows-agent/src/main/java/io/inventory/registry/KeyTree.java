package io.inventory.registry;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keys and values held in memory, addressed by physical path (32-bit view keys live under WOW6432Node, as in a
 * .reg export). Backs both the in-memory registry and the one read from .reg files. Not thread-safe while it is
 * being filled; read-only use afterwards is safe.
 */
final class KeyTree implements Registry {

    private final Map<Hive, Node> roots = new EnumMap<>(Hive.class);
    private final String description;

    KeyTree(String description) {
        for (Hive hive : Hive.values()) {
            roots.put(hive, new Node(hive.fullName()));
        }
        this.description = description;
    }

    @Override
    public boolean exists(RegistryKey key) {
        return find(key.hive(), key.physicalSegments()) != null;
    }

    @Override
    public List<String> subkeys(RegistryKey key) {
        Node node = find(key.hive(), key.physicalSegments());
        if (node == null || node.children == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(node.children.size());
        for (Node child : node.children.values()) {
            names.add(child.name);
        }
        return names;
    }

    @Override
    public RegistryValues values(RegistryKey key) {
        Node node = find(key.hive(), key.physicalSegments());
        if (node == null || node.values == null) {
            return RegistryValues.empty();
        }
        return RegistryValues.of(node.values.values());
    }

    @Override
    public String describe() {
        return description;
    }

    /** The node at the path, creating it and its ancestors as needed. */
    Node createKey(Hive hive, List<String> segments) {
        Node node = roots.get(hive);
        for (String segment : segments) {
            node = node.child(segment);
        }
        return node;
    }

    /** Removes the key and its whole subtree; nothing happens when it does not exist. */
    void deleteKey(Hive hive, List<String> segments) {
        if (segments.isEmpty()) {
            roots.put(hive, new Node(hive.fullName()));
            return;
        }
        Node parent = find(hive, segments.subList(0, segments.size() - 1));
        if (parent != null && parent.children != null) {
            parent.children.remove(segments.get(segments.size() - 1));
        }
    }

    Node find(Hive hive, List<String> segments) {
        Node node = roots.get(hive);
        for (String segment : segments) {
            if (node.children == null) {
                return null;
            }
            node = node.children.get(segment);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    /** One key. Children and values are created on first use: most keys of a large export have neither. */
    static final class Node {

        private final String name;
        private TreeMap<String, Node> children;
        private TreeMap<String, RegistryValue> values;

        Node(String name) {
            this.name = name;
        }

        Node child(String childName) {
            if (children == null) {
                children = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            }
            return children.computeIfAbsent(childName, Node::new);
        }

        void putValue(RegistryValue value) {
            if (values == null) {
                values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            }
            values.put(value.name(), value);
        }

        void removeValue(String valueName) {
            if (values != null) {
                values.remove(valueName);
            }
        }
    }
}
