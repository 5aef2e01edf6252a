// Checkpoints, proofs, keys and verification of the Merkle tree over the log
// (M14, RFC 9162). Sizes and positions are checked against the checkpoints
// and the durable tree before any proof is computed.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/audit/audit_handlers.h"
#include "services/base/status_macros.h"
#include "services/common/proto_time.h"
#include "services/common/resource_names.h"
#include "storage/audit/checkpoint.h"
#include "storage/event_codec.h"
#include "storage/log_verifier.h"

namespace riskledger::auditing {
namespace {

// The longest failure text VerifyLog returns (the verifier's messages are
// far shorter; this bounds the response whatever it says).
constexpr size_t kMaxFailureBytes = 1024;

void SetHashes(const std::vector<std::string>& hashes,
               google::protobuf::RepeatedPtrField<std::string>* out) {
  out->Reserve(static_cast<int>(hashes.size()));
  for (const std::string& hash : hashes) *out->Add() = hash;
}

}  // namespace

AuditHandlers::AuditHandlers(AuditSources sources, PageTokenCodec page_tokens,
                             std::function<absl::Time()> clock)
    : sources_(std::move(sources)),
      page_tokens_(std::move(page_tokens)),
      clock_(std::move(clock)) {}

absl::StatusOr<v1::Checkpoint> AuditHandlers::ToApi(
    const storage::StoredCheckpoint& stored) const {
  absl::StatusOr<std::string> text =
      audit::OpenNote(stored.note, *sources_.verifiers);
  if (!text.ok()) {
    return absl::DataLossError(absl::StrCat(
        "the stored checkpoint of tree size ", stored.size,
        " does not verify: ", text.status().message()));
  }
  ASSIGN_OR_RETURN(audit::Checkpoint parsed, audit::ParseCheckpoint(*text));
  v1::Checkpoint checkpoint;
  checkpoint.set_origin(parsed.origin);
  checkpoint.set_tree_size(static_cast<int64_t>(parsed.size));
  checkpoint.set_root_hash(parsed.root_hash);
  if (absl::StatusOr<absl::Time> time = audit::CheckpointTime(parsed);
      time.ok()) {
    *checkpoint.mutable_time() = ToProtoTimestamp(*time);
  }
  checkpoint.set_signed_note(stored.note);
  return checkpoint;
}

absl::StatusOr<v1::Checkpoint> AuditHandlers::CheckpointAt(
    int64_t tree_size) const {
  if (tree_size == 0) {
    ASSIGN_OR_RETURN(std::optional<storage::StoredCheckpoint> latest,
                     sources_.log->LatestCheckpoint());
    if (!latest.has_value()) {
      return absl::NotFoundError(
          "no checkpoint has been made yet (the log is empty)");
    }
    return ToApi(*latest);
  }
  ASSIGN_OR_RETURN(std::vector<storage::StoredCheckpoint> found,
                   sources_.log->ListCheckpoints(tree_size - 1, 1));
  if (found.empty() || found[0].size != tree_size) {
    return absl::NotFoundError(absl::StrCat(
        "no checkpoint was made at tree size ", tree_size,
        "; GetCheckpoint with tree_size 0 returns the latest"));
  }
  return ToApi(found[0]);
}

absl::StatusOr<v1::Checkpoint> AuditHandlers::GetCheckpoint(
    const v1::GetCheckpointRequest& request) const {
  if (request.tree_size() < 0) {
    return InvalidFieldError("tree_size", "must not be negative");
  }
  return CheckpointAt(request.tree_size());
}

absl::StatusOr<v1::Checkpoint> AuditHandlers::CreateCheckpoint(
    const v1::CreateCheckpointRequest& /*request*/) const {
  ASSIGN_OR_RETURN(storage::StoredCheckpoint made,
                   sources_.checkpointer->Checkpoint(clock_()));
  return ToApi(made);
}

absl::StatusOr<v1::InclusionProof> AuditHandlers::GetInclusionProof(
    const v1::GetInclusionProofRequest& request) const {
  FieldViolationCollector violations;
  absl::StatusOr<TenantName> tenant =
      ParseTenantName(request.parent(), "parent");
  violations.Merge(tenant.status(), "parent");
  if (request.log_position() < 1) {
    violations.Add("log_position", "must be at least 1");
  }
  if (request.tree_size() < 0) {
    violations.Add("tree_size", "must not be negative");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(v1::Checkpoint checkpoint,
                   CheckpointAt(request.tree_size()));
  if (request.log_position() > checkpoint.tree_size()) {
    return absl::OutOfRangeError(absl::StrCat(
        "log position ", request.log_position(),
        " is not in the checkpoint of tree size ", checkpoint.tree_size(),
        "; CreateCheckpoint makes one that covers the whole log"));
  }
  ASSIGN_OR_RETURN(std::string entry,
                   sources_.log->EntryAt(request.log_position()));
  ASSIGN_OR_RETURN(storage::EventEnvelope event, storage::DecodeEvent(entry));
  // Another tenant's entry is indistinguishable from a missing one.
  if (!absl::StartsWith(event.stream_id,
                        absl::StrCat(tenant->ToString(), "/"))) {
    return absl::NotFoundError(
        absl::StrCat(EchoInput(request.parent()), " has no log entry at position ",
                     request.log_position()));
  }
  ASSIGN_OR_RETURN(std::vector<std::string> hashes,
                   sources_.log->InclusionProof(request.log_position(),
                                                checkpoint.tree_size()));
  v1::InclusionProof proof;
  proof.set_log_position(request.log_position());
  proof.set_tree_size(checkpoint.tree_size());
  proof.set_entry(std::move(entry));
  SetHashes(hashes, proof.mutable_hashes());
  *proof.mutable_checkpoint() = std::move(checkpoint);
  return proof;
}

absl::StatusOr<v1::ConsistencyProof> AuditHandlers::GetConsistencyProof(
    const v1::GetConsistencyProofRequest& request) const {
  FieldViolationCollector violations;
  if (request.first_tree_size() < 1) {
    violations.Add("first_tree_size", "must be at least 1");
  }
  if (request.second_tree_size() < 0) {
    violations.Add("second_tree_size", "must not be negative");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  std::optional<v1::Checkpoint> second_checkpoint;
  int64_t second = request.second_tree_size();
  if (second == 0) {
    ASSIGN_OR_RETURN(second_checkpoint, CheckpointAt(0));
    second = second_checkpoint->tree_size();
  } else if (absl::StatusOr<v1::Checkpoint> at = CheckpointAt(second);
             at.ok()) {
    second_checkpoint = *std::move(at);
  } else if (!absl::IsNotFound(at.status())) {
    return at.status();
  }
  if (request.first_tree_size() > second) {
    return InvalidFieldError(
        "first_tree_size",
        absl::StrCat("must not exceed the second tree size (", second, ")"));
  }
  const int64_t durable = sources_.log->DurableTree().size;
  if (second > durable) {
    return absl::OutOfRangeError(absl::StrCat(
        "tree size ", second, " is beyond the log (", durable, " entries)"));
  }
  ASSIGN_OR_RETURN(std::vector<std::string> hashes,
                   sources_.log->ConsistencyProof(request.first_tree_size(),
                                                  second));
  v1::ConsistencyProof proof;
  proof.set_first_tree_size(request.first_tree_size());
  proof.set_second_tree_size(second);
  SetHashes(hashes, proof.mutable_hashes());
  if (second_checkpoint.has_value()) {
    *proof.mutable_second_checkpoint() = *std::move(second_checkpoint);
  }
  return proof;
}

absl::StatusOr<v1::ListVerifierKeysResponse> AuditHandlers::ListVerifierKeys(
    const v1::ListVerifierKeysRequest& /*request*/) const {
  ASSIGN_OR_RETURN(std::vector<std::string> keys,
                   sources_.log->VerifierKeys());
  const std::string current =
      sources_.checkpointer->signer().verifier().Encode();
  v1::ListVerifierKeysResponse response;
  response.mutable_keys()->Reserve(static_cast<int>(keys.size()));
  for (std::string& key : keys) {
    v1::VerifierKey* out = response.add_keys();
    out->set_current(key == current);
    out->set_verifier_key(std::move(key));
  }
  return response;
}

absl::StatusOr<v1::VerifyLogResponse> AuditHandlers::VerifyLog(
    const v1::VerifyLogRequest& /*request*/) const {
  absl::StatusOr<storage::LogVerification> verified =
      storage::VerifyLog(*sources_.log, *sources_.verifiers);
  v1::VerifyLogResponse response;
  if (!verified.ok()) {
    if (!absl::IsDataLoss(verified.status())) return verified.status();
    // The log is damaged: no write may be chained onto it (M14).
    sources_.log->RefuseWrites(verified.status());
    response.set_valid(false);
    response.set_failure(
        TruncateUtf8(verified.status().message(), kMaxFailureBytes));
    return response;
  }
  response.set_valid(true);
  response.set_entries_verified(verified->head.position);
  response.set_tree_size(verified->tree.size);
  response.set_root_hash(verified->tree.root);
  response.set_checkpoints_verified(verified->checkpoints);
  return response;
}

}  // namespace riskledger::auditing
