// Tests of the riskledgerd process: start-up and stop log lines, exit codes for
// unusable configurations, graceful stop on SIGTERM/SIGINT, and the rebuild
// command.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli/blocking_unary_call.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "riskledger/v1/admin_service.grpc.pb.h"
#include "riskledger/v1/assessment_service.grpc.pb.h"
#include "tests/server/daemon.h"
#include "tests/testing/temp_dir.h"

namespace riskledger {
namespace {

TEST(RiskledgerdProcessTest, ServesThenStopsCleanlyOnSigterm) {
  testing::TempDir dir;
  Daemon daemon({"--listen=127.0.0.1:0", "--data_dir=" + dir.Sub("data")});
  int port = StartAndReadPort(daemon);
  ASSERT_GT(port, 0) << daemon.output();
  // The allocator it runs on: jemalloc, but in sanitizer builds.
#ifdef RISKLEDGER_EXPECT_JEMALLOC
  EXPECT_TRUE(absl::StrContains(daemon.output(), "allocator jemalloc 5."))
      << daemon.output();
#else
  EXPECT_TRUE(absl::StrContains(daemon.output(), "allocator system"))
      << daemon.output();
#endif

  {  // The client goes away first: an idle connected client would make gRPC's
     // graceful shutdown wait for it (bounded by the grace period).
    auto channel = LoopbackChannel(port);
    auto stub = v1::AssessmentService::NewStub(channel);
    grpc::ClientContext context;
    v1::GetMethodologyRequest request;
    request.set_name("tenants/acme/methodologies/default");
    v1::Methodology methodology;
    grpc::Status status = stub->GetMethodology(&context, request, &methodology);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(methodology.bands_size(), 5);
  }

  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(), 0);
  EXPECT_TRUE(absl::StrContains(daemon.output(), "received SIGTERM"));
  EXPECT_TRUE(absl::StrContains(daemon.output(), "storage closed cleanly"));
}

// Sends `bytes` as the serialized request of AssessmentService/`method`.
grpc::Status SendRaw(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& method, const std::string& bytes) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  std::string response;
  return cli::BlockingUnaryCall(
      channel, context, absl::StrCat("/riskledger.v1.AssessmentService/", method),
      bytes, response);
}

// The requests that once killed or hung the server, then SIGTERM: the server
// answers each, keeps serving, logs protobuf's complaints at a bounded rate,
// and stops cleanly.
TEST(RiskledgerdProcessTest, SurvivesHostileRequestsAndStillStopsOnSigterm) {
  testing::TempDir dir;
  Daemon daemon({"--listen=127.0.0.1:0", "--data_dir=" + dir.Sub("data"),
                 "--shutdown_grace_seconds=2"});
  int port = StartAndReadPort(daemon);
  ASSERT_GT(port, 0) << daemon.output();
  {
    auto channel = LoopbackChannel(port);
    auto stub = v1::AssessmentService::NewStub(channel);
    for (int i = 0; i < 3; ++i) {
      grpc::ClientContext context;
      v1::AnalyseRiskRequest request;
      request.set_name("tenants/t/risks/R-2026-12345678901234567890");
      request.set_impact(3);
      request.set_likelihood(3);
      request.set_impact_rationale("r");
      request.set_likelihood_rationale("r");
      v1::Risk risk;
      EXPECT_EQ(stub->AnalyseRisk(&context, request, &risk).error_code(),
                grpc::StatusCode::INVALID_ARGUMENT);
    }
    // GetRiskRequest{name: "\xff"}: invalid UTF-8, 50 times.
    for (int i = 0; i < 50; ++i) {
      EXPECT_EQ(SendRaw(channel, "GetRisk", std::string("\x0a\x01\xff", 3))
                    .error_code(),
                grpc::StatusCode::INVALID_ARGUMENT);
    }
    // Compressed requests, 50 times: refused, and gRPC's own log line about
    // each is rate-limited too.
    for (int i = 0; i < 50; ++i) {
      grpc::ClientContext context;
      context.set_compression_algorithm(GRPC_COMPRESS_GZIP);
      v1::GetMethodologyRequest request;
      request.set_name("tenants/t/methodologies/default");
      v1::Methodology methodology;
      EXPECT_EQ(
          stub->GetMethodology(&context, request, &methodology).error_code(),
          grpc::StatusCode::UNIMPLEMENTED);
    }
    grpc::ClientContext context;
    v1::GetMethodologyRequest request;
    request.set_name("tenants/t/methodologies/default");
    v1::Methodology methodology;
    EXPECT_TRUE(stub->GetMethodology(&context, request, &methodology).ok());
  }
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(), 0) << daemon.output();
  EXPECT_TRUE(absl::StrContains(daemon.output(), "storage closed cleanly"));
  // Rate-limited: 50 complaints in well under 10 s make one line.
  std::vector<std::string> lines = absl::StrSplit(daemon.output(), '\n');
  for (const char* complaint : {"invalid UTF-8", "is disabled"}) {
    EXPECT_TRUE(absl::StrContains(daemon.output(), complaint)) << complaint;
    EXPECT_LE(std::count_if(lines.begin(), lines.end(),
                            [&](const std::string& line) {
                              return absl::StrContains(line, complaint);
                            }),
              2)
        << complaint << "\n"
        << daemon.output();
  }
}

// Idle clients and half-open connections stay open; SIGTERM still stops the
// server within the grace period (plus an allowance). A hostile test once saw
// gRPC's own teardown (~Server -> grpc_shutdown -> grpc_iomgr_shutdown) hold
// the process for 9-10 s under load whatever --shutdown_grace_seconds said;
// riskledgerd now exits once storage is closed instead of tearing gRPC down.
// This test keeps the bound; it does not reproduce that load.
TEST(RiskledgerdProcessTest, IdleConnectedClientDoesNotDelayStopPastGrace) {
  testing::TempDir dir;
  Daemon daemon({"--listen=127.0.0.1:0", "--data_dir=" + dir.Sub("data"),
                 "--shutdown_grace_seconds=1"});
  int port = StartAndReadPort(daemon);
  ASSERT_GT(port, 0) << daemon.output();
  auto channel = LoopbackChannel(port);
  auto stub = v1::AssessmentService::NewStub(channel);
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext context;
    v1::ListAssetsRequest request;
    request.set_parent("tenants/acme");
    v1::ListAssetsResponse response;
    ASSERT_TRUE(stub->ListAssets(&context, request, &response).ok());
  }
  // Idle TCP connections, some stopped half-way through the HTTP/2 preface:
  // gRPC's teardown waits for them.
  std::vector<int> sockets;
  for (int i = 0; i < 20; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(
        connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    if (i % 2 == 0) {
      constexpr char kPrefaceStart[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
      ASSERT_GT(write(fd, kPrefaceStart, sizeof(kPrefaceStart) - 1), 0);
    }
    sockets.push_back(fd);
  }
  const absl::Time signalled = absl::Now();
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(), 0) << daemon.output();
  // The grace period plus a generous allowance for a loaded machine; the
  // old teardown took 9-10 s here.
  EXPECT_LT(absl::Now() - signalled, absl::Seconds(6)) << daemon.output();
  EXPECT_TRUE(absl::StrContains(daemon.output(), "storage closed cleanly"));
  for (int fd : sockets) close(fd);
}

TEST(RiskledgerdProcessTest, StopsCleanlyOnSigintAndReleasesTheDataDir) {
  testing::TempDir dir;
  {
    Daemon daemon({"--listen=127.0.0.1:0", "--data_dir=" + dir.Sub("data")});
    ASSERT_GT(StartAndReadPort(daemon), 0) << daemon.output();
    daemon.Signal(SIGINT);
    EXPECT_EQ(daemon.Wait(), 0);
    EXPECT_TRUE(absl::StrContains(daemon.output(), "received SIGINT"));
  }
  // The RocksDB lock was released: the same directory opens again.
  Daemon again({"--listen=127.0.0.1:0", "--data_dir=" + dir.Sub("data")});
  EXPECT_GT(StartAndReadPort(again), 0) << again.output();
  again.Signal(SIGTERM);
  EXPECT_EQ(again.Wait(), 0);
}

TEST(RiskledgerdProcessTest, PortInUseIsAClearErrorAndNonZeroExit) {
  testing::TempDir dir;
  Daemon first({"--listen=127.0.0.1:0", "--data_dir=" + dir.Sub("a")});
  int port = StartAndReadPort(first);
  ASSERT_GT(port, 0) << first.output();
  Daemon second({absl::StrCat("--listen=127.0.0.1:", port),
                 "--data_dir=" + dir.Sub("b")});
  EXPECT_EQ(second.Wait(), 1);
  EXPECT_TRUE(absl::StrContains(second.output(), "cannot listen on"))
      << second.output();
  first.Signal(SIGTERM);
  EXPECT_EQ(first.Wait(), 0);
}

TEST(RiskledgerdProcessTest, UnusableDataDirIsAClearErrorAndNonZeroExit) {
  testing::TempDir dir;
  std::ofstream(dir.Sub("plain-file")) << "not a directory";
  Daemon daemon(
      {"--listen=127.0.0.1:0", "--data_dir=" + dir.Sub("plain-file/data")});
  EXPECT_EQ(daemon.Wait(), 1);
  EXPECT_TRUE(absl::StrContains(daemon.output(), "data directory"))
      << daemon.output();
}

TEST(RiskledgerdProcessTest, DataDirInUseByAnotherServerIsRefused) {
  testing::TempDir dir;
  Daemon first({"--listen=127.0.0.1:0", "--data_dir=" + dir.Sub("data")});
  ASSERT_GT(StartAndReadPort(first), 0) << first.output();
  Daemon second({"--listen=127.0.0.1:0", "--data_dir=" + dir.Sub("data")});
  EXPECT_EQ(second.Wait(), 1);
  EXPECT_TRUE(absl::StrContains(second.output(), "cannot open data directory"))
      << second.output();
  first.Signal(SIGTERM);
  EXPECT_EQ(first.Wait(), 0);
}

TEST(RiskledgerdProcessTest, RefusesPlainTextOnNonLoopbackAddress) {
  testing::TempDir dir;
  Daemon daemon({"--listen=0.0.0.0:0", "--data_dir=" + dir.Sub("data")});
  EXPECT_EQ(daemon.Wait(), 1);
  EXPECT_TRUE(absl::StrContains(daemon.output(), "not loopback"))
      << daemon.output();
}

TEST(RiskledgerdProcessTest, RebuildCommandRebuildsAnExistingStoreAndExits) {
  testing::TempDir dir;
  {
    Daemon daemon({"--listen=127.0.0.1:0", "--data_dir=" + dir.Sub("data")});
    ASSERT_GT(StartAndReadPort(daemon), 0) << daemon.output();
    daemon.Signal(SIGTERM);
    ASSERT_EQ(daemon.Wait(), 0);
  }
  Daemon rebuild({"--rebuild_projections", "--data_dir=" + dir.Sub("data")});
  EXPECT_EQ(rebuild.Wait(), 0);
  EXPECT_TRUE(absl::StrContains(rebuild.output(), "rebuilt from the log"))
      << rebuild.output();
}

TEST(RiskledgerdProcessTest, VerifyChainReportsTheHeadOfAnIntactLog) {
  testing::TempDir dir;
  int port = 0;
  {
    Daemon daemon({"--listen=127.0.0.1:0", "--data_dir=" + dir.Sub("data")});
    port = StartAndReadPort(daemon);
    ASSERT_GT(port, 0) << daemon.output();
    {
      auto stub = v1::AssessmentService::NewStub(LoopbackChannel(port));
      grpc::ClientContext context;
      v1::CreateAssetRequest request;
      request.set_parent("tenants/acme");
      request.set_asset_id("hr-db");
      request.mutable_asset()->set_display_name("HR database");
      request.mutable_asset()->set_owner("alice");
      v1::Asset asset;
      ASSERT_TRUE(stub->CreateAsset(&context, request, &asset).ok());
    }
    daemon.Signal(SIGTERM);
    ASSERT_EQ(daemon.Wait(), 0);
  }
  Daemon verify({"--verify_chain", "--data_dir=" + dir.Sub("data")});
  EXPECT_EQ(verify.Wait(), 0);
  EXPECT_TRUE(absl::StrContains(verify.output(), "verifies: 1 entries"))
      << verify.output();

  // A mistyped directory is "cannot check" (2), not "broken" (1), and is
  // not created.
  Daemon missing({"--verify_chain", "--data_dir=" + dir.Sub("typo")});
  EXPECT_EQ(missing.Wait(), 2) << missing.output();
  EXPECT_TRUE(absl::StrContains(missing.output(), "no riskledger store"))
      << missing.output();
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("typo")));
}

TEST(RiskledgerdProcessTest, BackupThroughTheAdminRpcThenRestoreFlag) {
  testing::TempDir dir;
  std::string entry_hash;
  {
    Daemon daemon({"--listen=127.0.0.1:0", "--data_dir=" + dir.Sub("data"),
                   "--backup_dir=" + dir.Sub("backups")});
    const int port = StartAndReadPort(daemon);
    ASSERT_GT(port, 0) << daemon.output();
    auto channel = LoopbackChannel(port);
    {
      auto stub = v1::AssessmentService::NewStub(channel);
      grpc::ClientContext context;
      v1::CreateAssetRequest request;
      request.set_parent("tenants/acme");
      request.set_asset_id("hr-db");
      request.mutable_asset()->set_display_name("HR database");
      request.mutable_asset()->set_owner("alice");
      v1::Asset asset;
      ASSERT_TRUE(stub->CreateAsset(&context, request, &asset).ok());
    }
    auto admin = v1::AdminService::NewStub(channel);
    grpc::ClientContext context;
    v1::Backup backup;
    grpc::Status status =
        admin->CreateBackup(&context, v1::CreateBackupRequest(), &backup);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(backup.log_position(), 1);
    entry_hash = backup.log_entry_hash();
    daemon.Signal(SIGTERM);
    ASSERT_EQ(daemon.Wait(), 0);
  }
  Daemon restore({"--restore_backup=" + dir.Sub("backups"),
                  "--data_dir=" + dir.Sub("restored")});
  EXPECT_EQ(restore.Wait(), 0) << restore.output();
  EXPECT_TRUE(absl::StrContains(restore.output(), "verifies: 1 entries"))
      << restore.output();
  EXPECT_TRUE(absl::StrContains(restore.output(), entry_hash))
      << restore.output();
  Daemon verify({"--verify_chain", "--data_dir=" + dir.Sub("restored")});
  EXPECT_EQ(verify.Wait(), 0) << verify.output();

  // Never over an existing store.
  Daemon again({"--restore_backup=" + dir.Sub("backups"),
                "--data_dir=" + dir.Sub("restored")});
  EXPECT_EQ(again.Wait(), 1) << again.output();
  EXPECT_TRUE(absl::StrContains(again.output(), "not an empty directory"))
      << again.output();
}

TEST(RiskledgerdProcessTest, HelpListsEveryFlagWithItsMeaning) {
  Daemon help({"--help"});
  help.Wait();
  for (const char* flag :
       {"--listen", "--data_dir", "--sync_writes", "--shutdown_grace_seconds",
        "--verify_chain", "--rebuild_projections", "--backup_dir",
        "--restore_backup", "--backup_id"}) {
    EXPECT_TRUE(absl::StrContains(help.output(), flag)) << flag;
  }
  EXPECT_TRUE(absl::StrContains(help.output(), "loopback only"));
  EXPECT_FALSE(absl::StrContains(help.output(), "No flags matched"))
      << help.output();
}

// Acknowledged entries live in the WAL until a flush. A damaged WAL record
// with acknowledged entries after it must stop the start-up (RocksDB's
// default recovery would silently drop everything after the damage).
TEST(RiskledgerdProcessTest, DamagedWalIsReportedNotSilentlyTruncated) {
  testing::TempDir dir;
  const std::string data = dir.Sub("data");
  {
    Daemon daemon({"--listen=127.0.0.1:0", "--data_dir=" + data});
    const int port = StartAndReadPort(daemon);
    ASSERT_GT(port, 0) << daemon.output();
    auto stub = v1::AssessmentService::NewStub(LoopbackChannel(port));
    for (int i = 0; i < 50; ++i) {
      v1::CreateAssetRequest request;
      request.set_parent("tenants/acme");
      request.set_asset_id(absl::StrCat("asset-", i));
      request.mutable_asset()->set_display_name(std::string(200, 'x'));
      request.mutable_asset()->set_owner("alice");
      v1::Asset asset;
      grpc::ClientContext context;
      ASSERT_TRUE(stub->CreateAsset(&context, request, &asset).ok());
    }
    daemon.Signal(SIGKILL);  // no flush: the entries are only in the WAL
    daemon.Wait();
  }
  std::string wal;
  uintmax_t wal_size = 0;
  for (const auto& entry : std::filesystem::directory_iterator(data)) {
    if (entry.path().extension() == ".log" && entry.file_size() > wal_size) {
      wal = entry.path().string();
      wal_size = entry.file_size();
    }
  }
  ASSERT_GT(wal_size, 10000u) << "no WAL holding the writes";
  {
    // Flip a byte a third into the WAL: records of acknowledged writes
    // follow it.
    std::fstream file(wal, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(static_cast<std::streamoff>(wal_size / 3));
    char byte = 0;
    file.read(&byte, 1);
    byte = static_cast<char>(byte ^ 0x5a);
    file.seekp(static_cast<std::streamoff>(wal_size / 3));
    file.write(&byte, 1);
  }
  Daemon restarted({"--listen=127.0.0.1:0", "--data_dir=" + data});
  // Reads its output to the end: a daemon that starts serving fails here.
  ASSERT_FALSE(restarted.WaitForLine("listening on"))
      << "served a log with a damaged WAL: " << restarted.output();
  EXPECT_EQ(restarted.Wait(), 1);
  EXPECT_TRUE(absl::StrContains(restarted.output(), "DATA_LOSS") ||
              absl::StrContains(restarted.output(), "orruption"))
      << restarted.output();
}

TEST(RiskledgerdProcessTest, RebuildOfAMissingStoreFails) {
  testing::TempDir dir;
  Daemon rebuild({"--rebuild_projections", "--data_dir=" + dir.Sub("typo")});
  EXPECT_EQ(rebuild.Wait(), 1);
  EXPECT_TRUE(absl::StrContains(rebuild.output(), "no riskledger store"))
      << rebuild.output();
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("typo")));
}

}  // namespace
}  // namespace riskledger
