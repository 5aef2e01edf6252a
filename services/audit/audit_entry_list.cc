// ListAuditEntries (M14): a tenant's log entries, oldest first, read straight
// from the log (or from one resource's stream when the filter names it), with
// their audit facts, score changes and recorded event.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/audit/audit_handlers.h"
#include "services/base/status_macros.h"
#include "services/common/audit_entry_view.h"
#include "services/common/canonical_number.h"
#include "services/common/list_filter.h"
#include "services/common/proto_time.h"
#include "services/common/resource_names.h"
#include "services/common/timestamp_checks.h"

namespace riskledger::auditing {
namespace {

// Entries read per round trip.
constexpr size_t kChunk = 256;

// What an entry must match, checked once the request is valid.
struct EntryQuery {
  // "tenants/{tenant}/": every stream of the tenant starts so.
  std::string stream_prefix;
  // The filter's terms; empty: any.
  std::string resource;
  std::string principal;
  std::string event_type;
  absl::Time start = absl::InfinitePast();
  absl::Time end = absl::InfiniteFuture();

  bool Matches(const storage::EventEnvelope& event) const {
    return absl::StartsWith(event.stream_id, stream_prefix) &&
           (resource.empty() || event.stream_id == resource) &&
           (principal.empty() || event.principal == principal) &&
           (event_type.empty() || event.type == event_type ||
            ShortTypeName(event.type) == event_type) &&
           event.time >= start && event.time < end;
  }
};

absl::StatusOr<EntryQuery> ParseQuery(
    const v1::ListAuditEntriesRequest& request,
    FieldViolationCollector& violations) {
  EntryQuery query;
  absl::StatusOr<TenantName> tenant =
      ParseTenantName(request.parent(), "parent");
  violations.Merge(tenant.status(), "parent");
  if (tenant.ok()) query.stream_prefix = absl::StrCat(tenant->ToString(), "/");
  absl::StatusOr<EqualityFilter> filter = ParseEqualityFilter(
      request.filter(), {"resource", "principal", "event_type"});
  violations.Merge(filter.status(), "filter");
  if (filter.ok()) {
    auto term = [&](const char* field) {
      auto it = filter->find(field);
      return it == filter->end() ? std::string() : it->second;
    };
    query.resource = term("resource");
    query.principal = term("principal");
    query.event_type = term("event_type");
    if (tenant.ok() && !query.resource.empty() &&
        (!absl::StartsWith(query.resource, query.stream_prefix) ||
         query.resource.size() > kMaxResourceNameLength)) {
      violations.Add("filter",
                     absl::StrCat("resource ", EchoInput(query.resource),
                                  " is not a resource name of ",
                                  EchoInput(tenant->ToString())));
    }
  }
  if (request.has_start_time()) {
    CheckTimestamp(violations, "start_time", request.start_time());
    query.start = FromProtoTimestamp(request.start_time());
  }
  if (request.has_end_time()) {
    CheckTimestamp(violations, "end_time", request.end_time());
    query.end = FromProtoTimestamp(request.end_time());
  }
  if (request.has_start_time() && request.has_end_time() &&
      query.end <= query.start) {
    violations.Add("end_time", "must be after start_time");
  }
  return query;
}

// The page token's query: every request field that shapes the listing, so
// that a token resumes only the listing it came from.
std::string TokenQuery(const v1::ListAuditEntriesRequest& request) {
  v1::ListAuditEntriesRequest shape = request;
  shape.clear_page_size();
  shape.clear_page_token();
  std::string bytes;
  shape.SerializeToString(&bytes);  // deterministic for these fields
  return absl::StrCat("auditEntries|", bytes);
}

absl::StatusOr<v1::AuditEntry> ToAuditEntry(
    const EventRegistry& registry, const storage::EventEnvelope& event) {
  ASSIGN_OR_RETURN(DecodedEvent decoded, DecodeLoggedEvent(registry, event));
  v1::AuditEntry entry;
  entry.set_resource(event.stream_id);
  entry.set_resource_version(event.stream_version);
  *entry.mutable_audit() = AuditStampOf(event);
  if (std::optional<ScoreChanges> changes = ScoreChangesOf(*decoded.message)) {
    *entry.mutable_changes() = *std::move(changes);
  }
  // Protobuf 3.21's own status type.
  const auto json = google::protobuf::util::MessageToJsonString(
      *decoded.message, entry.mutable_event_json());
  if (!json.ok()) {
    return absl::InternalError(absl::StrCat(
        "cannot render the event at log position ", event.position,
        " as JSON: ", json.ToString()));
  }
  return entry;
}

}  // namespace

absl::StatusOr<v1::ListAuditEntriesResponse> AuditHandlers::ListAuditEntries(
    const v1::ListAuditEntriesRequest& request) const {
  FieldViolationCollector violations;
  ASSIGN_OR_RETURN(EntryQuery query, ParseQuery(request, violations));
  const int page_size = EffectivePageSize(request.page_size(), violations);
  RETURN_IF_ERROR(violations.ToStatus());
  const std::string token_query = TokenQuery(request);
  ASSIGN_OR_RETURN(std::string resume,
                   page_tokens_.Decode(request.page_token(), token_query));
  // The resume key is the last log position (or, for one resource, stream
  // version) examined; the MAC protects it, the strict parse bounds it.
  int64_t after = 0;
  if (!resume.empty()) {
    std::optional<int64_t> parsed = ParseCanonicalPositive(resume);
    if (!parsed.has_value()) {
      return InvalidFieldError("page_token",
                               "is not a token this service issued");
    }
    after = *parsed;
  }
  // One resource: its stream holds exactly its entries.
  auto read = [&](int64_t from) {
    return query.resource.empty()
               ? sources_.store->ReadAll(from, kChunk)
               : sources_.store->ReadStream(query.resource, from, kChunk);
  };
  auto key_of = [&](const storage::EventEnvelope& event) {
    return query.resource.empty() ? event.position : event.stream_version;
  };

  v1::ListAuditEntriesResponse response;
  PageBudget budget(page_size);
  int64_t last_listed = after;
  auto end_page =
      [&](int64_t resume_after) -> absl::StatusOr<v1::ListAuditEntriesResponse> {
    ASSIGN_OR_RETURN(std::string token,
                     page_tokens_.Encode(token_query,
                                         absl::StrCat(resume_after)));
    response.set_next_page_token(std::move(token));
    return std::move(response);
  };
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<storage::EventEnvelope> events,
                     read(after + 1));
    for (const storage::EventEnvelope& event : events) {
      // Bounded work per call: resume after the last entry examined (a
      // page may then be short, even empty).
      if (!budget.Examine()) return end_page(after);
      if (query.Matches(event)) {
        ASSIGN_OR_RETURN(v1::AuditEntry entry,
                         ToAuditEntry(*sources_.registry, event));
        if (!budget.Admit(entry.ByteSizeLong())) return end_page(last_listed);
        *response.add_entries() = std::move(entry);
        last_listed = key_of(event);
      }
      after = key_of(event);
    }
    if (events.size() < kChunk) return response;
  }
}

}  // namespace riskledger::auditing
