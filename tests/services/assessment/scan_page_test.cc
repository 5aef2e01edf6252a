// Tests of ScanPage's bounds: items per page, bytes per page, entries
// examined per page; and that following the tokens visits every match once.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "riskledger/v1/assessment_service.pb.h"
#include "services/assessment/handler_support.h"

namespace riskledger::assessment {
namespace {

using storage::ProjectionTable;

// Projections in a std::map: ScanPage's own logic under test, not storage.
class MapReader : public storage::ProjectionReader {
 public:
  void Put(const std::string& key, const std::string& value) {
    entries_[key] = value;
  }
  absl::StatusOr<std::optional<std::string>> GetProjection(
      ProjectionTable, absl::string_view key) override {
    auto it = entries_.find(std::string(key));
    if (it == entries_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  ScanProjection(ProjectionTable, absl::string_view prefix,
                 absl::string_view start_after, size_t max_count) override {
    std::vector<std::pair<std::string, std::string>> out;
    auto it = start_after.empty()
                  ? entries_.lower_bound(std::string(prefix))
                  : entries_.upper_bound(std::string(start_after));
    for (; it != entries_.end() && out.size() < max_count &&
           absl::StartsWith(it->first, prefix);
         ++it) {
      out.push_back(*it);
    }
    return out;
  }

 private:
  std::map<std::string, std::string> entries_;
};

// Keeps assets whose owner is `owner`.
std::function<absl::StatusOr<std::optional<v1::Asset>>(const std::string&,
                                                       const std::string&)>
OwnedBy(const std::string& owner) {
  return [owner](const std::string&, const std::string& value)
             -> absl::StatusOr<std::optional<v1::Asset>> {
    v1::Asset asset;
    if (!asset.ParseFromString(value)) return absl::DataLossError("corrupt");
    if (asset.owner() != owner) return std::optional<v1::Asset>();
    return std::optional<v1::Asset>(asset);
  };
}

void AddAsset(MapReader& reader, int i, const std::string& owner,
              size_t description_bytes = 0) {
  v1::Asset asset;
  asset.set_name(absl::StrFormat("a/%06d", i));
  asset.set_owner(owner);
  asset.set_description(std::string(description_bytes, 'd'));
  reader.Put(asset.name(), asset.SerializeAsString());
}

// Every page of a scan, following resume keys to the end.
std::vector<ScannedPage<v1::Asset>> AllPages(MapReader& reader,
                                             const std::string& owner,
                                             int page_size) {
  std::vector<ScannedPage<v1::Asset>> pages;
  std::string resume;
  do {
    absl::StatusOr<ScannedPage<v1::Asset>> page =
        ScanPage<v1::Asset>(reader, ProjectionTable::kState, "a/", resume,
                            page_size, OwnedBy(owner));
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    resume = page->next_resume_key;
    pages.push_back(*std::move(page));
  } while (!resume.empty());
  return pages;
}

TEST(ScanPageTest, StopsAtThePageSize) {
  MapReader reader;
  for (int i = 0; i < 25; ++i) AddAsset(reader, i, "alice");
  std::vector<ScannedPage<v1::Asset>> pages = AllPages(reader, "alice", 10);
  ASSERT_EQ(pages.size(), 3u);
  EXPECT_EQ(pages[0].items.size(), 10u);
  EXPECT_EQ(pages[2].items.size(), 5u);
}

TEST(ScanPageTest, StopsBeforeThePageWouldExceedItsByteBudget) {
  MapReader reader;
  for (int i = 0; i < 5; ++i) AddAsset(reader, i, "alice", kMaxPageBytes / 3);
  std::vector<ScannedPage<v1::Asset>> pages = AllPages(reader, "alice", 1000);
  size_t total = 0;
  for (const ScannedPage<v1::Asset>& page : pages) {
    size_t bytes = 0;
    for (const v1::Asset& asset : page.items) bytes += asset.ByteSizeLong();
    EXPECT_LE(bytes, kMaxPageBytes);
    EXPECT_FALSE(page.items.empty());
    total += page.items.size();
  }
  EXPECT_EQ(total, 5u);
  EXPECT_EQ(pages.size(), 3u);  // 2 + 2 + 1
}

// A filter that matches almost nothing of a large tenant: each call examines
// a bounded number of entries and may return a short (even empty) page with
// a token; following the tokens still finds every match exactly once.
TEST(ScanPageTest, ExaminesABoundedNumberOfEntriesPerCall) {
  MapReader reader;
  for (int i = 0; i < 25000; ++i) {
    AddAsset(reader, i, i == 3 || i == 24990 ? "alice" : "bob");
  }
  std::vector<ScannedPage<v1::Asset>> pages = AllPages(reader, "alice", 50);
  EXPECT_GE(pages.size(), 3u);
  std::vector<std::string> found;
  for (const ScannedPage<v1::Asset>& page : pages) {
    for (const v1::Asset& asset : page.items) found.push_back(asset.name());
  }
  EXPECT_EQ(found, (std::vector<std::string>{"a/000003", "a/024990"}));
}

// Matches on both sides of the examined-entries boundary are each found
// once (the resume key after a bounded call is the last entry examined).
TEST(ScanPageTest, MatchesAtTheExaminedEntriesBoundaryAreFoundOnce) {
  MapReader reader;
  for (int i = 0; i < 20005; ++i) {
    const bool match = i == 9998 || i == 9999 || i == 10000 || i == 10001 ||
                       i == 19999 || i == 20000;
    AddAsset(reader, i, match ? "alice" : "bob");
  }
  std::vector<std::string> found;
  for (const ScannedPage<v1::Asset>& page : AllPages(reader, "alice", 50)) {
    for (const v1::Asset& asset : page.items) found.push_back(asset.name());
  }
  EXPECT_EQ(found,
            (std::vector<std::string>{"a/009998", "a/009999", "a/010000",
                                      "a/010001", "a/019999", "a/020000"}));
}

}  // namespace
}  // namespace riskledger::assessment
