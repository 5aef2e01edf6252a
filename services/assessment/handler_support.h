// Helpers shared by the assessment handler files: loading read models and
// aggregate states, etags, command contexts and paged scans.
#ifndef RISKLEDGER_SERVICES_ASSESSMENT_HANDLER_SUPPORT_H_
#define RISKLEDGER_SERVICES_ASSESSMENT_HANDLER_SUPPORT_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "services/assessment/assessment_handlers.h"
#include "services/base/status_macros.h"
#include "services/common/command_runner.h"
#include "services/common/etag.h"
#include "storage/event_store.h"
#include "storage/projector.h"

namespace riskledger::assessment {

// A read model from a projection view or store, nullopt when absent.
template <typename Message, typename Source>
absl::StatusOr<std::optional<Message>> LoadModel(Source& source,
                                                 const std::string& key) {
  absl::StatusOr<std::optional<std::string>> bytes =
      source.Get(storage::ProjectionTable::kState, key);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::optional<Message>();
  Message message;
  if (!message.ParseFromString(**bytes)) {
    return absl::DataLossError(
        absl::StrCat("read model '", key, "' is corrupt"));
  }
  return std::optional<Message>(std::move(message));
}

// Adapts ProjectionReader::GetProjection to the Get(table, key) shape of a
// view.
class StoreReader {
 public:
  explicit StoreReader(storage::ProjectionReader& store) : store_(store) {}
  absl::StatusOr<std::optional<std::string>> Get(storage::ProjectionTable table,
                                                 absl::string_view key) {
    return store_.GetProjection(table, key);
  }

 private:
  storage::ProjectionReader& store_;
};

// A read model that must exist: NOT_FOUND "<what> '<name>' does not exist".
template <typename Message>
absl::StatusOr<Message> LoadExisting(storage::ProjectionReader& store,
                                     const std::string& key,
                                     absl::string_view what,
                                     absl::string_view name) {
  StoreReader reader(store);
  absl::StatusOr<std::optional<Message>> model =
      LoadModel<Message>(reader, key);
  if (!model.ok()) return model.status();
  if (!model->has_value()) {
    return absl::NotFoundError(
        absl::StrCat(what, " '", name, "' does not exist"));
  }
  return **std::move(model);
}

// The command context of a call. Idempotency is scoped to the tenant.
// Commands sharing a serialization key (the streams they contend on) run one
// at a time. Conflicts are always re-decided: a client's stale etag is caught
// by LoadAtEtag in every decision.
CommandContext MakeCommandContext(const CallContext& call,
                                  absl::string_view tenant_name,
                                  std::vector<std::string> serialization_keys);

// The state of an existing aggregate whose etag (its stream version) the
// client sent in `client_etag`: NOT_FOUND "<what> '<stream>' does not exist",
// ABORTED when the etag is stale (see CheckEtag).
template <typename Aggregate>
absl::StatusOr<domain::Current<typename Aggregate::State>> LoadAtEtag(
    CommandPlan& plan, const std::string& stream, absl::string_view what,
    absl::string_view client_etag, absl::string_view etag_field) {
  auto current = plan.LoadExisting<Aggregate>(stream, what, stream);
  if (!current.ok()) return current.status();
  RETURN_IF_ERROR(
      CheckEtag(client_etag, etag_field, FormatEtag(current->version)));
  return current;
}

// The one aggregate a command changes, as the client addressed it: its
// stream, what it is ("risk", for NOT_FOUND), and the etag the client sent
// in field `etag_field`.
struct EtagTarget {
  std::string stream;
  std::string what;
  std::string etag;
  std::string etag_field;
};

// Runs a command that decides on one existing aggregate: loads it at the
// client's etag (LoadAtEtag), asks `decide` for its events, records them with
// `justification`, and answers with `respond`.
template <typename Aggregate, typename Response>
void RunAtEtag(
    const CommandRunner& runner, const CommandContext& context,
    EtagTarget target,
    std::function<absl::StatusOr<std::vector<typename Aggregate::Event>>(
        const typename Aggregate::State&)>
        decide,
    std::string justification,
    std::function<absl::StatusOr<Response>(storage::ProjectionView&)> respond,
    ReplyFn<Response> reply) {
  runner.Run<Response>(
      context,
      [target = std::move(target), decide = std::move(decide),
       justification =
           std::move(justification)](CommandPlan& plan) -> absl::Status {
        ASSIGN_OR_RETURN(auto current,
                         LoadAtEtag<Aggregate>(plan, target.stream, target.what,
                                               target.etag, target.etag_field));
        ASSIGN_OR_RETURN(auto events, decide(current.state));
        plan.Record(target.stream, current.version, events);
        plan.set_justification(justification);
        return absl::OkStatus();
      },
      std::move(respond), std::move(reply));
}

// Records, for risk `risk_id` of `asset_name` (seen at `asset_version`),
// that it now names component `to` instead of `from` (M3): the asset's
// component usage changes, and a newly named component must still exist at
// commit, so the asset is expected unchanged. Nothing when equal.
absl::Status NameComponent(CommandPlan& plan, const std::string& asset_name,
                           int64_t asset_version, const std::string& risk_id,
                           const std::string& from, const std::string& to);

// The response of a command: the read model at `key` after the command's
// projection, which must exist.
template <typename Message>
std::function<absl::StatusOr<Message>(storage::ProjectionView&)> ModelAt(
    std::string key) {
  return [key = std::move(key)](
             storage::ProjectionView& view) -> absl::StatusOr<Message> {
    absl::StatusOr<std::optional<Message>> model =
        LoadModel<Message>(view, key);
    if (!model.ok()) return model.status();
    if (!model->has_value()) {
      return absl::InternalError(
          absl::StrCat("projection did not produce ", key));
    }
    return **std::move(model);
  };
}

// One page of a scan over projection entries under `prefix` after
// `resume_after`: `accept` maps an entry to an item or skips it (nullopt).
// A page ends by the rules of PageBudget (items, bytes, entries examined), so
// that a client with gRPC's default 4 MiB message limit can read every page
// and one call costs a bounded amount.
// `next_resume_key` is the key after which the next page resumes, when more
// may remain.
template <typename Item>
struct ScannedPage {
  std::vector<Item> items;
  std::string next_resume_key;
};

template <typename Item>
absl::StatusOr<ScannedPage<Item>> ScanPage(
    storage::ProjectionReader& store, storage::ProjectionTable table,
    const std::string& prefix, std::string resume_after, int page_size,
    const std::function<absl::StatusOr<std::optional<Item>>(
        const std::string& key, const std::string& value)>& accept) {
  constexpr size_t kChunk = 256;
  PageBudget budget(page_size);
  ScannedPage<Item> page;
  std::string last_key;
  for (;;) {
    absl::StatusOr<std::vector<std::pair<std::string, std::string>>> entries =
        store.ScanProjection(table, prefix, resume_after, kChunk);
    if (!entries.ok()) return entries.status();
    for (const auto& [key, value] : *entries) {
      if (!budget.Examine()) {
        page.next_resume_key = last_key;  // examined enough for one call
        return page;
      }
      absl::StatusOr<std::optional<Item>> item = accept(key, value);
      if (!item.ok()) return item.status();
      if (!item->has_value()) {
        last_key = key;
        continue;
      }
      if (!budget.Admit((*item)->ByteSizeLong())) {
        page.next_resume_key = last_key;  // a further item exists
        return page;
      }
      page.items.push_back(**std::move(item));
      last_key = key;
    }
    if (entries->size() < kChunk) return page;
    resume_after = entries->back().first;
  }
}

template <typename Model>
absl::StatusOr<Model> AssessmentHandlers::GetModel(
    const absl::Status& name_status, const std::string& stream,
    std::string (*key)(absl::string_view), absl::string_view what,
    absl::string_view name, const v1::AsOf* as_of) const {
  FieldViolationCollector violations;
  violations.Merge(name_status, "name");
  if (as_of != nullptr) CheckAsOf(violations, "as_of", *as_of);
  RETURN_IF_ERROR(violations.ToStatus());
  ASSIGN_OR_RETURN(std::shared_ptr<storage::ProjectionReader> reader,
                   ReaderAsOf(stream, as_of));
  return LoadExisting<Model>(*reader, key(stream), what, name);
}

// The request's as_of, or null when it has none (a read of the present).
template <typename Request>
const v1::AsOf* AsOfOf(const Request& request) {
  return request.has_as_of() ? &request.as_of() : nullptr;
}

// What binds a list's page token to its as_of ("" without one), so that a
// token resumes the listing of the same point.
template <typename Request>
std::string AsOfQuery(const Request& request) {
  if (!request.has_as_of()) return "";
  return absl::StrCat("|asOf:", request.as_of().SerializeAsString());
}

}  // namespace riskledger::assessment

#endif  // RISKLEDGER_SERVICES_ASSESSMENT_HANDLER_SUPPORT_H_
