package io.kube2kafka.testing;

import io.kube2kafka.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * A real Kafka broker (KRaft, from Kafka's jars, no Docker) shared by every test class of the run:
 * stored in the root extension context, started on first use and closed when the run ends. Tests
 * that need a broker of their own (to stop it) start an {@link EmbeddedKafkaBroker} themselves.
 *
 * <p>Use with {@code @ExtendWith(KafkaBroker.class)} and a parameter of type EmbeddedKafkaBroker.
 */
public final class KafkaBroker implements BeforeAllCallback, ParameterResolver {

    private static final class Resource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final EmbeddedKafkaBroker broker;

        Resource() {
            try {
                broker = new EmbeddedKafkaBroker(Files.createTempDirectory("kube2kafka-test-kafka"), 0, Map.of()).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            broker.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }

    private static EmbeddedKafkaBroker broker(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(KafkaBroker.class))
                .getOrComputeIfAbsent(Resource.class, k -> new Resource(), Resource.class).broker;
    }
}
