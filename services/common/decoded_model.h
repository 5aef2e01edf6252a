// Read models held decoded by a view that keeps decoded values (the
// rebuild), so that a model many events change is parsed and serialized once
// instead of per event. Other views see plain encoded Gets and Puts.
#ifndef RISKLEDGER_SERVICES_COMMON_DECODED_MODEL_H_
#define RISKLEDGER_SERVICES_COMMON_DECODED_MODEL_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "storage/projector.h"

namespace riskledger {

template <typename Model>
class DecodedModel final : public storage::DecodedValue {
 public:
  explicit DecodedModel(Model model) : model(std::move(model)) {}
  std::string Encode() const override { return model.SerializeAsString(); }
  // A parsed message takes about twice its encoding (string headers).
  size_t ApproximateBytes() const override {
    return sizeof(*this) + 2 * model.ByteSizeLong();
  }

  Model model;
};

// The model at `key` (nullopt when there is none): moved out of the view
// when it keeps it decoded, then the caller must PutModel the key again
// before anyone reads it; else parsed. DATA_LOSS when it does not parse.
template <typename Model>
absl::StatusOr<std::optional<Model>> TakeModel(storage::ProjectionView& view,
                                               storage::ProjectionTable table,
                                               absl::string_view key) {
  if (auto* kept =
          dynamic_cast<DecodedModel<Model>*>(view.FindDecoded(table, key))) {
    return std::optional<Model>(std::move(kept->model));
  }
  absl::StatusOr<std::optional<std::string>> bytes = view.Get(table, key);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::optional<Model>();
  Model model;
  if (!model.ParseFromString(**bytes)) {
    return absl::DataLossError(
        absl::StrCat("read model '", key, "' is corrupt"));
  }
  return std::optional<Model>(std::move(model));
}

// Writes the model at `key` (decoded, to a view that keeps decoded values).
template <typename Model>
void PutModel(storage::ProjectionView& view, storage::ProjectionTable table,
              absl::string_view key, Model model) {
  view.PutDecoded(table, key,
                  std::make_unique<DecodedModel<Model>>(std::move(model)));
}

}  // namespace riskledger

#endif  // RISKLEDGER_SERVICES_COMMON_DECODED_MODEL_H_
