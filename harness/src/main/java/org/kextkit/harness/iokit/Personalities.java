package org.kextkit.harness.iokit;

import com.dd.plist.NSArray;
import com.dd.plist.NSData;
import com.dd.plist.NSDate;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSSet;
import com.dd.plist.NSString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kextkit.harness.bundle.KextBundle;

/**
 * Read a kext's {@code IOKitPersonalities} into the Java form of the OS containers that matching
 * and registry property tables use: {@code String}, {@code Long}, {@code Double}, {@code Boolean},
 * {@code byte[]}, {@code List} and {@code Map} (in file order).
 */
public final class Personalities {
    private Personalities() {
    }

    /** Return the personalities of {@code kext}, name to matching dictionary, in file order; non-dictionaries are left out. */
    public static Map<String, Map<String, Object>> of(KextBundle kext) {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        NSDictionary all = kext.personalities();
        for (String name : all.allKeys()) {
            NSObject value = all.objectForKey(name);
            if (value instanceof NSDictionary) {
                result.put(name, dictionary((NSDictionary) value));
            }
        }
        return result;
    }

    /** Convert a plist dictionary. */
    public static Map<String, Object> dictionary(NSDictionary dictionary) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : dictionary.allKeys()) {
            map.put(key, toJava(dictionary.objectForKey(key)));
        }
        return map;
    }

    /** Convert one plist value. */
    public static Object toJava(NSObject value) {
        if (value instanceof NSString) {
            return ((NSString) value).getContent();
        }
        if (value instanceof NSNumber) {
            NSNumber n = (NSNumber) value;
            switch (n.type()) {
                case NSNumber.BOOLEAN:
                    return n.boolValue();
                case NSNumber.INTEGER:
                    return n.longValue();
                default:
                    return n.doubleValue();
            }
        }
        if (value instanceof NSDictionary) {
            return dictionary((NSDictionary) value);
        }
        if (value instanceof NSArray) {
            List<Object> list = new ArrayList<>();
            for (NSObject o : ((NSArray) value).getArray()) {
                list.add(toJava(o));
            }
            return list;
        }
        if (value instanceof NSSet) {
            List<Object> list = new ArrayList<>();
            for (NSObject o : ((NSSet) value).allObjects()) {
                list.add(toJava(o));
            }
            return list;
        }
        if (value instanceof NSData) {
            return ((NSData) value).bytes();
        }
        if (value instanceof NSDate) {
            return ((NSDate) value).getDate();
        }
        return value == null ? null : value.toJavaObject();
    }
}
