// The RocksDB column families of a riskledger data directory, declared once.
#ifndef RISKLEDGER_STORAGE_COLUMN_FAMILIES_H_
#define RISKLEDGER_STORAGE_COLUMN_FAMILIES_H_

#include <array>

namespace riskledger::storage {

// Index of each column family in kColumnFamilyNames and in the handle vector.
enum ColumnFamily : int {
  // RocksDB's mandatory family; riskledger stores nothing in it.
  kDefaultFamily = 0,
  // The log: 8-byte big-endian position -> encoded entry (EVENT_FORMAT.md).
  // Append-only: entries are never updated or deleted.
  kEventsFamily,
  // Stream index: stream id, 0x00, 8-byte big-endian version -> 8-byte
  // position. Stream ids never contain 0x00.
  kStreamsFamily,
  // Projection table kState: resource key -> serialized read model.
  kStateFamily,
  // Projection table kIndex: sort key -> value (e.g. priority order).
  kIndexFamily,
  // Idempotency key -> request digest, response and positions.
  kIdempotencyFamily,
  // Store-wide markers, e.g. kProjectionsIncompleteKey while a rebuild runs.
  kMetaFamily,
  // The verifiable log (audit_log.h), keys from audit_family_keys.h: every
  // perfect subtree of the Merkle tree (written with the entries that
  // complete it), signed checkpoints, verifier keys and the log's origin.
  kAuditFamily,
  kColumnFamilyCount,
};

inline constexpr std::array<const char*, kColumnFamilyCount>
    kColumnFamilyNames = {"default", "events", "streams", "state",
                          "index",   "idempotency", "meta", "audit"};

// Present in kMetaFamily from the start of a projection rebuild until it
// finished: projections are then partial and must not be served.
inline constexpr char kProjectionsIncompleteKey[] = "projections_incomplete";

// Deleted (never written) in every family to start a new write-ahead-log
// file after a failed write (RocksDbEventStore::RetireFailedLogFile). No
// family uses the empty key.
inline constexpr char kLogRetirementKey[] = "";

}  // namespace riskledger::storage

#endif  // RISKLEDGER_STORAGE_COLUMN_FAMILIES_H_
