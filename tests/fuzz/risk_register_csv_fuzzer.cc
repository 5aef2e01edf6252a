// riskctl's register import: any bytes as a CSV file (the CSV reader, cell
// conversion by field path, the server's request rules) must give rows or an
// error, never a crash; every row's request ids stay valid AIP-155 ids.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "clients/cli/register_import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto rows = riskledger::cli::ReadRegister(text, "tenants/acme");
  if (!rows.ok()) return 0;
  for (const auto& row : *rows) {
    if (row.create.request_id().size() > 128) std::abort();
    if (row.analyse && row.analyse->request_id().size() > 128) std::abort();
  }
  return 0;
}
