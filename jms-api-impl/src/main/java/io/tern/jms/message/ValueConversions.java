package io.tern.jms.message;

import jakarta.jms.MessageFormatException;

/**
 * The spec's conversion table, shared by message properties, map message entries and stream message items.
 * A value written as the row type can be read as the marked column types; any other read is refused with a
 * {@link MessageFormatException}:
 *
 * <pre>
 *          boolean byte short char int long float double String byte[]
 * boolean     X                                            X
 * byte              X    X         X    X                  X
 * short                  X         X    X                  X
 * char                        X                            X
 * int                              X    X                  X
 * long                                  X                  X
 * float                                      X     X       X
 * double                                           X       X
 * String      X     X    X         X    X    X     X       X
 * byte[]                                                          X
 * </pre>
 * Properties never hold {@code char} or {@code byte[]}, so for them this is exactly the property table.
 *
 * <p>String-to-number reads use the wrapper's {@code valueOf(String)}, so a bad string throws
 * {@link NumberFormatException}. A null (absent) value read as a primitive is likewise {@code valueOf(null)}:
 * {@code false} for boolean, {@link NumberFormatException} for byte, short, int and long,
 * {@link NullPointerException} for float, double and char; read as String or byte[] it is null.
 *
 * <p>{@code what} names the value in the refusal ("property 'x'", "map entry 'y'", "stream item 3").
 */
final class ValueConversions {
    private ValueConversions() {
    }

    static boolean toBoolean(Object v, String what) throws MessageFormatException {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Boolean.valueOf((String) v);
        }
        throw refused(v, "boolean", what);
    }

    static byte toByte(Object v, String what) throws MessageFormatException {
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Byte.valueOf((String) v);
        }
        throw refused(v, "byte", what);
    }

    static short toShort(Object v, String what) throws MessageFormatException {
        if (v instanceof Short s) {
            return s;
        }
        if (v instanceof Byte b) {
            return b;
        }
        if (v == null || v instanceof String) {
            return Short.valueOf((String) v);
        }
        throw refused(v, "short", what);
    }

    static char toChar(Object v, String what) throws MessageFormatException {
        if (v instanceof Character c) {
            return c;
        }
        if (v == null) {
            throw new NullPointerException(what + " is null and cannot be read as a char");
        }
        throw refused(v, "char", what);
    }

    static int toInt(Object v, String what) throws MessageFormatException {
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v == null || v instanceof String) {
            return Integer.valueOf((String) v);
        }
        throw refused(v, "int", what);
    }

    static long toLong(Object v, String what) throws MessageFormatException {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v == null || v instanceof String) {
            return Long.valueOf((String) v);
        }
        throw refused(v, "long", what);
    }

    static float toFloat(Object v, String what) throws MessageFormatException {
        if (v instanceof Float f) {
            return f;
        }
        if (v == null) {
            throw new NullPointerException(what + " is null and cannot be read as a float");
        }
        if (v instanceof String s) {
            return Float.valueOf(s);
        }
        throw refused(v, "float", what);
    }

    static double toDouble(Object v, String what) throws MessageFormatException {
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof Float f) {
            return f;
        }
        if (v == null) {
            throw new NullPointerException(what + " is null and cannot be read as a double");
        }
        if (v instanceof String s) {
            return Double.valueOf(s);
        }
        throw refused(v, "double", what);
    }

    static String toText(Object v, String what) throws MessageFormatException {
        if (v instanceof byte[]) {
            throw refused(v, "String", what);
        }
        return v == null ? null : v.toString();
    }

    /** A copy of a byte[] value, or null. */
    static byte[] toBytes(Object v, String what) throws MessageFormatException {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b.clone();
        }
        throw refused(v, "byte[]", what);
    }

    /** The value a getObject-style read returns: byte[] copied, everything else as stored. */
    static Object toObject(Object v) {
        return v instanceof byte[] b ? b.clone() : v;
    }

    /** True for the types a map entry or stream item may hold: primitives' wrappers, String, byte[]. */
    static boolean isBodyValue(Object v) {
        return v == null || isPropertyValue(v) || v instanceof Character || v instanceof byte[];
    }

    /** True for the types a property may hold: Boolean, Byte, Short, Integer, Long, Float, Double, String. */
    static boolean isPropertyValue(Object v) {
        return v instanceof Boolean || v instanceof Byte || v instanceof Short || v instanceof Integer
                || v instanceof Long || v instanceof Float || v instanceof Double || v instanceof String;
    }

    static String typeName(Object v) {
        return v == null ? "null" : v instanceof byte[] ? "byte[]" : v.getClass().getSimpleName();
    }

    private static MessageFormatException refused(Object v, String target, String what) {
        return new MessageFormatException(what + " holds a " + typeName(v) + ", which cannot be read as " + target);
    }
}
