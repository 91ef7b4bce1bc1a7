package io.streamoffload.connect.dynamodb.it.stack;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the {@link InJvmStack} once per test JVM and shares it with every test class that uses this extension;
 * JUnit closes it when the whole run ends (it lives in the root store).
 */
public final class InJvmStackExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(InJvmStackExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == SinkTestStack.class || type == InJvmStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return stack(context);
    }

    public static InJvmStack stack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("stack", key -> {
            try {
                return new Closing(InJvmStack.start());
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the in-JVM test stack", e);
            }
        }, Closing.class).stack;
    }

    /** Lets JUnit close the stack at the end of the run. */
    private record Closing(InJvmStack stack) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Exception {
            stack.close();
        }
    }
}
