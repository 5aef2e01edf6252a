#include "clients/verify/evidence_verifier.h"

#include "clients/verify/bundle_digest.h"

#include <map>
#include <memory>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/reflection.h"
#include "riskledger/events/v1/assessment_events.pb.h"
#include "storage/audit/checkpoint.h"
#include "storage/audit/merkle_hash.h"
#include "storage/audit/proof_verifier.h"
#include "storage/audit/signed_note.h"
#include "services/base/status_macros.h"
#include "storage/event_codec.h"

namespace riskledger::verify {
namespace {

// What the entries of one resource (stream) showed.
struct StreamSeen {
  int64_t last_version = 0;
  absl::Time last_time;
  // Score -> its value after the stream's latest change of it (M14).
  std::map<std::string, int> scores;
};

absl::Status Fail(size_t record, absl::string_view what) {
  return absl::DataLossError(absl::StrCat("record ", record, ": ", what));
}

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) +
         absl::Nanoseconds(timestamp.nanos());
}

// Folds the score changes an event records into `scores` (every repeated
// riskledger.events.v1.ScoreChange field of the event's message).
absl::Status FoldScores(const storage::EventEnvelope& event,
                        std::map<std::string, int>& scores) {
  const google::protobuf::Descriptor* type =
      google::protobuf::DescriptorPool::generated_pool()
          ->FindMessageTypeByName(event.type);
  if (type == nullptr) return absl::OkStatus();  // a type this tool predates
  std::unique_ptr<google::protobuf::Message> message(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(type)
          ->New());
  if (!message->ParseFromString(event.payload)) {
    return absl::DataLossError(
        absl::StrCat("its ", event.type, " payload does not parse"));
  }
  for (int i = 0; i < type->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = type->field(i);
    if (!field->is_repeated() ||
        field->message_type() != events::v1::ScoreChange::descriptor()) {
      continue;
    }
    for (const events::v1::ScoreChange& change :
         message->GetReflection()->GetRepeatedFieldRef<events::v1::ScoreChange>(
             *message, field)) {
      scores[change.field()] = change.after();
    }
  }
  return absl::OkStatus();
}

// Whether `stream` names a resource with a read model in the register
// ("tenants/{t}/risks/{id}" or "tenants/{t}/assets/{id}") rather than one of
// the tenant's internal streams.
bool IsRegisterResource(absl::string_view stream) {
  std::vector<absl::string_view> parts = absl::StrSplit(stream, '/');
  return parts.size() == 4 && (parts[2] == "risks" || parts[2] == "assets");
}

class BundleVerifier {
 public:
  BundleVerifier(const std::vector<v1::EvidenceRecord>& records,
                 const VerifyOptions& options)
      : records_(records), options_(options) {}

  absl::StatusOr<BundleSummary> Run() {
    if (records_.size() < 2) {
      return absl::DataLossError(
          "the bundle needs a header and a trailer record");
    }
    RETURN_IF_ERROR(CheckHeader());
    size_t i = 1;
    for (; i + 1 < records_.size() && records_[i].has_entry(); ++i) {
      RETURN_IF_ERROR(CheckEntry(i + 1, records_[i].entry()));
    }
    for (; i + 1 < records_.size(); ++i) {
      const v1::EvidenceRecord& record = records_[i];
      if (record.has_risk()) {
        RETURN_IF_ERROR(CheckRisk(i + 1, record.risk()));
      } else if (record.has_asset()) {
        RETURN_IF_ERROR(CheckRegister(i + 1, record.asset().name(),
                                      record.asset().etag(),
                                      record.asset().update_time()));
      } else {
        return Fail(i + 1, "expected a risk or an asset of the register");
      }
    }
    RETURN_IF_ERROR(CheckTrailer(records_.size()));
    RETURN_IF_ERROR(CheckEveryResourceIsInTheRegister());
    // Last, so that an edit the checks above can name is named.
    RETURN_IF_ERROR(CheckSignedDigest());
    summary_.entries = entries_;
    summary_.register_records = register_records_;
    summary_.resources = static_cast<int64_t>(streams_.size());
    return summary_;
  }

 private:
  absl::Status CheckHeader() {
    if (!records_[0].has_header()) return Fail(1, "is not the header");
    header_ = records_[0].header();
    if (header_.format_version() != 1) {
      return Fail(1, absl::StrCat("format version ", header_.format_version(),
                                  " is not 1"));
    }
    const std::vector<std::string> keys =
        options_.trusted_keys.empty()
            ? std::vector<std::string>(header_.verifier_keys().begin(),
                                       header_.verifier_keys().end())
            : options_.trusted_keys;
    summary_.keys_from_bundle = options_.trusted_keys.empty();
    std::vector<audit::NoteVerifier>& verifiers = verifiers_;
    verifiers.reserve(keys.size());
    for (const std::string& key : keys) {
      absl::StatusOr<audit::NoteVerifier> verifier =
          audit::ParseVerifierKey(key);
      if (!verifier.ok()) {
        return Fail(1, absl::StrCat("verifier key does not parse: ",
                                    verifier.status().message()));
      }
      verifiers.push_back(*std::move(verifier));
    }
    if (!options_.kept_checkpoint.empty() && summary_.keys_from_bundle) {
      // The kept checkpoint is the auditor's own anchor: of the bundle's
      // keys, only those that signed it are trusted for the rest.
      std::vector<audit::NoteVerifier> pinned;
      for (const audit::NoteVerifier& verifier : verifiers) {
        if (audit::OpenNote(options_.kept_checkpoint, {verifier}).ok()) {
          pinned.push_back(verifier);
        }
      }
      if (pinned.empty()) {
        return Fail(1, "against the kept checkpoint: no key of the bundle "
                       "signed it (pass the keys to trust with --key)");
      }
      verifiers = std::move(pinned);
    }
    const v1::Checkpoint& checkpoint = header_.checkpoint();
    absl::StatusOr<std::string> text =
        audit::OpenNote(checkpoint.signed_note(), verifiers);
    if (!text.ok()) {
      return Fail(1, absl::StrCat("the checkpoint's signature does not "
                                  "verify: ",
                                  text.status().message()));
    }
    absl::StatusOr<audit::Checkpoint> signed_checkpoint =
        audit::ParseCheckpoint(*text);
    if (!signed_checkpoint.ok()) {
      return Fail(1, signed_checkpoint.status().message());
    }
    if (signed_checkpoint->origin != checkpoint.origin() ||
        static_cast<int64_t>(signed_checkpoint->size) !=
            checkpoint.tree_size() ||
        signed_checkpoint->root_hash != checkpoint.root_hash()) {
      return Fail(1, "the checkpoint's fields differ from its signed note");
    }
    tree_size_ = checkpoint.tree_size();
    root_ = checkpoint.root_hash();
    RETURN_IF_ERROR(CheckKeptCheckpoint(*signed_checkpoint));
    if (header_.register_position() < 0 ||
        header_.register_position() > tree_size_) {
      return Fail(1, "the register position is outside the checkpoint");
    }
    prefix_ = absl::StrCat(header_.tenant(), "/");
    resources_.insert(header_.resources().begin(), header_.resources().end());
    summary_.origin = checkpoint.origin();
    summary_.tree_size = tree_size_;
    return absl::OkStatus();
  }

  // The bundle's log must extend the checkpoint the auditor kept (RFC 9162
  // consistency): same origin, no fewer entries, the old tree a prefix of
  // the new.
  absl::Status CheckKeptCheckpoint(const audit::Checkpoint& current) {
    if (options_.kept_checkpoint.empty()) return absl::OkStatus();
    auto fail = [](absl::string_view what) {
      return Fail(1, absl::StrCat("against the kept checkpoint: ", what));
    };
    absl::StatusOr<std::string> text =
        audit::OpenNote(options_.kept_checkpoint, verifiers_);
    if (!text.ok()) {
      return fail(absl::StrCat("its signature does not verify: ",
                               text.status().message()));
    }
    absl::StatusOr<audit::Checkpoint> kept = audit::ParseCheckpoint(*text);
    if (!kept.ok()) return fail(kept.status().message());
    if (kept->origin != current.origin) {
      return fail(absl::StrCat("it is of log ", kept->origin, ", not ",
                               current.origin));
    }
    if (kept->size > current.size) {
      return fail(absl::StrCat(
          "the log was rolled back: the kept checkpoint covers ", kept->size,
          " entries, the bundle's only ", current.size));
    }
    if (kept->size == current.size) {
      if (kept->root_hash != current.root_hash) {
        return fail(absl::StrCat("history was rewritten: tree size ",
                                 kept->size, " has another root"));
      }
    } else if (kept->size > 0) {
      if (header_.consistency_from_size() !=
          static_cast<int64_t>(kept->size)) {
        return fail(absl::StrCat(
            "the bundle carries no consistency proof from tree size ",
            kept->size, " (export with consistent_with_tree_size=",
            kept->size, ")"));
      }
      const std::vector<std::string> proof(header_.consistency_proof().begin(),
                                           header_.consistency_proof().end());
      if (!audit::VerifyConsistency(kept->size, current.size, proof,
                                    kept->root_hash, current.root_hash)
               .ok()) {
        return fail(absl::StrCat("history was rewritten: the log at tree "
                                 "size ",
                                 current.size, " does not extend tree size ",
                                 kept->size));
      }
    }
    summary_.extends_tree_size = static_cast<int64_t>(kept->size);
    return absl::OkStatus();
  }

  // The trailer's signature covers every record before it: nothing was
  // added, removed, reordered or changed since the server made the bundle.
  absl::Status CheckSignedDigest() const {
    const size_t number = records_.size();
    if (!records_.back().has_trailer()) return Fail(number, "is not the trailer");
    BundleDigest digest;
    for (size_t i = 0; i + 1 < records_.size(); ++i) digest.Add(records_[i]);
    absl::StatusOr<std::string> text =
        audit::OpenNote(records_.back().trailer().signed_digest(), verifiers_);
    if (!text.ok()) {
      return Fail(number, absl::StrCat("the bundle's signature does not "
                                       "verify: ",
                                       text.status().message()));
    }
    if (*text != BundleNoteText(summary_.origin, digest.digest())) {
      return Fail(number,
                  "the records differ from those the server signed (a "
                  "record was added, removed, reordered or changed)");
    }
    return absl::OkStatus();
  }

  bool InScope(absl::string_view stream) const {
    return absl::StartsWith(stream, prefix_) &&
           (resources_.empty() || resources_.count(std::string(stream)) > 0);
  }

  absl::Status CheckEntry(size_t number, const v1::EvidenceEntry& record) {
    const int64_t position = record.log_position();
    auto fail = [&](absl::string_view what) {
      return Fail(number, absl::StrCat("log position ", position, ": ", what));
    };
    if (position <= previous_position_ ||
        position > header_.register_position()) {
      return fail("is out of order or beyond the register position");
    }
    absl::StatusOr<storage::EventEnvelope> event =
        storage::DecodeEvent(record.entry());
    if (!event.ok()) return fail(event.status().message());
    if (event->position != position) {
      return fail(absl::StrCat("the entry says it is at position ",
                               event->position));
    }
    if (storage::ComputeEventHash(*event) != event->hash) {
      return fail("the entry's hash does not match its content");
    }
    if ((position == 1 && event->prev_hash != storage::GenesisHash()) ||
        (position > 1 && previous_position_ == position - 1 &&
         event->prev_hash != previous_hash_)) {
      return fail("the entry does not link to the previous entry's hash");
    }
    const std::vector<std::string> proof(record.inclusion_proof().begin(),
                                         record.inclusion_proof().end());
    absl::Status included = audit::VerifyInclusion(
        static_cast<uint64_t>(position - 1), static_cast<uint64_t>(tree_size_),
        audit::LeafHash(record.entry()), proof, root_);
    if (!included.ok()) {
      return fail(absl::StrCat("not in the checkpoint's tree: ",
                               included.message()));
    }
    if (!InScope(event->stream_id) ||
        (header_.has_start_time() &&
         event->time < ToTime(header_.start_time())) ||
        (header_.has_end_time() && event->time >= ToTime(header_.end_time()))) {
      return fail(absl::StrCat("the entry of ", event->stream_id,
                               " is outside the bundle's scope"));
    }
    StreamSeen& seen = streams_[event->stream_id];
    const bool first = seen.last_version == 0;
    if (first && !header_.has_start_time() && event->stream_version != 1) {
      return fail(absl::StrCat("the first entry of ", event->stream_id,
                               " is version ", event->stream_version,
                               ": earlier entries are missing"));
    }
    if (!first && event->stream_version != seen.last_version + 1) {
      return fail(absl::StrCat("version ", event->stream_version, " of ",
                               event->stream_id, " follows version ",
                               seen.last_version,
                               ": an entry is missing"));
    }
    seen.last_version = event->stream_version;
    seen.last_time = event->time;
    absl::Status scores = FoldScores(*event, seen.scores);
    if (!scores.ok()) return fail(scores.message());
    previous_position_ = position;
    previous_hash_ = event->hash;
    ++entries_;
    return absl::OkStatus();
  }

  // A register record: in scope, at the version and time of its stream's
  // last entry.
  absl::Status CheckRegister(size_t number, const std::string& name,
                             const std::string& etag,
                             const google::protobuf::Timestamp& update_time) {
    ++register_records_;
    if (!InScope(name)) {
      return Fail(number, absl::StrCat(name, " is outside the bundle's scope"));
    }
    if (!registered_.insert(name).second) {
      return Fail(number, absl::StrCat(name, " is in the register twice"));
    }
    auto seen = streams_.find(name);
    if (seen == streams_.end()) {
      if (header_.has_start_time()) return absl::OkStatus();  // no change
      return Fail(number, absl::StrCat(name,
                                       " is in the register but none of its "
                                       "entries is in the bundle"));
    }
    int64_t version = 0;
    if (!absl::SimpleAtoi(etag, &version) ||
        version != seen->second.last_version) {
      return Fail(number,
                  absl::StrCat("the register has ", name, " at version ",
                               etag, " but its entries end at version ",
                               seen->second.last_version,
                               ": entries are missing or the register "
                               "was changed"));
    }
    if (ToTime(update_time) != seen->second.last_time) {
      return Fail(number, absl::StrCat("the register's update time of ", name,
                                       " is not its last entry's"));
    }
    return absl::OkStatus();
  }

  absl::Status CheckRisk(size_t number, const v1::Risk& risk) {
    RETURN_IF_ERROR(CheckRegister(number, risk.name(), risk.etag(),
                                  risk.update_time()));
    auto seen = streams_.find(risk.name());
    if (seen == streams_.end() || !risk.has_analysis()) return absl::OkStatus();
    const std::map<std::string, int>& scores = seen->second.scores;
    const v1::RiskAnalysis& analysis = risk.analysis();
    const std::pair<const char*, int> shown[] = {
        {"impact", analysis.impact()},
        {"likelihood", analysis.likelihood()},
        {"computed_level", analysis.computed_level()},
        {"adjusted_level", analysis.adjusted_level()}};
    for (const auto& [field, value] : shown) {
      auto recorded = scores.find(field);
      if (recorded != scores.end() && recorded->second != value) {
        return Fail(number, absl::StrCat("the register shows ", field, " ",
                                         value, " for ", risk.name(),
                                         " but its entries record ",
                                         recorded->second));
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckTrailer(size_t number) {
    const v1::EvidenceRecord& last = records_.back();
    if (!last.has_trailer()) return Fail(number, "is not the trailer");
    if (last.trailer().entry_count() != entries_ ||
        last.trailer().register_count() != register_records_) {
      return Fail(number,
                  absl::StrCat("the trailer counts ",
                               last.trailer().entry_count(), " entries and ",
                               last.trailer().register_count(),
                               " register records; the bundle holds ",
                               entries_, " and ", register_records_));
    }
    return absl::OkStatus();
  }

  absl::Status CheckEveryResourceIsInTheRegister() const {
    for (const auto& [stream, seen] : streams_) {
      if (IsRegisterResource(stream) && registered_.count(stream) == 0) {
        return absl::DataLossError(absl::StrCat(
            stream, " has entries in the bundle but is missing from the "
                    "register"));
      }
    }
    return absl::OkStatus();
  }

  const std::vector<v1::EvidenceRecord>& records_;
  const VerifyOptions& options_;
  v1::EvidenceHeader header_;
  std::vector<audit::NoteVerifier> verifiers_;
  int64_t tree_size_ = 0;
  std::string root_;
  std::string prefix_;
  std::set<std::string> resources_;
  int64_t previous_position_ = 0;
  std::string previous_hash_;
  std::map<std::string, StreamSeen> streams_;
  std::set<std::string> registered_;
  int64_t entries_ = 0;
  int64_t register_records_ = 0;
  BundleSummary summary_;
};

}  // namespace

absl::StatusOr<BundleSummary> VerifyBundle(
    const std::vector<v1::EvidenceRecord>& records,
    const VerifyOptions& options) {
  return BundleVerifier(records, options).Run();
}

}  // namespace riskledger::verify
