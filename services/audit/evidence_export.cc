// ExportEvidence (M14): a self-contained bundle an auditor checks offline: a
// checkpoint of the whole log with the keys, every entry in scope with its
// inclusion proof, the register as of the end of the scope, and counts.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/verify/bundle_digest.h"
#include "services/audit/audit_handlers.h"
#include "services/base/status_macros.h"
#include "services/common/field_checks.h"
#include "services/common/point_in_time.h"
#include "services/common/proto_time.h"
#include "services/common/resource_names.h"
#include "services/common/timestamp_checks.h"
#include "storage/event_codec.h"

namespace riskledger::auditing {
namespace {

// Bundle format written (docs/EVIDENCE_BUNDLE.md).
constexpr int kEvidenceFormat = 1;
// Most resources one export names.
constexpr int kMaxExportResources = 100;
// Entries read per round trip.
constexpr size_t kChunk = 256;

// The scope of a valid request.
struct Scope {
  std::string stream_prefix;  // "tenants/{t}/"
  std::set<std::string, std::less<>> resources;  // empty: all
  absl::Time start = absl::InfinitePast();
  absl::Time end = absl::InfiniteFuture();

  bool Contains(const storage::EventEnvelope& event) const {
    return absl::StartsWith(event.stream_id, stream_prefix) &&
           (resources.empty() || resources.count(event.stream_id) > 0) &&
           event.time >= start && event.time < end;
  }
};

absl::StatusOr<Scope> ParseScope(const v1::ExportEvidenceRequest& request) {
  FieldViolationCollector violations;
  Scope scope;
  absl::StatusOr<TenantName> tenant =
      ParseTenantName(request.parent(), "parent");
  violations.Merge(tenant.status(), "parent");
  if (tenant.ok()) scope.stream_prefix = absl::StrCat(tenant->ToString(), "/");
  if (request.resources_size() > kMaxExportResources) {
    violations.Add("resources", absl::StrCat("must name at most ",
                                             kMaxExportResources,
                                             " resources"));
  } else {
    for (int i = 0; i < request.resources_size(); ++i) {
      const std::string& name = request.resources(i);
      if (tenant.ok() && (!absl::StartsWith(name, scope.stream_prefix) ||
                          name.size() > kMaxResourceNameLength)) {
        violations.Add(absl::StrCat("resources[", i, "]"),
                       absl::StrCat("is not a resource name of ",
                                    tenant->ToString()));
      }
      scope.resources.insert(name);
    }
  }
  if (request.has_start_time()) {
    CheckTimestamp(violations, "start_time", request.start_time());
    scope.start = FromProtoTimestamp(request.start_time());
  }
  if (request.has_end_time()) {
    CheckTimestamp(violations, "end_time", request.end_time());
    scope.end = FromProtoTimestamp(request.end_time());
  }
  if (request.consistent_with_tree_size() < 0) {
    violations.Add("consistent_with_tree_size", "must not be negative");
  }
  if (request.has_start_time() && request.has_end_time() &&
      scope.end <= scope.start) {
    violations.Add("end_time", "must be after start_time");
  }
  RETURN_IF_ERROR(violations.ToStatus());
  return scope;
}

}  // namespace

absl::Status AuditHandlers::CheckExportRequest(
    const v1::ExportEvidenceRequest& request) {
  return ParseScope(request).status();
}

absl::Status AuditHandlers::ExportEvidence(
    const v1::ExportEvidenceRequest& request,
    const EvidenceSink& sink) const {
  ASSIGN_OR_RETURN(Scope scope, ParseScope(request));
  // Every record before the trailer goes into the digest the trailer signs.
  verify::BundleDigest digest;
  const EvidenceSink emit = [&](v1::EvidenceRecord record) {
    digest.Add(record);
    return sink(std::move(record));
  };
  // A checkpoint of the whole log: every entry in scope is under it.
  ASSIGN_OR_RETURN(storage::StoredCheckpoint made,
                   sources_.checkpointer->Checkpoint(clock_()));
  ASSIGN_OR_RETURN(v1::Checkpoint checkpoint, ToApi(made));
  const int64_t tree_size = checkpoint.tree_size();
  // The register is as of the last entry before the end of the range.
  int64_t last = tree_size;
  if (request.has_end_time()) {
    v1::AsOf before_end;
    *before_end.mutable_time() =
        ToProtoTimestamp(scope.end - absl::Nanoseconds(1));
    ASSIGN_OR_RETURN(int64_t position,
                     ResolveAsOf(*sources_.store, before_end, "end_time"));
    last = std::min(last, position);
  }

  v1::EvidenceRecord header_record;
  v1::EvidenceHeader& header = *header_record.mutable_header();
  header.set_format_version(kEvidenceFormat);
  header.set_tenant(request.parent());
  *header.mutable_resources() = request.resources();
  if (request.has_start_time()) *header.mutable_start_time() = request.start_time();
  if (request.has_end_time()) *header.mutable_end_time() = request.end_time();
  *header.mutable_checkpoint() = checkpoint;
  ASSIGN_OR_RETURN(std::vector<std::string> keys, sources_.log->VerifierKeys());
  for (std::string& key : keys) *header.add_verifier_keys() = std::move(key);
  header.set_register_position(last);
  const int64_t kept = request.consistent_with_tree_size();
  if (kept > 0 && kept <= tree_size) {
    ASSIGN_OR_RETURN(std::vector<std::string> proof,
                     sources_.log->ConsistencyProof(kept, tree_size));
    header.set_consistency_from_size(kept);
    for (std::string& hash : proof) {
      *header.add_consistency_proof() = std::move(hash);
    }
  }
  RETURN_IF_ERROR(emit(std::move(header_record)));

  int64_t entry_count = 0;
  storage::SubtreeCache subtrees;
  for (int64_t next = 1; next <= last;) {
    ASSIGN_OR_RETURN(std::vector<storage::EventEnvelope> events,
                     sources_.store->ReadAll(next, kChunk));
    if (events.empty()) break;
    for (const storage::EventEnvelope& event : events) {
      if (event.position > last) break;
      next = event.position + 1;
      if (!scope.Contains(event)) continue;
      v1::EvidenceRecord record;
      v1::EvidenceEntry& entry = *record.mutable_entry();
      entry.set_log_position(event.position);
      // Exactly the stored bytes: decoding accepts only what encoding
      // produces (the entry fuzzer asserts it), so no second read.
      *entry.mutable_entry() = storage::EncodeEvent(event);
      ASSIGN_OR_RETURN(std::vector<std::string> proof,
                       sources_.log->InclusionProof(event.position, tree_size,
                                                    subtrees));
      for (std::string& hash : proof) *entry.add_inclusion_proof() = std::move(hash);
      RETURN_IF_ERROR(emit(std::move(record)));
      ++entry_count;
    }
    if (events.size() < kChunk) break;
  }

  int64_t register_count = 0;
  if (last > 0) {
    const std::vector<std::string> resources(scope.resources.begin(),
                                             scope.resources.end());
    RETURN_IF_ERROR(sources_.register_export(
        request.parent(), last, resources,
        [&](v1::EvidenceRecord record) {
          ++register_count;
          return emit(std::move(record));
        }));
  }
  v1::EvidenceRecord trailer;
  trailer.mutable_trailer()->set_entry_count(entry_count);
  trailer.mutable_trailer()->set_register_count(register_count);
  ASSIGN_OR_RETURN(
      *trailer.mutable_trailer()->mutable_signed_digest(),
      sources_.checkpointer->signer().Sign(
          verify::BundleNoteText(checkpoint.origin(), digest.digest())));
  return sink(std::move(trailer));
}

}  // namespace riskledger::auditing
