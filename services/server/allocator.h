// Which memory allocator the process runs on, for its start-up log line.
#ifndef RISKLEDGER_SERVICES_SERVER_ALLOCATOR_H_
#define RISKLEDGER_SERVICES_SERVER_ALLOCATOR_H_

#include <string>

namespace riskledger::server {

// "jemalloc <version>" when riskledgerd is linked with jemalloc (every build
// but the sanitizer ones, whose runtimes bring their own allocator), else
// "system".
std::string AllocatorName();

}  // namespace riskledger::server

#endif  // RISKLEDGER_SERVICES_SERVER_ALLOCATOR_H_
