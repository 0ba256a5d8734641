package io.sluice.metastore.internal;

/** Checks of canonical UUID text (8-4-4-4-12 lower-case hex). Stateless. */
public final class Uuids {
    private Uuids() {
    }

    /** Whether {@code s} is a UUID in canonical lower-case text form. */
    public static boolean isCanonical(String s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
