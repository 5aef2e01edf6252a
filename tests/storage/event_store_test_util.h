// Helpers shared by the storage tests: request builders, whole-store dumps and
// a field-by-field, human-readable rendering of log entries for comparisons.
#ifndef RISKLEDGER_TESTS_STORAGE_EVENT_STORE_TEST_UTIL_H_
#define RISKLEDGER_TESTS_STORAGE_EVENT_STORE_TEST_UTIL_H_

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/event_codec.h"
#include "storage/event_store.h"

namespace riskledger::storage {

inline constexpr size_t kUnlimited = std::numeric_limits<size_t>::max();

using ProjectionDump = std::vector<std::pair<std::string, std::string>>;

inline NewEvent MakeEvent(std::string stream_id, std::string type,
                          std::string payload) {
  return NewEvent{std::move(stream_id), std::move(type), std::move(payload)};
}

// A request with a plausible audit context and no expectations.
inline AppendRequest MakeRequest(std::vector<NewEvent> events) {
  AppendRequest request;
  request.audit.principal = "user:alice";
  request.audit.peer = "ipv4:127.0.0.1:5000";
  request.audit.method = "/riskledger.v1.Risks/CreateRisk";
  request.events = std::move(events);
  return request;
}

// Every field of an entry, escaped, so that two renderings are equal exactly
// when the entries are, and a mismatch prints readably.
inline std::string Describe(const EventEnvelope& e) {
  return absl::StrCat(
      "{position=", e.position, " stream=\"", absl::CEscape(e.stream_id),
      "\" version=", e.stream_version, " type=\"", absl::CEscape(e.type),
      "\" payload=\"", absl::CEscape(e.payload),
      "\" time_us=", absl::ToUnixMicros(e.time), " principal=\"",
      absl::CEscape(e.principal), "\" peer=\"", absl::CEscape(e.peer),
      "\" method=\"", absl::CEscape(e.method), "\" request_id=\"",
      absl::CEscape(e.request_id), "\" request_digest=\"",
      absl::CEscape(e.request_digest), "\" response_digest=\"",
      absl::CEscape(e.response_digest), "\" result=\"", absl::CEscape(e.result),
      "\" justification=\"", absl::CEscape(e.justification),
      "\" prev_hash=", ToHex(e.prev_hash), " hash=", ToHex(e.hash), "}");
}

inline std::vector<std::string> DescribeAll(
    const std::vector<EventEnvelope>& events) {
  std::vector<std::string> out;
  out.reserve(events.size());
  for (const EventEnvelope& e : events) out.push_back(Describe(e));
  return out;
}

// The whole log, from position 1. Records a test failure if the read fails.
inline std::vector<EventEnvelope> ReadWholeLog(EventStore& store) {
  absl::StatusOr<std::vector<EventEnvelope>> events =
      store.ReadAll(1, kUnlimited);
  EXPECT_TRUE(events.ok()) << events.status();
  return events.ok() ? *std::move(events) : std::vector<EventEnvelope>();
}

// Every entry of a projection table, in key order.
inline ProjectionDump DumpProjection(EventStore& store, ProjectionTable table) {
  absl::StatusOr<ProjectionDump> entries =
      store.ScanProjection(table, "", "", kUnlimited);
  EXPECT_TRUE(entries.ok()) << entries.status();
  return entries.ok() ? *std::move(entries) : ProjectionDump();
}

inline int64_t VersionOf(EventStore& store, const std::string& stream_id) {
  absl::StatusOr<int64_t> version = store.StreamVersion(stream_id);
  EXPECT_TRUE(version.ok()) << version.status();
  return version.ok() ? *version : -1;
}

// Everything a client can observe about a store (for the given streams), to
// show that a rejected call wrote nothing.
struct StoreSnapshot {
  int64_t head_position = -1;
  std::string head_hash;
  std::vector<std::string> log;
  std::map<std::string, int64_t> stream_versions;
  ProjectionDump state;
  ProjectionDump index;
};

inline StoreSnapshot TakeSnapshot(EventStore& store,
                                  const std::vector<std::string>& streams) {
  StoreSnapshot snapshot;
  absl::StatusOr<ChainHead> head = store.Head();
  EXPECT_TRUE(head.ok()) << head.status();
  if (head.ok()) {
    snapshot.head_position = head->position;
    snapshot.head_hash = ToHex(head->hash);
  }
  snapshot.log = DescribeAll(ReadWholeLog(store));
  for (const std::string& stream : streams) {
    snapshot.stream_versions[stream] = VersionOf(store, stream);
  }
  snapshot.state = DumpProjection(store, ProjectionTable::kState);
  snapshot.index = DumpProjection(store, ProjectionTable::kIndex);
  return snapshot;
}

inline void ExpectSameSnapshot(const StoreSnapshot& before,
                               const StoreSnapshot& after) {
  EXPECT_EQ(after.head_position, before.head_position);
  EXPECT_EQ(after.head_hash, before.head_hash);
  EXPECT_EQ(after.log, before.log);
  EXPECT_EQ(after.stream_versions, before.stream_versions);
  EXPECT_EQ(after.state, before.state);
  EXPECT_EQ(after.index, before.index);
}

}  // namespace riskledger::storage

#endif  // RISKLEDGER_TESTS_STORAGE_EVENT_STORE_TEST_UTIL_H_
