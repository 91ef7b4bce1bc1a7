package io.streamoffload.connect.dynamodb.errors;

import java.util.regex.Pattern;

/**
 * Text for reasons that travel to logs and dead letter queue headers. Parsers and serializers quote the data they
 * choke on in their messages, so a failure is described by its type and the code position that raised it, and names
 * taken from data (attribute paths) are shortened; record content never goes in.
 */
public final class ContentFreeText {
    private static final int MAX_NAME_CHARS = 120;
    private static final int MAX_MESSAGE_CHARS = 240;
    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"|`[^`]*`");

    private ContentFreeText() {
    }

    /** The failure's type and where it was raised, e.g. {@code java.lang.NullPointerException at a.B.c(B.java:12)}. */
    public static String failure(Throwable failure) {
        StackTraceElement[] trace = failure.getStackTrace();
        String where = trace.length == 0 ? "" : " at " + trace[0];
        return failure.getClass().getName() + where;
    }

    /**
     * A library message with everything in quotes removed, for messages known to describe limits in numbers only
     * (Jackson's stream constraints); quoting is how such messages would carry data, so nothing quoted survives.
     */
    public static String unquoted(String message) {
        if (message == null) {
            return "";
        }
        String stripped = QUOTED.matcher(message).replaceAll("…");
        return stripped.length() <= MAX_MESSAGE_CHARS ? stripped : stripped.substring(0, MAX_MESSAGE_CHARS) + "…";
    }

    /** An attribute path or other name taken from data, shortened so that a hostile name cannot flood a reason. */
    public static String name(String name) {
        return name.length() <= MAX_NAME_CHARS ? name
                : name.substring(0, MAX_NAME_CHARS) + "…(" + name.length() + " characters)";
    }
}
