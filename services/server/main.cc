// riskledgerd: the riskledger gRPC server process.
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/base/log.h"
#include "services/server/allocator.h"
#include "services/server/server.h"
#include "storage/backup.h"
#include "storage/event_codec.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "host:port to listen on (loopback only; port 0 picks a free port)");
ABSL_FLAG(std::string, data_dir, "riskledger-data",
          "directory of the embedded RocksDB event store (created if missing)");
ABSL_FLAG(bool, sync_writes, true,
          "answer a mutation only after its write is synced to disk");
ABSL_FLAG(int, shutdown_grace_seconds, 10,
          "on SIGINT/SIGTERM, how long in-flight calls may take to finish");
ABSL_FLAG(bool, verify_log, false,
          "check the whole log offline (hash chain, Merkle tree, signed "
          "checkpoints), print its head and root, and exit: 0 verified, 1 "
          "damaged (naming the first bad position), 2 could not be checked");
ABSL_FLAG(bool, verify_chain, false, "the same as --verify_log (older name)");
ABSL_FLAG(std::string, log_origin, "",
          "on first start, the log's origin: the first line of its signed "
          "checkpoints and the name of its signing key (default "
          "riskledger/<random id>); later starts keep the stored one");
ABSL_FLAG(bool, rotate_checkpoint_key, false,
          "retire the checkpoint signing key (renamed, its public key stays "
          "known) and sign with a new one from this start on");
ABSL_FLAG(int, checkpoint_interval_seconds, 60,
          "how often a signed checkpoint of the log is made while it grows "
          "(0: only at start, at shutdown and on demand)");
ABSL_FLAG(bool, rebuild_projections, false,
          "drop all projections (read models and aggregate states), derive "
          "them again from the log with every registered projector, and exit; "
          "after an interrupted rebuild the server refuses to start until it "
          "is run again");
ABSL_FLAG(int, rebuild_memory_mib, 512,
          "with --rebuild_projections: how much of the rebuilt projections "
          "may be held in memory before they are written out (more is "
          "faster; less still rebuilds, reading written values back)");
ABSL_FLAG(std::string, backup_dir, "",
          "directory where AdminService.CreateBackup writes verified online "
          "backups (RocksDB BackupEngine); empty: backups are refused");
ABSL_FLAG(std::string, restore_backup, "",
          "restore a backup from this backup directory into --data_dir (which "
          "must be new or empty), verify the restored hash chain, print its "
          "head, and exit");
ABSL_FLAG(int, backup_id, 0,
          "with --restore_backup: the backup to restore (0: the latest)");

// --help lists the flags of this file (Abseil's default looks for a file
// named like the program, which riskledgerd's main.cc is not).
bool IsRiskledgerdFlagFile(absl::string_view path) {
  return absl::EndsWith(path, "services/server/main.cc");
}

int main(int argc, char** argv) {
  absl::FlagsUsageConfig usage;
  usage.contains_help_flags = IsRiskledgerdFlagFile;
  usage.contains_helpshort_flags = IsRiskledgerdFlagFile;
  usage.normalize_filename = [](absl::string_view path) {
    const size_t services = path.find("services/");
    return std::string(services == absl::string_view::npos
                           ? path
                           : path.substr(services));
  };
  absl::SetFlagsUsageConfig(usage);
  absl::SetProgramUsageMessage(
      "information-security risk register with a verifiable audit log.\n"
      "Serves riskledger.v1 over gRPC on a loopback address, or, with\n"
      "--verify_log, --rebuild_projections or --restore_backup, works on\n"
      "the data directory offline and exits. Usage: riskledgerd [flags]");
  absl::ParseCommandLine(argc, argv);
  // Debian builds Abseil with mutex deadlock detection, which records every
  // lock acquisition in a global graph (measured: a large share of the
  // server's CPU per write). The test suite keeps it on to catch lock-order
  // bugs; the production server turns it off.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);

  // --verify_log: 0 verified, 1 damaged, 2 could not be checked.
  constexpr int kExitCannotCheck = 2;
  if (absl::GetFlag(FLAGS_verify_log) || absl::GetFlag(FLAGS_verify_chain)) {
    absl::StatusOr<riskledger::storage::LogVerification> verified =
        riskledger::server::VerifyLog(data_dir);
    if (absl::IsDataLoss(verified.status())) {
      riskledger::LogError("log in %s does not verify: %s", data_dir,
                           verified.status().ToString());
      return EXIT_FAILURE;
    }
    if (!verified.ok()) {  // not a verdict on the log: it could not be read
      riskledger::LogError("cannot check the log in %s: %s", data_dir,
                           verified.status().ToString());
      return kExitCannotCheck;
    }
    riskledger::LogInfo(
        "log in %s verifies: %d entries, head hash %s, Merkle root %s, %d "
        "signed checkpoints",
        data_dir, verified->head.position,
        riskledger::storage::ToHex(verified->head.hash),
        riskledger::storage::ToHex(verified->tree.root),
        verified->checkpoints);
    return EXIT_SUCCESS;
  }

  const std::string restore_from = absl::GetFlag(FLAGS_restore_backup);
  if (!restore_from.empty()) {
    const int backup_id = absl::GetFlag(FLAGS_backup_id);
    if (backup_id < 0) {
      riskledger::LogError("--backup_id must be 0 (latest) or a backup id");
      return EXIT_FAILURE;
    }
    absl::StatusOr<riskledger::storage::ChainHead> head =
        riskledger::storage::RestoreBackup(
            restore_from, static_cast<uint32_t>(backup_id), data_dir);
    if (!head.ok()) {
      riskledger::LogError("restore from %s into %s failed: %s", restore_from,
                           data_dir, head.status().ToString());
      return EXIT_FAILURE;
    }
    riskledger::LogInfo(
        "restored %s into %s; its log verifies: %d entries, head hash %s",
        restore_from, data_dir, head->position,
        riskledger::storage::ToHex(head->hash));
    return EXIT_SUCCESS;
  }

  if (absl::GetFlag(FLAGS_rebuild_projections)) {
    absl::Status rebuilt = riskledger::server::RebuildProjections(
        data_dir,
        size_t{static_cast<unsigned>(
            std::max(1, absl::GetFlag(FLAGS_rebuild_memory_mib)))}
            << 20);
    if (!rebuilt.ok()) {
      riskledger::LogError("rebuild of projections in %s failed: %s", data_dir,
                           rebuilt.ToString());
      return EXIT_FAILURE;
    }
    riskledger::LogInfo("projections in %s rebuilt from the log", data_dir);
    return EXIT_SUCCESS;
  }

  // Block the stop signals before any thread starts, so that every thread
  // inherits the mask and only sigwait below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  riskledger::server::ServerOptions options;
  options.listen_address = absl::GetFlag(FLAGS_listen);
  options.data_dir = data_dir;
  options.sync_writes = absl::GetFlag(FLAGS_sync_writes);
  options.log_origin = absl::GetFlag(FLAGS_log_origin);
  options.rotate_checkpoint_key = absl::GetFlag(FLAGS_rotate_checkpoint_key);
  options.checkpoint_interval =
      absl::Seconds(std::max(0, absl::GetFlag(FLAGS_checkpoint_interval_seconds)));
  options.backup_dir = absl::GetFlag(FLAGS_backup_dir);
  absl::StatusOr<std::unique_ptr<riskledger::server::RiskledgerServer>> server =
      riskledger::server::RiskledgerServer::Start(options);
  if (!server.ok()) {
    riskledger::LogError("riskledgerd failed to start: %s",
                         server.status().ToString());
    return EXIT_FAILURE;
  }
  riskledger::LogInfo(
      "riskledgerd listening on %s (data dir %s, sync writes %s, allocator "
      "%s)",
      (*server)->address(), data_dir, options.sync_writes ? "on" : "off",
      riskledger::server::AllocatorName());

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  riskledger::LogInfo("riskledgerd received %s; finishing in-flight calls",
                      signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  absl::Status stopped = (*server)->Shutdown(
      absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)));
  if (!stopped.ok()) {
    riskledger::LogError(
        "riskledgerd stopped, but storage did not close cleanly: %s",
        stopped.ToString());
  } else {
    const auto counts = (*server)->write_counts();
    riskledger::LogInfo(
        "riskledgerd stopped; storage closed cleanly (log head %d; since "
        "start %d appends acknowledged in %d synced log writes of %d bytes)",
        counts.log_head, counts.acknowledged_appends, counts.synced_writes,
        counts.written_bytes);
  }
  // No call runs and storage is closed (synced): what is left is freeing
  // memory. Destroying the gRPC server would wait in gRPC's own shutdown for
  // idle client connections (up to 10 s, whatever the grace period), so the
  // process ends here and leaves that to the operating system.
  std::fflush(stderr);
  std::_Exit(stopped.ok() ? EXIT_SUCCESS : EXIT_FAILURE);
}
