package io.tern.jms.message;


/**
 * The rules for names an application may give message properties.
 * <ul>
 * <li>A name is not null or empty, and is a Java identifier: its first character is a Java identifier start, every
 * other one a Java identifier part (the spec's selector identifier rule).</li>
 * <li>A selector's reserved words ({@code NULL TRUE FALSE NOT AND OR ...}) are accepted, as ActiveMQ and Artemis accept
 *     them; no selector can name such a property.</li>
 * <li>Names starting with {@code JMS} are reserved for the spec and the provider. Of them, an application may set only
 * {@value #GROUP_ID} (a String) and {@value #GROUP_SEQ} (an int). {@value #DELIVERY_COUNT} is set by the provider
 * on receive.</li>
 * </ul>
 * A name breaking a rule is refused with an {@link IllegalArgumentException} saying which.
 */
public final class PropertyNames {
    /** The JMS-defined group id property (String). */
    public static final String GROUP_ID = "JMSXGroupID";
    /** The JMS-defined group sequence property (int). */
    public static final String GROUP_SEQ = "JMSXGroupSeq";
    /** The JMS-defined delivery count, set by the provider on receive (int, 1 on first delivery). */
    public static final String DELIVERY_COUNT = "JMSXDeliveryCount";

    private PropertyNames() {
    }

    /**
     * Checks that an application may set a property of this name.
     *
     * @throws IllegalArgumentException naming the rule the name breaks
     */
    public static void checkSettable(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a property name must not be null or empty");
        }
        if (!isIdentifier(name)) {
            throw new IllegalArgumentException("property name '" + name + "' is not a valid identifier (a Java"
                    + " identifier start followed by Java identifier parts)");
        }
        if (name.startsWith("JMS") && !name.equals(GROUP_ID) && !name.equals(GROUP_SEQ)) {
            throw new IllegalArgumentException("property name '" + name + "' starts with JMS, which is reserved;"
                    + " of those an application may set only " + GROUP_ID + " and " + GROUP_SEQ);
        }
    }

    /** True for the JMS-prefixed names an application may set and Tern sends: the two group properties. */
    static boolean isSendableReserved(String name) {
        return GROUP_ID.equals(name) || GROUP_SEQ.equals(name);
    }

    private static boolean isIdentifier(String name) {
        if (!Character.isJavaIdentifierStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
