// AuditLog's proofs: storage/audit's algorithms over the stored subtrees.
#include "storage/audit_log.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/base/status_macros.h"
#include "storage/audit/merkle_proofs.h"

namespace riskledger::storage {
namespace {

absl::Status CheckSize(int64_t size, int64_t durable, absl::string_view what) {
  if (size < 0 || size > durable) {
    return absl::OutOfRangeError(absl::StrCat(
        what, " ", size, " is beyond the log's ", durable, " durable entries"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> AuditLog::RootAt(int64_t size) {
  RETURN_IF_ERROR(CheckSize(size, DurableTree().size, "tree size"));
  return audit::RootAt(static_cast<uint64_t>(size),
                       [this](audit::NodeId node) { return TreeNode(node); });
}

const std::string* SubtreeCache::Find(audit::NodeId node) const {
  auto it = nodes_.find({node.level, node.index});
  return it == nodes_.end() ? nullptr : &it->second;
}

void SubtreeCache::Add(audit::NodeId node, const std::string& hash) {
  if (nodes_.size() >= kMaxNodes) nodes_.clear();
  nodes_.emplace(std::make_pair(node.level, node.index), hash);
}

absl::StatusOr<std::vector<std::string>> AuditLog::InclusionProof(
    int64_t position, int64_t size) {
  SubtreeCache unused;
  return InclusionProof(position, size, unused);
}

absl::StatusOr<std::vector<std::string>> AuditLog::InclusionProof(
    int64_t position, int64_t size, SubtreeCache& cache) {
  RETURN_IF_ERROR(CheckSize(size, DurableTree().size, "tree size"));
  if (position < 1 || position > size) {
    return absl::OutOfRangeError(absl::StrCat(
        "log position ", position, " is not in a tree of ", size, " entries"));
  }
  return audit::InclusionProof(
      static_cast<uint64_t>(position - 1), static_cast<uint64_t>(size),
      [this, &cache](audit::NodeId node) -> absl::StatusOr<std::string> {
        if (const std::string* hash = cache.Find(node)) return *hash;
        ASSIGN_OR_RETURN(std::string hash, TreeNode(node));
        cache.Add(node, hash);
        return hash;
      });
}

absl::StatusOr<std::vector<std::string>> AuditLog::ConsistencyProof(
    int64_t size1, int64_t size2) {
  RETURN_IF_ERROR(CheckSize(size2, DurableTree().size, "tree size"));
  if (size1 < 1 || size1 > size2) {
    return absl::OutOfRangeError(
        absl::StrCat("no consistency proof from a tree of ", size1,
                     " entries to one of ", size2));
  }
  return audit::ConsistencyProof(
      static_cast<uint64_t>(size1), static_cast<uint64_t>(size2),
      [this](audit::NodeId node) { return TreeNode(node); });
}

}  // namespace riskledger::storage
