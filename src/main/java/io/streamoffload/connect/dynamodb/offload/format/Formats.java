package io.streamoffload.connect.dynamodb.offload.format;

import io.streamoffload.connect.dynamodb.offload.FieldSerializer;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Finds a serializer by format name (built-in) or class name (custom). */
public final class Formats {
    private static final Map<String, FieldSerializer> BUILT_IN = Map.of(
            "text", new TextFormat(),
            "binary", new BinaryFormat(),
            "json", new JsonFormat(),
            "avro", new AvroFormat());
    private static final Map<String, FieldSerializer> CUSTOM = new ConcurrentHashMap<>();

    private Formats() {
    }

    /**
     * The serializer for a built-in format name or a custom class name.
     *
     * @throws IllegalArgumentException saying why when there is none
     */
    public static FieldSerializer forName(String name) {
        FieldSerializer builtIn = BUILT_IN.get(name.toLowerCase(Locale.ROOT));
        if (builtIn != null) {
            return builtIn;
        }
        return CUSTOM.computeIfAbsent(name, Formats::instantiate);
    }

    /** The built-in serializer for a format name, if it is one. */
    public static java.util.Optional<FieldSerializer> builtIn(String name) {
        return java.util.Optional.ofNullable(BUILT_IN.get(name.toLowerCase(Locale.ROOT)));
    }

    private static FieldSerializer instantiate(String className) {
        try {
            Class<?> type = Class.forName(className, true, Formats.class.getClassLoader());
            if (!FieldSerializer.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(className + " does not implement " + FieldSerializer.class.getName());
            }
            return (FieldSerializer) type.getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("'" + className + "' is neither a built-in format (text, binary, json, avro)"
                    + " nor a class on the plugin's classpath");
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalArgumentException(className + " needs a public no-argument constructor: " + e);
        }
    }

    static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
