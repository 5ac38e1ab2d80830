package io.kube2kafka.cli;

import io.kube2kafka.publish.HeaderNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/** One readable line per record: type, resource, namespace/name, resourceVersion, origin. */
public final class RecordLine {
    private RecordLine() {
    }

    public static String format(ConsumerRecord<byte[], byte[]> record) {
        String namespace = header(record, HeaderNames.NAMESPACE);
        String name = (namespace == null ? "" : namespace + "/") + header(record, HeaderNames.NAME);
        String type = record.value() == null ? "TOMBSTONE" : header(record, HeaderNames.TYPE);
        return String.format("%-9s %-22s %-40s rv=%-8s %-5s %s-%d@%d", type, header(record, HeaderNames.RESOURCE), name,
                header(record, HeaderNames.RESOURCE_VERSION), header(record, HeaderNames.ORIGIN), record.topic(), record.partition(), record.offset());
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
