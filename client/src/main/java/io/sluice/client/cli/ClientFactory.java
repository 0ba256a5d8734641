package io.sluice.client.cli;

import io.sluice.client.admin.Admin;
import io.sluice.client.admin.AdminConfig;
import io.sluice.client.admin.SluiceAdmin;
import io.sluice.client.common.Serdes;
import io.sluice.client.consumer.Consumer;
import io.sluice.client.consumer.SluiceConsumer;
import io.sluice.client.producer.Producer;
import io.sluice.client.producer.SluiceProducer;
import java.util.Map;

/**
 * Makes the clients the commands use, from settings the command assembled. The default makes the
 * real gRPC clients; a test may supply another.
 */
public interface ClientFactory {
    /** An admin client. */
    Admin admin(Map<String, Object> settings);

    /** A producer of raw bytes. */
    Producer<byte[], byte[]> producer(Map<String, Object> settings);

    /** A consumer of raw bytes. */
    Consumer<byte[], byte[]> consumer(Map<String, Object> settings);

    /** The real clients. */
    static ClientFactory standard() {
        return new ClientFactory() {
            @Override
            public Admin admin(Map<String, Object> settings) {
                return new SluiceAdmin(new AdminConfig(settings));
            }

            @Override
            public Producer<byte[], byte[]> producer(Map<String, Object> settings) {
                return new SluiceProducer<>(settings, Serdes.byteArraySerializer(), Serdes.byteArraySerializer());
            }

            @Override
            public Consumer<byte[], byte[]> consumer(Map<String, Object> settings) {
                return new SluiceConsumer<>(settings, Serdes.byteArrayDeserializer(), Serdes.byteArrayDeserializer());
            }
        };
    }
}
