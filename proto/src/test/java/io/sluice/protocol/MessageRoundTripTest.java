package io.sluice.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.sluice.proto.internal.v1.ControllerProto;
import io.sluice.proto.internal.v1.MetadataStateProto;
import io.sluice.proto.internal.v1.ReplicationProto;
import io.sluice.proto.v1.AdminProto;
import io.sluice.proto.v1.CommonProto;
import io.sluice.proto.v1.ConsumerProto;
import io.sluice.proto.v1.ErrorsProto;
import io.sluice.proto.v1.GroupProto;
import io.sluice.proto.v1.MetadataProto;
import io.sluice.proto.v1.ProducerProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message of every contract, with every field filled (nested messages, repeated fields,
 * maps and oneofs included), survives binary and JSON round trips through the generated Java
 * classes. A field added later is covered without touching this test.
 */
class MessageRoundTripTest {
    private static final long SEED = 20261125L;

    static List<FileDescriptor> files() {
        return List.of(ErrorsProto.getDescriptor(), CommonProto.getDescriptor(), ProducerProto.getDescriptor(),
                ConsumerProto.getDescriptor(), MetadataProto.getDescriptor(), AdminProto.getDescriptor(),
                GroupProto.getDescriptor(), ReplicationProto.getDescriptor(), ControllerProto.getDescriptor(),
                MetadataStateProto.getDescriptor());
    }

    static Stream<Descriptor> allMessages() {
        List<Descriptor> out = new ArrayList<>();
        for (FileDescriptor file : files()) {
            for (Descriptor type : file.getMessageTypes()) {
                collect(type, out);
            }
        }
        return out.stream();
    }

    private static void collect(Descriptor type, List<Descriptor> out) {
        if (type.getOptions().getMapEntry()) {
            return;
        }
        out.add(type);
        for (Descriptor nested : type.getNestedTypes()) {
            collect(nested, out);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allMessages")
    void everyFieldSurvivesBinaryAndJson(Descriptor type) throws Exception {
        Message original = toGenerated(type, fill(type, new Random(SEED ^ type.getFullName().hashCode()), 0));
        assertEquals(type.getFields().size() - oneofSiblings(type), original.getAllFields().size(),
                "every field is set in " + type.getFullName());

        Message parsed = original.getParserForType().parseFrom(original.toByteArray());
        assertEquals(original, parsed);

        String json = JsonFormat.printer().print(original);
        Message.Builder fromJson = original.newBuilderForType();
        JsonFormat.parser().merge(json, fromJson);
        assertEquals(original, fromJson.build());
    }

    private static int oneofSiblings(Descriptor type) {
        int extra = 0;
        for (var oneof : type.getRealOneofs()) {
            extra += oneof.getFieldCount() - 1;
        }
        return extra;
    }

    private static Message toGenerated(Descriptor type, DynamicMessage dynamic) throws Exception {
        Class<?> generated = generatedClass(type);
        Message prototype = (Message) generated.getMethod("getDefaultInstance").invoke(null);
        return prototype.getParserForType().parseFrom(dynamic.toByteArray());
    }

    private static Class<?> generatedClass(Descriptor type) throws ClassNotFoundException {
        String javaPackage = type.getFile().getOptions().getJavaPackage();
        String relative = type.getFullName().substring(type.getFile().getPackage().length() + 1);
        return Class.forName(javaPackage + "." + relative.replace('.', '$'));
    }

    private static DynamicMessage fill(Descriptor type, Random random, int depth) {
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
        for (FieldDescriptor field : type.getFields()) {
            if (field.getRealContainingOneof() != null
                    && field.getRealContainingOneof().getField(0) != field) {
                continue;
            }
            if (field.isRepeated()) {
                for (int i = 0; i < 2; i++) {
                    builder.addRepeatedField(field, value(field, random, depth, i));
                }
            } else {
                builder.setField(field, value(field, random, depth, 0));
            }
        }
        return builder.build();
    }

    private static Object value(FieldDescriptor field, Random random, int depth, int index) {
        return switch (field.getJavaType()) {
            case INT -> random.nextInt(1_000_000) + 1;
            case LONG -> random.nextLong() | 1L;
            case FLOAT -> random.nextFloat() + 1f;
            case DOUBLE -> random.nextDouble() + 1d;
            case BOOLEAN -> true;
            case STRING -> field.getName() + "-" + index + "-" + random.nextInt(1000);
            case BYTE_STRING -> ByteString.copyFrom(new byte[] {(byte) random.nextInt(), 1, 2, (byte) index});
            case ENUM -> nonZeroEnum(field, random);
            case MESSAGE -> field.isMapField() ? mapEntry(field, random, depth, index)
                    : fill(field.getMessageType(), random, depth + 1);
        };
    }

    private static DynamicMessage mapEntry(FieldDescriptor field, Random random, int depth, int index) {
        Descriptor entry = field.getMessageType();
        DynamicMessage.Builder builder = DynamicMessage.newBuilder(entry);
        FieldDescriptor key = entry.findFieldByName("key");
        FieldDescriptor value = entry.findFieldByName("value");
        builder.setField(key, key.getJavaType() == FieldDescriptor.JavaType.STRING ? "key-" + index : index + 1);
        builder.setField(value, value(value, random, depth, index));
        return builder.build();
    }

    private static EnumValueDescriptor nonZeroEnum(FieldDescriptor field, Random random) {
        List<EnumValueDescriptor> values = field.getEnumType().getValues();
        return values.get(1 + random.nextInt(values.size() - 1));
    }
}
