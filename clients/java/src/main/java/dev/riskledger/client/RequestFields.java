package dev.riskledger.client;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.UUID;

/** What the call policy reads from and sets on a request, by field name. */
final class RequestFields {
  private RequestFields() {}

  /**
   * The request with a fresh {@code request_id} (a version 4 UUID, as AIP-155
   * recommends) when it has the field (a mutation) and left it empty; the
   * caller's own id is kept. Messages are immutable, so the caller's request
   * stays as it was: sending it again is another mutation, not a replay.
   */
  static Message withRequestId(Message request) {
    FieldDescriptor field = stringField(request, "request_id");
    if (field == null || !((String) request.getField(field)).isEmpty()) {
      return request;
    }
    return request.toBuilder().setField(field, UUID.randomUUID().toString()).build();
  }

  static boolean hasRequestId(Message request) {
    FieldDescriptor field = stringField(request, "request_id");
    return field != null && !((String) request.getField(field)).isEmpty();
  }

  /** An etag on the request or on the resource it carries (an Update request's etag). */
  static boolean carriesEtag(Message request) {
    if (hasEtag(request)) {
      return true;
    }
    for (FieldDescriptor field : request.getDescriptorForType().getFields()) {
      if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
          && !field.isRepeated()
          && request.hasField(field)
          && hasEtag((Message) request.getField(field))) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasEtag(Message message) {
    FieldDescriptor field = stringField(message, "etag");
    return field != null && !((String) message.getField(field)).isEmpty();
  }

  private static FieldDescriptor stringField(Message message, String name) {
    FieldDescriptor field = message.getDescriptorForType().findFieldByName(name);
    if (field == null
        || field.isRepeated()
        || field.getJavaType() != FieldDescriptor.JavaType.STRING) {
      return null;
    }
    return field;
  }
}
