package org.kextkit.harness.bundle.internal;

import com.dd.plist.NSArray;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.NSSet;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Measure a parsed property list as the tree its consumers will walk: the deepest nesting and the
 * number of objects once shared references are expanded.
 *
 * <p>A binary plist may reference one object from many places, so a few hundred bytes can describe
 * a tree of 2<sup>40</sup> nodes. dd-plist shares the instances, and this walk visits each instance
 * once, so measuring is linear in the file while the result reports the expanded size.
 */
public final class ObjectGraph {
    /** The measurements of a property list. */
    public record Size(int depth, long expandedObjects) {
    }

    private final Map<NSObject, Size> seen = new IdentityHashMap<>();

    private ObjectGraph() {
    }

    /** Measure the tree under {@code root}; the root container counts as depth 1. */
    public static Size measure(NSObject root) {
        return new ObjectGraph().visit(root);
    }

    private Size visit(NSObject object) {
        if (object == null) {
            return new Size(0, 1);
        }
        Size known = seen.get(object);
        if (known != null) {
            return known;
        }
        NSObject[] children = null;
        if (object instanceof NSDictionary) {
            children = ((NSDictionary) object).values().toArray(new NSObject[0]);
        } else if (object instanceof NSArray) {
            children = ((NSArray) object).getArray();
        } else if (object instanceof NSSet) {
            children = ((NSSet) object).allObjects();
        }
        Size size;
        if (children == null) {
            size = new Size(0, 1);
        } else {
            int depth = 0;
            long count = 1;
            for (NSObject child : children) {
                Size childSize = visit(child);
                depth = Math.max(depth, childSize.depth());
                count = saturatingAdd(count, childSize.expandedObjects());
            }
            size = new Size(depth + 1, count);
        }
        seen.put(object, size);
        return size;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
