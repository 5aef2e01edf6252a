// AllocatorName: asks jemalloc for its version when it is linked in.
#include "services/server/allocator.h"

#ifdef RISKLEDGER_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

namespace riskledger::server {

std::string AllocatorName() {
#ifdef RISKLEDGER_JEMALLOC
  const char* version = nullptr;
  size_t size = sizeof(version);
  if (mallctl("version", &version, &size, nullptr, 0) == 0 &&
      version != nullptr) {
    return std::string("jemalloc ") + version;
  }
  return "jemalloc";
#else
  return "system";
#endif
}

}  // namespace riskledger::server
