package org.kextkit.harness.bundle.internal;

import com.dd.plist.NSArray;
import com.dd.plist.NSData;
import com.dd.plist.NSDate;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSSet;
import com.dd.plist.NSString;
import com.dd.plist.UID;

/**
 * Name property-list value types the way kextutil's notes write them ({@code <string>},
 * {@code <dict>}, {@code <integer>}).
 */
public final class PlistTypes {
    /** The note for a value that must be a string. */
    public static final String STRING = "<string>";
    /** The note for a value that must be an integer. */
    public static final String INTEGER = "<integer>";
    /** The note for a value that must be a dictionary. */
    public static final String DICT = "<dict>";
    /** The note for a value that must be a boolean, as kextutil words it. */
    public static final String BOOLEAN = "boolean, <true/> or <false/>";
    /** The note for a {@code <real>} where kexts must use integers. */
    public static final String INTEGER_NOT_REAL = "<integer> (kexts may not use <real>)";

    private PlistTypes() {
    }

    /** Return the type name of {@code value}: {@code <string>}, {@code <true/>}, {@code <real>}, ... */
    public static String typeName(NSObject value) {
        if (value instanceof NSDictionary) {
            return "<dict>";
        }
        if (value instanceof NSArray) {
            return "<array>";
        }
        if (value instanceof NSString) {
            return "<string>";
        }
        if (value instanceof NSNumber) {
            NSNumber number = (NSNumber) value;
            if (number.isBoolean()) {
                return number.boolValue() ? "<true/>" : "<false/>";
            }
            return number.isReal() ? "<real>" : "<integer>";
        }
        if (value instanceof NSData) {
            return "<data>";
        }
        if (value instanceof NSDate) {
            return "<date>";
        }
        if (value instanceof NSSet) {
            return "<set>";
        }
        if (value instanceof UID) {
            return "<uid>";
        }
        return value == null ? "nothing" : value.getClass().getSimpleName();
    }

    /** Return true if {@code value} is a {@code <real>}. */
    public static boolean isReal(NSObject value) {
        return value instanceof NSNumber && ((NSNumber) value).isReal();
    }

    /** Return true if {@code value} is an {@code <integer>} (not a boolean, not a real). */
    public static boolean isInteger(NSObject value) {
        return value instanceof NSNumber && ((NSNumber) value).isInteger();
    }

    /** Return true if {@code value} is {@code <true/>} or {@code <false/>}. */
    public static boolean isBoolean(NSObject value) {
        return value instanceof NSNumber && ((NSNumber) value).isBoolean();
    }
}
