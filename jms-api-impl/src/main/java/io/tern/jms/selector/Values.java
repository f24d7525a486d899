package io.tern.jms.selector;

/**
 * The value rules of selectors (spec 3.8.1.1): exact numerics (Byte, Short, Integer, Long) compute as long,
 * approximate ones (Float, Double) as double, mixing the two promotes to double as Java does; only like types
 * compare, and comparing unlike types is FALSE; NULL makes a comparison or arithmetic UNKNOWN (null).
 */
final class Values {
    private Values() {
    }

    static boolean isExact(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
    }

    static boolean isApproximate(Object v) {
        return v instanceof Double || v instanceof Float;
    }

    static boolean isNumeric(Object v) {
        return isExact(v) || isApproximate(v);
    }

    /** A value in a boolean position: a Boolean is itself; NULL and any other type are UNKNOWN. */
    static Boolean condition(Object v) {
        return v instanceof Boolean b ? b : null;
    }

    static Boolean compare(Object left, Comparison.Operator op, Object right) {
        if (left == null || right == null) {
            return null;
        }
        if (isExact(left) && isExact(right)) {
            long a = ((Number) left).longValue();
            long b = ((Number) right).longValue();
            return switch (op) {
                case EQ -> a == b;
                case NE -> a != b;
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                case GE -> a >= b;
            };
        }
        if (isNumeric(left) && isNumeric(right)) {
            // Java binary numeric promotion: float widens to double, long converts to double; NaN compares as in Java.
            double a = ((Number) left).doubleValue();
            double b = ((Number) right).doubleValue();
            return switch (op) {
                case EQ -> a == b;
                case NE -> a != b;
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                case GE -> a >= b;
            };
        }
        boolean likeTypes = (left instanceof String && right instanceof String)
                || (left instanceof Boolean && right instanceof Boolean);
        if (!likeTypes) {
            return Boolean.FALSE;
        }
        return switch (op) {
            case EQ -> left.equals(right);
            case NE -> !left.equals(right);
            // Strings and booleans compare only with = and <>; the parser refuses literals here, so only
            // identifiers holding such values reach this: not a valid comparison of like types, so FALSE.
            default -> Boolean.FALSE;
        };
    }

    /** Java arithmetic after numeric promotion; UNKNOWN for NULL, a non-numeric operand or integer division by 0. */
    static Object arithmetic(Object left, Arithmetic.Operator op, Object right) {
        if (!isNumeric(left) || !isNumeric(right)) {
            return null;
        }
        if (isExact(left) && isExact(right)) {
            long a = ((Number) left).longValue();
            long b = ((Number) right).longValue();
            return switch (op) {
                case ADD -> a + b;
                case SUBTRACT -> a - b;
                case MULTIPLY -> a * b;
                case DIVIDE -> b == 0 ? null : a / b;
            };
        }
        double a = ((Number) left).doubleValue();
        double b = ((Number) right).doubleValue();
        return switch (op) {
            case ADD -> a + b;
            case SUBTRACT -> a - b;
            case MULTIPLY -> a * b;
            case DIVIDE -> a / b;
        };
    }

    static Object negate(Object v) {
        if (isExact(v)) {
            return -((Number) v).longValue();
        }
        if (isApproximate(v)) {
            return -((Number) v).doubleValue();
        }
        return null;
    }
}
