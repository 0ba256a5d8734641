package io.sluice.metastore;

/** The rule for topic names (admin.proto, CreatableTopic.name), in one place. Stateless. */
public final class TopicNames {
    /** Longest accepted name. */
    public static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    /** Why {@code name} is not a valid topic name, or null if it is. */
    public static String invalidReason(String name) {
        if (name == null || name.isEmpty()) {
            return "topic name is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "topic name is longer than " + MAX_LENGTH + " characters";
        }
        if (name.equals(".") || name.equals("..")) {
            return "topic name cannot be '" + name + "'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return "topic name '" + name + "' has the character '" + c + "' (allowed: a-z A-Z 0-9 . _ -)";
            }
        }
        return null;
    }
}
