// A fresh, uniquely named temporary directory per test, removed afterwards.
#ifndef RISKLEDGER_TESTS_TESTING_TEMP_DIR_H_
#define RISKLEDGER_TESTS_TESTING_TEMP_DIR_H_

#include <string>

namespace riskledger::testing {

// Creates a new directory under $RISKLEDGER_TEST_TMPDIR (or $TMPDIR, or /tmp)
// and deletes it recursively when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace riskledger::testing

#endif  // RISKLEDGER_TESTS_TESTING_TEMP_DIR_H_
