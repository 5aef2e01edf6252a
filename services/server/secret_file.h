// Server secrets kept in the data directory (the page-token key today):
// created once with random bytes and owner-only permissions, then reused, so
// that what they protect survives restarts.
#ifndef RISKLEDGER_SERVICES_SERVER_SECRET_FILE_H_
#define RISKLEDGER_SERVICES_SERVER_SECRET_FILE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace riskledger::server {

// The `size` bytes stored at `path`. When the file does not exist it is
// created (mode 0600, written to a temporary file, synced, then renamed into
// place) from OpenSSL's RAND_bytes. FAILED_PRECONDITION when the file exists
// with another size or is readable by group or others.
absl::StatusOr<std::string> LoadOrCreateSecret(const std::string& path,
                                               size_t size);

}  // namespace riskledger::server

#endif  // RISKLEDGER_SERVICES_SERVER_SECRET_FILE_H_
