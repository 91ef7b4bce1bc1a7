package io.streamoffload.connect.dynamodb;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The connector version, filtered into a resource by Maven at build time. */
public final class Version {
    private static final String VERSION = load();

    private Version() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        Properties props = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            // fall through: an unknown version must not stop the plugin from loading
        }
        return props.getProperty("version", "unknown");
    }
}
