// TempDir: mkdtemp on creation, recursive removal on destruction.
#include "tests/testing/temp_dir.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace riskledger::testing {

TempDir::TempDir() {
  const char* base = std::getenv("RISKLEDGER_TEST_TMPDIR");
  if (base == nullptr || *base == '\0') base = std::getenv("TMPDIR");
  if (base == nullptr || *base == '\0') base = "/tmp";
  std::filesystem::create_directories(base);
  std::string pattern = std::string(base) + "/riskledger-test-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    std::abort();  // tests cannot run without a scratch directory
  }
  path_ = buffer.data();
}

TempDir::~TempDir() {
  std::error_code ignored;  // best effort: a leftover dir only costs disk
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace riskledger::testing
