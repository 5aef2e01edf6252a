// Opens a closed riskledger data directory with plain RocksDB, the way
// someone with file access could, for tests that tamper with a store.
#ifndef RISKLEDGER_TESTS_TESTING_RAW_STORE_H_
#define RISKLEDGER_TESTS_TESTING_RAW_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "storage/column_families.h"

namespace riskledger::testing {

// Hands the database and its column family handles (indexed by
// storage::ColumnFamily) to `edit`, then closes it. Fatal failure if the
// directory cannot be opened.
template <typename Edit>
void EditRawStore(const std::string& path, Edit edit) {
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.reserve(storage::kColumnFamilyNames.size());
  for (const char* name : storage::kColumnFamilyNames) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status status = rocksdb::DB::Open(rocksdb::DBOptions(), path,
                                             descriptors, &handles, &raw);
  ASSERT_TRUE(status.ok()) << status.ToString();
  std::unique_ptr<rocksdb::DB> db(raw);
  edit(*db, handles);
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    EXPECT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  }
  EXPECT_TRUE(db->Close().ok());
}

}  // namespace riskledger::testing

#endif  // RISKLEDGER_TESTS_TESTING_RAW_STORE_H_
