// Early-return helpers for absl::Status / absl::StatusOr (Abseil 20220623 has
// none).
#ifndef RISKLEDGER_SERVICES_BASE_STATUS_MACROS_H_
#define RISKLEDGER_SERVICES_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define RL_STATUS_CONCAT_INNER_(a, b) a##b
#define RL_STATUS_CONCAT_(a, b) RL_STATUS_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define RETURN_IF_ERROR(expr)                \
  do {                                       \
    ::absl::Status rl_status_ = (expr);      \
    if (!rl_status_.ok()) return rl_status_; \
  } while (false)

// ASSIGN_OR_RETURN(lhs, expr): evaluates `expr` (a StatusOr); on error returns
// its status, otherwise move-assigns the value to `lhs` (which may declare).
#define ASSIGN_OR_RETURN(lhs, expr)                                         \
  RL_ASSIGN_OR_RETURN_IMPL_(RL_STATUS_CONCAT_(rl_statusor_, __LINE__), lhs, \
                            expr)
// `lhs` may be a declaration, so it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define RL_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr)     \
  auto statusor = (expr);                                  \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()
// NOLINTEND(bugprone-macro-parentheses)

#endif  // RISKLEDGER_SERVICES_BASE_STATUS_MACROS_H_
