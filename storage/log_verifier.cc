// VerifyLog: one pass over the log, recomputing chain and tree; the stored
// tree is read level by level in step with the recomputation.
#include "storage/log_verifier.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "storage/audit/checkpoint.h"
#include "storage/audit/merkle_frontier.h"
#include "storage/audit/merkle_hash.h"
#include "storage/audit/proof_verifier.h"
#include "storage/chain_verifier.h"
#include "storage/event_codec.h"

namespace riskledger::storage {
namespace {

constexpr size_t kCheckpointChunk = 1000;

// A stored checkpoint, opened and parsed. DATA_LOSS naming it otherwise.
absl::StatusOr<audit::Checkpoint> OpenCheckpoint(
    const StoredCheckpoint& stored,
    const std::vector<audit::NoteVerifier>& verifiers) {
  auto bad = [&](absl::string_view why) {
    return absl::DataLossError(absl::StrCat("the checkpoint of tree size ",
                                            stored.size, " is forged or "
                                            "damaged: ", why));
  };
  absl::StatusOr<std::string> text = audit::OpenNote(stored.note, verifiers);
  if (!text.ok()) return bad(text.status().message());
  absl::StatusOr<audit::Checkpoint> checkpoint = audit::ParseCheckpoint(*text);
  if (!checkpoint.ok()) return bad(checkpoint.status().message());
  if (checkpoint->size != static_cast<uint64_t>(stored.size)) {
    return bad(absl::StrCat("it is stored under size ", stored.size,
                            " but says ", checkpoint->size));
  }
  return checkpoint;
}

// Recomputes chain and tree from `first` (the tree and chain head before it
// given) and compares with what is stored.
class Recomputation {
 public:
  Recomputation(AuditLog& log, audit::MerkleFrontier tree, ChainHead head,
                bool check_streams)
      : log_(log),
        tree_(std::move(tree)),
        chain_(std::move(head), check_streams) {}

  // Checks the entry at `position`.
  absl::Status Visit(int64_t position, absl::string_view entry) {
    if (position != chain_.head().position + 1) {
      return DamagedAt(chain_.head().position + 1,
                       absl::StrCat("missing (the next entry has position ",
                                    position, ")"));
    }
    absl::StatusOr<EventEnvelope> event = DecodeEvent(entry);
    if (!event.ok()) return DamagedAt(position, event.status().message());
    if (event->position != position) {
      return DamagedAt(position, absl::StrCat("the entry says position ",
                                              event->position));
    }
    RETURN_IF_ERROR(chain_.Next(*event, entry));
    absl::Status nodes;
    tree_.Append(audit::LeafHash(entry),
                 [&](audit::NodeId node, const std::string& hash) {
                   if (nodes.ok()) nodes = CompareStored(position, node, hash);
                 });
    return nodes;
  }

  const audit::MerkleFrontier& tree() const { return tree_; }
  const ChainHead& head() const { return chain_.head(); }

 private:
  absl::Status CompareStored(int64_t position, audit::NodeId node,
                             const std::string& hash) {
    std::unique_ptr<TreeLevelCursor>& cursor = cursors_[node.level];
    if (cursor == nullptr) cursor = log_.ScanTreeLevel(node.level, node.index);
    ASSIGN_OR_RETURN(auto stored, cursor->Next());
    if (!stored.has_value() || stored->first != node.index) {
      return DamagedAt(position,
                      absl::StrCat("the Merkle tree lacks node ", node.level,
                                   "/", node.index));
    }
    if (stored->second != hash) {
      return DamagedAt(
          position,
          node.level == 0
              ? std::string("the entry differs from the Merkle tree's leaf")
              : absl::StrCat("the Merkle tree's node ", node.level, "/",
                             node.index, " differs from the entries'"));
    }
    return absl::OkStatus();
  }

  AuditLog& log_;
  audit::MerkleFrontier tree_;
  ChainCheck chain_;
  std::map<int, std::unique_ptr<TreeLevelCursor>> cursors_;
};

}  // namespace

absl::StatusOr<LogVerification> VerifyLog(
    AuditLog& log, const std::vector<audit::NoteVerifier>& verifiers) {
  const TreeHead durable = log.DurableTree();
  // Checkpoints by size; each is checked when the recomputed tree reaches
  // its size.
  std::vector<StoredCheckpoint> checkpoints;
  for (int64_t after = 0;;) {
    ASSIGN_OR_RETURN(std::vector<StoredCheckpoint> chunk,
                     log.ListCheckpoints(after, kCheckpointChunk));
    if (chunk.empty()) break;
    after = chunk.back().size;
    for (StoredCheckpoint& checkpoint : chunk) {
      checkpoints.push_back(std::move(checkpoint));
    }
  }
  if (!checkpoints.empty() && checkpoints.back().size > durable.size) {
    return absl::DataLossError(absl::StrCat(
        "the log ends at position ", durable.size,
        " but a checkpoint covers ", checkpoints.back().size,
        " entries: entries after position ", durable.size,
        " were removed (or the data directory was rolled back)"));
  }
  std::vector<std::pair<int64_t, std::string>> expected_roots;
  for (const StoredCheckpoint& stored : checkpoints) {
    ASSIGN_OR_RETURN(audit::Checkpoint checkpoint,
                     OpenCheckpoint(stored, verifiers));
    expected_roots.emplace_back(stored.size, checkpoint.root_hash);
  }

  Recomputation recomputation(log, audit::MerkleFrontier(),
                              ChainHead{0, GenesisHash()},
                              /*check_streams=*/true);
  size_t next_checkpoint = 0;
  RETURN_IF_ERROR(log.ScanEntries(
      1, [&](int64_t position, absl::string_view entry) -> absl::Status {
        RETURN_IF_ERROR(recomputation.Visit(position, entry));
        while (next_checkpoint < expected_roots.size() &&
               expected_roots[next_checkpoint].first == position) {
          if (recomputation.tree().Root() !=
              expected_roots[next_checkpoint].second) {
            return absl::DataLossError(absl::StrCat(
                "the signed checkpoint of tree size ", position,
                " does not match log entries 1 to ", position,
                ": history before it was rewritten"));
          }
          ++next_checkpoint;
        }
        return absl::OkStatus();
      }));
  if (recomputation.head().position != durable.size) {
    return DamagedAt(recomputation.head().position + 1,
                    absl::StrCat("missing (the log's head is position ",
                                 durable.size, ")"));
  }
  if (!durable.root.empty() && recomputation.tree().Root() != durable.root) {
    return absl::DataLossError(
        "the recomputed Merkle root differs from the served one");
  }
  return LogVerification{1, recomputation.head(),
                         {durable.size, recomputation.tree().Root()},
                         static_cast<int64_t>(expected_roots.size())};
}

absl::StatusOr<LogVerification> VerifySinceLatestCheckpoint(
    AuditLog& log, const std::vector<audit::NoteVerifier>& verifiers) {
  ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> latest,
                   log.LatestCheckpoint());
  if (!latest.has_value()) return VerifyLog(log, verifiers);
  const TreeHead durable = log.DurableTree();
  const int64_t size = latest->size;
  if (size > durable.size) {
    return absl::DataLossError(absl::StrCat(
        "the log ends at position ", durable.size,
        " but the latest checkpoint covers ", size,
        " entries: entries were removed (or the data directory was rolled "
        "back)"));
  }
  ASSIGN_OR_RETURN(audit::Checkpoint checkpoint,
                   OpenCheckpoint(*latest, verifiers));
  // The stored subtrees at the checkpoint's size must make its root.
  std::vector<std::string> subtrees;
  for (audit::NodeId node :
       audit::MerkleFrontier::Decompose(static_cast<uint64_t>(size))) {
    ASSIGN_OR_RETURN(std::string hash, log.TreeNode(node));
    subtrees.push_back(std::move(hash));
  }
  absl::StatusOr<audit::MerkleFrontier> tree =
      audit::MerkleFrontier::FromSubtrees(static_cast<uint64_t>(size),
                                          std::move(subtrees));
  if (!tree.ok()) return absl::DataLossError(tree.status().message());
  if (tree->Root() != checkpoint.root_hash) {
    return absl::DataLossError(absl::StrCat(
        "the stored Merkle tree does not match the signed checkpoint of tree "
        "size ",
        size, ": history up to position ", size, " was rewritten"));
  }
  // The checkpoint's last entry, proven included, anchors the chain.
  ChainHead head{0, GenesisHash()};
  if (size > 0) {
    ASSIGN_OR_RETURN(std::string last_entry, log.EntryAt(size));
    ASSIGN_OR_RETURN(std::vector<std::string> proof,
                     log.InclusionProof(size, size));
    if (!audit::VerifyInclusion(static_cast<uint64_t>(size - 1),
                                static_cast<uint64_t>(size),
                                audit::LeafHash(last_entry), proof,
                                checkpoint.root_hash)
             .ok()) {
      return DamagedAt(size, "the entry is not the one the checkpoint signed");
    }
    absl::StatusOr<EventEnvelope> event = DecodeEvent(last_entry);
    if (!event.ok()) return DamagedAt(size, event.status().message());
    head = {size, event->hash};
  }
  Recomputation recomputation(log, *std::move(tree), head,
                              /*check_streams=*/false);
  RETURN_IF_ERROR(log.ScanEntries(
      size + 1, [&](int64_t position, absl::string_view entry) {
        return recomputation.Visit(position, entry);
      }));
  if (recomputation.head().position != durable.size) {
    return DamagedAt(recomputation.head().position + 1,
                    absl::StrCat("missing (the log's head is position ",
                                 durable.size, ")"));
  }
  return LogVerification{size + 1, recomputation.head(),
                         {durable.size, recomputation.tree().Root()}, 1};
}

}  // namespace riskledger::storage
