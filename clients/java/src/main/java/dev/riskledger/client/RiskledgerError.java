package dev.riskledger.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A failed call's status with the details the server attached, decoded.
 *
 * <pre>{@code
 * try {
 *   client.assessment().createRisk(request);
 * } catch (StatusRuntimeException e) {
 *   RiskledgerError error = RiskledgerError.from(e).orElseThrow();
 *   error.violation("risk.owner").ifPresent(System.err::println);
 * }
 * }</pre>
 */
public final class RiskledgerError {
  private final Status.Code code;
  private final String message;
  private final List<FieldViolation> fieldViolations;
  private final String reason;
  private final String domain;
  private final Map<String, String> metadata;

  private RiskledgerError(
      Status.Code code,
      String message,
      List<FieldViolation> fieldViolations,
      String reason,
      String domain,
      Map<String, String> metadata) {
    this.code = code;
    this.message = message;
    this.fieldViolations = fieldViolations;
    this.reason = reason;
    this.domain = domain;
    this.metadata = metadata;
  }

  /**
   * The error carried by {@code thrown} (a {@link StatusRuntimeException} or
   * {@link StatusException}, also as the cause of another exception, such as
   * a future's {@code ExecutionException}); empty when it carries no gRPC
   * status.
   */
  public static Optional<RiskledgerError> from(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof StatusRuntimeException || t instanceof StatusException) {
        return Optional.of(decode(t));
      }
    }
    return Optional.empty();
  }

  private static RiskledgerError decode(Throwable statusThrowable) {
    Status status = Status.fromThrowable(statusThrowable);
    List<FieldViolation> violations = new ArrayList<>();
    String reason = "";
    String domain = "";
    Map<String, String> metadata = Map.of();
    com.google.rpc.Status details = null;
    try {
      details = StatusProto.fromThrowable(statusThrowable);
    } catch (IllegalArgumentException mismatched) {
      // Details whose code differs from the status's (or that do not parse)
      // are left out; the code and message stand.
    }
    if (details != null) {
      for (Any detail : details.getDetailsList()) {
        try {
          if (detail.is(BadRequest.class)) {
            for (BadRequest.FieldViolation v :
                detail.unpack(BadRequest.class).getFieldViolationsList()) {
              violations.add(new FieldViolation(v.getField(), v.getDescription()));
            }
          } else if (detail.is(ErrorInfo.class)) {
            ErrorInfo info = detail.unpack(ErrorInfo.class);
            reason = info.getReason();
            domain = info.getDomain();
            metadata = Map.copyOf(info.getMetadataMap());
          }
        } catch (InvalidProtocolBufferException malformed) {
          // A detail that does not parse is left out; the code and message stand.
        }
      }
    }
    return new RiskledgerError(
        status.getCode(),
        status.getDescription() == null ? "" : status.getDescription(),
        Collections.unmodifiableList(violations),
        reason,
        domain,
        metadata);
  }

  public Status.Code code() {
    return code;
  }

  public String message() {
    return message;
  }

  /** The field violations of a {@code google.rpc.BadRequest} detail. */
  public List<FieldViolation> fieldViolations() {
    return fieldViolations;
  }

  /** The description of the violation of {@code field} (a path such as "risk.owner"). */
  public Optional<String> violation(String field) {
    for (FieldViolation v : fieldViolations) {
      if (v.field().equals(field)) {
        return Optional.of(v.description());
      }
    }
    return Optional.empty();
  }

  /** The reason of a {@code google.rpc.ErrorInfo} detail, or "". */
  public String reason() {
    return reason;
  }

  /** The domain of a {@code google.rpc.ErrorInfo} detail, or "". */
  public String domain() {
    return domain;
  }

  /** The metadata of a {@code google.rpc.ErrorInfo} detail. */
  public Map<String, String> metadata() {
    return metadata;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("riskledger: ").append(code).append(": ").append(message);
    for (FieldViolation v : fieldViolations) {
      b.append("; ").append(v.field()).append(": ").append(v.description());
    }
    return b.toString();
  }

  /** A request field (a path such as "risk.impact") and what is wrong with it. */
  public record FieldViolation(String field, String description) {
    @Override
    public String toString() {
      return field + ": " + description;
    }
  }
}
