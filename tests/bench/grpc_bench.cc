// The serving-path benchmark (not a test): a closed-loop gRPC load generator
// (callback client) against a real riskledgerd, with this machine's two
// ceilings measured in the same run — a no-op unary call on the same gRPC
// server API (a callback AssessmentService that answers at once with a real
// Risk), and a raw synced RocksDB WriteBatch of the size riskledgerd writes
// per append, at the same concurrency. Prints throughput, p50/p99/p999 and
// every ratio. Run it with tests/bench/run_grpc_bench.sh (docs/PERFORMANCE.md).
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "riskledger/v1/assessment_service.grpc.pb.h"
#include "riskledger/v1/audit_service.grpc.pb.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

ABSL_FLAG(std::string, riskledgerd, "", "path of the riskledgerd binary");
ABSL_FLAG(std::string, work_dir, "",
          "directory for data directories (default: a new one under /tmp)");
ABSL_FLAG(int, seconds, 5, "measured seconds per workload and concurrency");
ABSL_FLAG(std::string, callers, "1,16,64", "concurrent callers to measure");
ABSL_FLAG(int, risks, 100000, "risks in the register for ListRisks");
ABSL_FLAG(bool, keep_data, false,
          "keep the work directory (its data/ holds the large register and "
          "log, e.g. to profile --rebuild_projections on it)");
ABSL_FLAG(int64_t, events, 1000000,
          "log entries for the rebuild and start-up measurements");
ABSL_FLAG(std::string, audit_data, "",
          "only measure log verification and evidence export on this existing "
          "data directory (e.g. the data/ of a run with --keep_data)");
ABSL_FLAG(std::string, serve_noop, "",
          "internal: serve the no-op AssessmentService on this address");
ABSL_FLAG(std::string, noop_risk_file, "",
          "internal: the serialized Risk the no-op service answers with");

extern char** environ;

namespace riskledger::bench {
namespace {

using Stub = v1::AssessmentService::Stub;
using AsyncStub = v1::AssessmentService::StubInterface::async_interface;

constexpr char kTenant[] = "tenants/bench";
constexpr char kAsset[] = "tenants/bench/assets/hr-db";
constexpr absl::Duration kWarmUp = absl::Seconds(1);

// ---- processes -------------------------------------------------------------

// A child process whose combined output is collected by a reader thread.
class Child {
 public:
  explicit Child(std::vector<std::string> args) {
    int fds[2];
    if (pipe(fds) != 0) std::abort();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(),
                    environ) != 0) {
      std::fprintf(stderr, "cannot start %s\n", args[0].c_str());
      std::exit(1);
    }
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    reader_ = std::thread([this, fd = fds[0]] {
      char buffer[4096];
      for (;;) {
        ssize_t n = read(fd, buffer, sizeof(buffer));
        if (n <= 0) break;
        absl::MutexLock lock(&mu_);
        output_.append(buffer, static_cast<size_t>(n));
      }
      close(fd);
    });
  }
  ~Child() {
    if (!exited_) {
      kill(pid_, SIGKILL);
      Wait();
    }
  }

  // Waits until the output contains `needle`; returns the output.
  std::string AwaitOutput(absl::string_view needle) {
    absl::MutexLock lock(&mu_);
    auto found = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) -> bool {
      return absl::StrContains(output_, needle);
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&found), absl::Minutes(10))) {
      std::fprintf(stderr, "child never printed '%s'; output:\n%s\n",
                   std::string(needle).c_str(), output_.c_str());
      std::exit(1);
    }
    return output_;
  }

  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    reader_.join();
    return status;
  }
  std::string Output() {
    absl::MutexLock lock(&mu_);
    return output_;
  }
  void Signal(int number) { kill(pid_, number); }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = 0;
  bool exited_ = false;
  std::thread reader_;
  absl::Mutex mu_;
  std::string output_ ABSL_GUARDED_BY(mu_);
};

// The number after `label` in `text` (0 when absent).
int64_t NumberAfter(const std::string& text, absl::string_view label) {
  size_t at = text.rfind(std::string(label));
  if (at == std::string::npos) return 0;
  at += label.size();
  size_t end = at;
  while (end < text.size() && isdigit(static_cast<unsigned char>(text[end]))) {
    ++end;
  }
  int64_t value = 0;
  (void)absl::SimpleAtoi(text.substr(at, end - at), &value);
  return value;
}

// VmRSS of `pid`, in KiB.
int64_t ResidentKiB(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (!absl::StartsWith(line, "VmRSS:")) continue;
    std::string digits;
    for (char c : line) {
      if (isdigit(static_cast<unsigned char>(c)) != 0) digits += c;
    }
    int64_t kib = 0;
    (void)absl::SimpleAtoi(digits, &kib);
    return kib;
  }
  return 0;
}

// User plus system CPU time `pid` has used so far (/proc/<pid>/stat).
absl::Duration CpuTime(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  const std::string text((std::istreambuf_iterator<char>(stat)),
                         std::istreambuf_iterator<char>());
  // After the parenthesised command name come the state (field 3), ...,
  // utime (field 14) and stime (field 15).
  const size_t close = text.rfind(')');
  if (close == std::string::npos || close + 2 > text.size()) {
    return absl::ZeroDuration();
  }
  const std::vector<std::string> fields =
      absl::StrSplit(text.substr(close + 2), ' ');
  int64_t user = 0;
  int64_t system = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &user) ||
      !absl::SimpleAtoi(fields[12], &system)) {
    return absl::ZeroDuration();
  }
  return absl::Seconds(static_cast<double>(user + system) /
                       static_cast<double>(sysconf(_SC_CLK_TCK)));
}

// A riskledgerd on `data_dir`, listening on an ephemeral loopback port.
class Server {
 public:
  explicit Server(const std::string& data_dir) {
    const absl::Time start = absl::Now();
    child_ = std::make_unique<Child>(std::vector<std::string>{
        absl::GetFlag(FLAGS_riskledgerd), "--listen=127.0.0.1:0",
        absl::StrCat("--data_dir=", data_dir)});
    std::string output = child_->AwaitOutput("listening on ");
    startup_ = absl::Now() - start;
    size_t at = output.find("listening on ") + strlen("listening on ");
    address_ = output.substr(at, output.find(' ', at) - at);
  }
  // SIGTERM, then the shutdown line's counts.
  std::string Stop() {
    child_->Signal(SIGTERM);
    child_->Wait();
    return child_->Output();
  }
  const std::string& address() const { return address_; }
  absl::Duration startup() const { return startup_; }
  pid_t pid() const { return child_->pid(); }

 private:
  std::unique_ptr<Child> child_;
  std::string address_;
  absl::Duration startup_;
};

// ---- load ------------------------------------------------------------------

struct Result {
  double per_second = 0;
  absl::Duration p50, p99, p999;
  int64_t errors = 0;
  std::string first_error;
  // The server's CPU time (user + system) per call, warm-up included.
  absl::Duration server_cpu_per_call;
};

// Where the load goes, and the process serving it (for its CPU time).
struct Target {
  std::string address;
  pid_t pid = 0;
};

absl::Duration Percentile(std::vector<int64_t>& sorted_ns, double fraction) {
  if (sorted_ns.empty()) return absl::ZeroDuration();
  size_t index = static_cast<size_t>(
      fraction * static_cast<double>(sorted_ns.size() - 1));
  return absl::Nanoseconds(sorted_ns[index]);
}

// Stubs over separate connections (one per 16 callers), as many clients
// would open.
std::vector<std::unique_ptr<Stub>> Stubs(const std::string& address,
                                         int callers) {
  std::vector<std::unique_ptr<Stub>> stubs;
  const int channels = std::max(1, callers / 16);
  for (int i = 0; i < channels; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("riskledger.bench.channel", i);  // a connection of its own
    args.SetMaxReceiveMessageSize(64 << 20);
    stubs.push_back(v1::AssessmentService::NewStub(grpc::CreateCustomChannel(
        address, grpc::InsecureChannelCredentials(), args)));
  }
  return stubs;
}

// Closed loop: each caller issues its next call from the previous one's
// completion, for the warm-up and then `duration`; latencies count after
// the warm-up. `issue(stub, context, caller, sequence, done)` starts a call.
template <typename Request, typename Response>
Result ClosedLoop(
    const Target& target, int callers, absl::Duration duration,
    const std::function<void(int caller, int64_t sequence, Request&)>& fill,
    const std::function<void(AsyncStub*, grpc::ClientContext*,
                             const Request*, Response*,
                             std::function<void(grpc::Status)>)>& call) {
  std::vector<std::unique_ptr<Stub>> stubs = Stubs(target.address, callers);
  struct Caller {
    int id = 0;
    Stub* stub = nullptr;
    int64_t sequence = 0;
    Request request;
    Response response;
    std::unique_ptr<grpc::ClientContext> context;
    absl::Time started;
    std::vector<int64_t> latencies;
    int64_t errors = 0;
    std::string first_error;
    int64_t completed = 0;
  };
  std::vector<Caller> state(callers);
  const absl::Time measure_from = absl::Now() + kWarmUp;
  const absl::Time end = measure_from + duration;
  absl::BlockingCounter finished(callers);
  std::function<void(Caller&)> issue = [&](Caller& caller) {
    caller.context = std::make_unique<grpc::ClientContext>();
    caller.request.Clear();
    fill(caller.id, caller.sequence++, caller.request);
    caller.started = absl::Now();
    call(caller.stub->async(), caller.context.get(), &caller.request,
         &caller.response, [&](const grpc::Status& status) {
           const absl::Time now = absl::Now();
           ++caller.completed;
           if (caller.started >= measure_from && now <= end) {
             caller.latencies.push_back(
                 absl::ToInt64Nanoseconds(now - caller.started));
             if (!status.ok()) {
               if (caller.errors++ == 0) {
                 caller.first_error = absl::StrCat(
                     status.error_code(), ": ", status.error_message());
               }
             }
           }
           if (now < end) {
             issue(caller);
           } else {
             finished.DecrementCount();
           }
         });
  };
  for (int i = 0; i < callers; ++i) {
    state[i].id = i;
    state[i].stub = stubs[i % stubs.size()].get();
  }
  const absl::Duration cpu_before = CpuTime(target.pid);
  for (Caller& caller : state) issue(caller);
  finished.Wait();
  Result result;
  std::vector<int64_t> all;
  int64_t completed = 0;
  for (Caller& caller : state) {
    all.insert(all.end(), caller.latencies.begin(), caller.latencies.end());
    completed += caller.completed;
    result.errors += caller.errors;
    if (result.first_error.empty()) result.first_error = caller.first_error;
  }
  std::sort(all.begin(), all.end());
  result.per_second =
      static_cast<double>(all.size()) / absl::ToDoubleSeconds(duration);
  result.p50 = Percentile(all, 0.50);
  result.p99 = Percentile(all, 0.99);
  result.p999 = Percentile(all, 0.999);
  if (target.pid != 0 && completed > 0) {
    result.server_cpu_per_call =
        (CpuTime(target.pid) - cpu_before) / completed;
  }
  return result;
}

// Synced WriteBatches of `bytes` from `threads` threads for `duration`.
Result RawRocksDb(const std::string& path, int threads, size_t bytes,
                  absl::Duration duration) {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (!rocksdb::DB::Open(options, path, &raw).ok()) std::abort();
  std::unique_ptr<rocksdb::DB> db(raw);
  std::vector<std::vector<int64_t>> latencies(threads);
  const absl::Time measure_from = absl::Now() + kWarmUp;
  const absl::Time end = measure_from + duration;
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      rocksdb::WriteOptions sync;
      sync.sync = true;
      const std::string value(bytes / 4, 'v');
      for (int64_t i = 0;; ++i) {
        rocksdb::WriteBatch batch;
        for (int part = 0; part < 4; ++part) {
          (void)batch.Put(absl::StrCat("t", t, "/", i, "/", part), value);
        }
        const absl::Time started = absl::Now();
        if (!db->Write(sync, &batch).ok()) std::abort();
        const absl::Time now = absl::Now();
        if (started >= measure_from && now <= end) {
          latencies[t].push_back(absl::ToInt64Nanoseconds(now - started));
        }
        if (now >= end) break;
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  std::vector<int64_t> all;
  for (auto& own : latencies) all.insert(all.end(), own.begin(), own.end());
  std::sort(all.begin(), all.end());
  Result result;
  result.per_second =
      static_cast<double>(all.size()) / absl::ToDoubleSeconds(duration);
  result.p50 = Percentile(all, 0.50);
  result.p99 = Percentile(all, 0.99);
  result.p999 = Percentile(all, 0.999);
  return result;
}

// ---- requests --------------------------------------------------------------

v1::CreateRiskRequest NewRisk(int owner) {
  v1::CreateRiskRequest request;
  request.set_parent(kTenant);
  v1::Risk& risk = *request.mutable_risk();
  risk.set_asset(kAsset);
  risk.set_vulnerability("weak passwords on the HR portal");
  risk.mutable_threat()->set_actor("external attacker");
  risk.set_risk_factor("credential stuffing");
  risk.set_risk_event("account takeover of an HR administrator");
  risk.set_loss("disclosure of salaries and health data");
  risk.add_affected_properties(v1::SECURITY_PROPERTY_CONFIDENTIALITY);
  risk.set_owner(absl::StrCat("owner-", owner % 10));
  risk.set_source(v1::RISK_SOURCE_INTERNAL);
  return request;
}

void FillAnalyse(const std::vector<std::string>& risks, int run, int caller,
                 int64_t sequence, v1::AnalyseRiskRequest& request) {
  request.set_name(risks[static_cast<size_t>(caller) % risks.size()]);
  request.set_impact(static_cast<int>(1 + sequence % 5));
  request.set_likelihood(static_cast<int>(1 + (sequence / 5) % 5));
  request.set_impact_rationale("salary data of all staff");
  request.set_likelihood_rationale("two incidents at peers last year");
  request.set_request_id(absl::StrFormat("%08x-0000-4000-8000-%04x%08x", run,
                                         caller, sequence));
}

std::unique_ptr<Stub> OneStub(const std::string& address) {
  return std::move(Stubs(address, 1)[0]);
}

template <typename Request, typename Response>
Response MustCall(
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                 Response*),
    Stub& stub, const Request& request) {
  grpc::ClientContext context;
  Response response;
  grpc::Status status = (stub.*method)(&context, request, &response);
  if (!status.ok()) {
    std::fprintf(stderr, "setup call failed: %s\n",
                 status.error_message().c_str());
    std::exit(1);
  }
  return response;
}

// Creates risks with `callers` concurrent callers until `count` exist.
std::vector<std::string> CreateRisks(const std::string& address, int count,
                                     int callers) {
  std::vector<std::unique_ptr<Stub>> stubs = Stubs(address, callers);
  std::vector<std::string> names(count);
  std::atomic<int> next{0};
  std::vector<std::thread> workers;
  workers.reserve(callers);
  for (int t = 0; t < callers; ++t) {
    workers.emplace_back([&, t] {
      Stub& stub = *stubs[t % stubs.size()];
      for (int i = next++; i < count; i = next++) {
        names[i] = MustCall(&Stub::CreateRisk, stub, NewRisk(i)).name();
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  return names;
}

// ---- report ----------------------------------------------------------------

void Print(absl::string_view workload, int callers, const Result& result,
           const std::string& ratios = "") {
  const std::string cpu =
      result.server_cpu_per_call > absl::ZeroDuration()
          ? absl::StrFormat(
                "  server CPU %.0f us/call",
                absl::ToDoubleMicroseconds(result.server_cpu_per_call))
          : "";
  std::printf("%-34s %3d  %9.0f/s  p50 %7.2f ms  p99 %7.2f ms  p999 %7.2f ms%s%s%s\n",
              std::string(workload).c_str(), callers, result.per_second,
              absl::ToDoubleMilliseconds(result.p50),
              absl::ToDoubleMilliseconds(result.p99),
              absl::ToDoubleMilliseconds(result.p999), cpu.c_str(),
              ratios.c_str(),
              result.errors > 0
                  ? absl::StrCat("  ERRORS ", result.errors, " (",
                                 result.first_error, ")")
                        .c_str()
                  : "");
  std::fflush(stdout);
}

std::string Ratio(absl::string_view name, const Result& result,
                  const Result& ceiling) {
  return absl::StrFormat("  %.2fx %s", result.per_second / ceiling.per_second,
                         std::string(name));
}

// ---- the no-op service -----------------------------------------------------

class NoopService final : public v1::AssessmentService::CallbackService {
 public:
  explicit NoopService(v1::Risk risk) : risk_(std::move(risk)) {}
  grpc::ServerUnaryReactor* AnalyseRisk(grpc::CallbackServerContext* context,
                                        const v1::AnalyseRiskRequest*,
                                        v1::Risk* response) override {
    return Answer(context, response);
  }
  grpc::ServerUnaryReactor* GetRisk(grpc::CallbackServerContext* context,
                                    const v1::GetRiskRequest*,
                                    v1::Risk* response) override {
    return Answer(context, response);
  }

 private:
  grpc::ServerUnaryReactor* Answer(grpc::CallbackServerContext* context,
                                   v1::Risk* response) {
    *response = risk_;
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
  const v1::Risk risk_;
};

int ServeNoop() {
  v1::Risk risk;
  std::ifstream file(absl::GetFlag(FLAGS_noop_risk_file), std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  if (!risk.ParseFromString(bytes.str())) return 1;
  NoopService service(std::move(risk));
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(absl::GetFlag(FLAGS_serve_noop),
                           grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  std::printf("noop listening on 127.0.0.1:%d \n", port);
  std::fflush(stdout);
  server->Wait();
  return 0;
}

// ---- the run ---------------------------------------------------------------

std::vector<int> CallerCounts() {
  std::vector<int> counts;
  for (absl::string_view part :
       absl::StrSplit(absl::GetFlag(FLAGS_callers), ',')) {
    int count = 0;
    if (absl::SimpleAtoi(part, &count) && count > 0) counts.push_back(count);
  }
  return counts;
}

// The audit trail's read side on the data directory `data`: VerifyLog over
// the whole log, then the tenant's whole evidence bundle. 0 when both ran.
int MeasureAudit(const std::string& data) {
  {
    // VerifyLog over the whole log (chain, Merkle tree recomputed against
    // the stored one, checkpoints): one thread.
    const absl::Time started = absl::Now();
    Child verify({absl::GetFlag(FLAGS_riskledgerd), "--verify_log",
                  absl::StrCat("--data_dir=", data)});
    if (verify.Wait() != 0) {
      std::fprintf(stderr, "verification failed:\n%s\n",
                   verify.Output().c_str());
      return 1;
    }
    const double seconds = absl::ToDoubleSeconds(absl::Now() - started);
    const int64_t entries = NumberAfter(verify.Output(), "verifies: ");
    std::printf("log verification (--verify_log, one thread, process "
                "included): %lld entries in %.2f s: %.0f entries/s\n",
                static_cast<long long>(entries), seconds,
                static_cast<double>(entries) / seconds);
  }
  {
    // The tenant's whole evidence bundle, read by one client.
    Server server(data);
    std::unique_ptr<v1::AuditService::Stub> audit = v1::AuditService::NewStub(
        grpc::CreateChannel(server.address(),
                            grpc::InsecureChannelCredentials()));
    v1::ExportEvidenceRequest request;
    request.set_parent(kTenant);
    grpc::ClientContext context;
    const absl::Time started = absl::Now();
    std::unique_ptr<grpc::ClientReader<v1::EvidenceRecord>> reader =
        audit->ExportEvidence(&context, request);
    v1::EvidenceRecord record;
    int64_t records = 0;
    int64_t bytes = 0;
    while (reader->Read(&record)) {
      ++records;
      bytes += static_cast<int64_t>(record.ByteSizeLong());
    }
    const grpc::Status status = reader->Finish();
    const double seconds = absl::ToDoubleSeconds(absl::Now() - started);
    if (!status.ok()) {
      std::fprintf(stderr, "export failed: %s\n",
                   status.error_message().c_str());
      return 1;
    }
    std::printf("evidence export of the tenant: %lld records, %.1f MB in "
                "%.2f s: %.1f MB/s, %.0f records/s\n",
                static_cast<long long>(records), static_cast<double>(bytes) / 1e6,
                seconds, static_cast<double>(bytes) / 1e6 / seconds,
                static_cast<double>(records) / seconds);
    server.Stop();
  }
  return 0;
}

int Run() {
  const absl::Duration duration = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  std::string work = absl::GetFlag(FLAGS_work_dir);
  if (work.empty()) {
    char pattern[] = "/tmp/riskledger-bench-XXXXXX";
    work = mkdtemp(pattern);
  }
  const std::string data = work + "/data";
  const std::vector<int> callers = CallerCounts();
  const int max_callers = *std::max_element(callers.begin(), callers.end());
  std::printf("riskledger gRPC benchmark: %d s per measurement, %u cores, "
              "work dir %s\n",
              absl::GetFlag(FLAGS_seconds),
              std::thread::hardware_concurrency(), work.c_str());

  // 1. Set up, then AnalyseRisk at the highest concurrency alone, so that
  // the server's own count of synced writes belongs to it.
  std::vector<std::string> hot_risks;
  std::map<int, Result> analyse;
  int64_t bytes_per_append = 0;
  {
    Server server(data);
    auto stub = OneStub(server.address());
    v1::CreateAssetRequest asset;
    asset.set_parent(kTenant);
    asset.set_asset_id("hr-db");
    asset.mutable_asset()->set_display_name("HR database");
    asset.mutable_asset()->set_owner("alice");
    MustCall(&Stub::CreateAsset, *stub, asset);
    hot_risks = CreateRisks(server.address(), max_callers, 1);
    const std::string before = server.Stop();
    (void)before;
  }
  {
    Server server(data);
    analyse[max_callers] = ClosedLoop<v1::AnalyseRiskRequest, v1::Risk>(
        Target{server.address(), server.pid()}, max_callers, duration,
        [&](int caller, int64_t sequence, v1::AnalyseRiskRequest& request) {
          FillAnalyse(hot_risks, 1, caller, sequence, request);
        },
        [](AsyncStub* async, grpc::ClientContext* context,
           const v1::AnalyseRiskRequest* request, v1::Risk* response,
           std::function<void(grpc::Status)> done) {
          async->AnalyseRisk(context, request, response, std::move(done));
        });
    const std::string output = server.Stop();
    const int64_t appends = NumberAfter(output, "since start ");
    const int64_t syncs = NumberAfter(output, "appends acknowledged in ");
    const int64_t bytes = NumberAfter(output, "synced log writes of ");
    bytes_per_append = appends > 0 ? bytes / appends : 0;
    std::printf("AnalyseRisk at %d callers: %lld appends acknowledged in %lld "
                "synced writes: %.3f syncs per write; %lld bytes per append\n",
                max_callers, static_cast<long long>(appends),
                static_cast<long long>(syncs),
                appends > 0 ? static_cast<double>(syncs) / static_cast<double>(appends)
                            : 0.0,
                static_cast<long long>(bytes_per_append));
  }

  // 2. The ceilings, in this run.
  std::string risk_file = work + "/risk.bin";
  {
    Server server(data);
    auto stub = OneStub(server.address());
    v1::GetRiskRequest get;
    get.set_name(hot_risks[0]);
    std::ofstream(risk_file, std::ios::binary)
        << MustCall(&Stub::GetRisk, *stub, get).SerializeAsString();
    server.Stop();
  }
  std::map<int, Result> noop;
  std::map<int, Result> raw;
  {
    Child noop_server({"/proc/self/exe", "--serve_noop=127.0.0.1:0",
                       absl::StrCat("--noop_risk_file=", risk_file)});
    std::string output = noop_server.AwaitOutput("listening on ");
    size_t at = output.find("listening on ") + strlen("listening on ");
    const std::string address = output.substr(at, output.find(' ', at) - at);
    for (int count : callers) {
      noop[count] = ClosedLoop<v1::AnalyseRiskRequest, v1::Risk>(
          Target{address, noop_server.pid()}, count, duration,
          [&](int caller, int64_t sequence, v1::AnalyseRiskRequest& request) {
            FillAnalyse(hot_risks, 0, caller, sequence, request);
          },
          [](AsyncStub* async, grpc::ClientContext* context,
             const v1::AnalyseRiskRequest* request, v1::Risk* response,
             std::function<void(grpc::Status)> done) {
            async->AnalyseRisk(context, request, response, std::move(done));
          });
      Print("ceiling: no-op unary gRPC call", count, noop[count]);
    }
    noop_server.Signal(SIGKILL);
  }
  for (int count : callers) {
    raw[count] = RawRocksDb(absl::StrCat(work, "/raw-", count), count,
                            static_cast<size_t>(bytes_per_append), duration);
    Print(absl::StrCat("ceiling: raw synced WriteBatch ", bytes_per_append,
                       " B"),
          count, raw[count]);
  }

  // 3. The workloads.
  {
    Server server(data);
    for (int count : callers) {
      if (!analyse.count(count)) {
        analyse[count] = ClosedLoop<v1::AnalyseRiskRequest, v1::Risk>(
            Target{server.address(), server.pid()}, count, duration,
            [&](int caller, int64_t sequence, v1::AnalyseRiskRequest& request) {
              FillAnalyse(hot_risks, 2, caller, sequence, request);
            },
            [](AsyncStub* async, grpc::ClientContext* context,
               const v1::AnalyseRiskRequest* request, v1::Risk* response,
               std::function<void(grpc::Status)> done) {
              async->AnalyseRisk(context, request, response, std::move(done));
            });
      }
      Print("AnalyseRisk (distinct risks)", count, analyse[count],
            Ratio("no-op", analyse[count], noop[count]) +
                Ratio("raw WriteBatch", analyse[count], raw[count]));
    }
    for (int count : callers) {
      Result created = ClosedLoop<v1::CreateRiskRequest, v1::Risk>(
          Target{server.address(), server.pid()}, count, duration,
          [](int caller, int64_t sequence, v1::CreateRiskRequest& request) {
            request = NewRisk(caller);
            request.set_request_id(absl::StrFormat(
                "%08x-0000-4000-8000-%04x%08x", 3, caller, sequence));
          },
          [](AsyncStub* async, grpc::ClientContext* context,
             const v1::CreateRiskRequest* request, v1::Risk* response,
             std::function<void(grpc::Status)> done) {
            async->CreateRisk(context, request, response, std::move(done));
          });
      Print("CreateRisk (one tenant)", count, created,
            Ratio("AnalyseRisk", created, analyse[count]) +
                Ratio("no-op", created, noop[count]));
    }
    for (int count : callers) {
      Result got = ClosedLoop<v1::GetRiskRequest, v1::Risk>(
          Target{server.address(), server.pid()}, count, duration,
          [&](int caller, int64_t, v1::GetRiskRequest& request) {
            request.set_name(hot_risks[static_cast<size_t>(caller) %
                                       hot_risks.size()]);
          },
          [](AsyncStub* async, grpc::ClientContext* context,
             const v1::GetRiskRequest* request, v1::Risk* response,
             std::function<void(grpc::Status)> done) {
            async->GetRisk(context, request, response, std::move(done));
          });
      Print("GetRisk", count, got, Ratio("no-op", got, noop[count]));
    }
    server.Stop();
  }

  // 4. A large register and log: ListRisks, memory, start-up, rebuild.
  {
    Server server(data);
    const absl::Time started = absl::Now();
    std::vector<std::string> all = CreateRisks(
        server.address(), absl::GetFlag(FLAGS_risks), max_callers);
    std::printf("created %zu risks in %.1f s\n", all.size(),
                absl::ToDoubleSeconds(absl::Now() - started));
    std::fflush(stdout);
    // Two entries per create, one per analysis: analyse until the log holds
    // the requested number of entries.
    std::string output = server.Stop();
    (void)output;
  }
  int64_t head = 0;
  {
    Server server(data);
    std::vector<std::string> names;
    {
      // The names of every risk, from the register itself.
      auto stub = OneStub(server.address());
      v1::ListRisksRequest list;
      list.set_parent(kTenant);
      list.set_page_size(1000);
      list.set_order_by("risk_id");
      for (;;) {
        v1::ListRisksResponse page = MustCall(&Stub::ListRisks, *stub, list);
        for (const v1::Risk& risk : page.risks()) names.push_back(risk.name());
        if (page.next_page_token().empty()) break;
        list.set_page_token(page.next_page_token());
      }
    }
    const std::string counted = server.Stop();
    head = NumberAfter(counted, "log head ");
    const int64_t missing = absl::GetFlag(FLAGS_events) - head;
    if (missing > 0) {
      Server filler(data);
      std::vector<std::unique_ptr<Stub>> stubs =
          Stubs(filler.address(), max_callers);
      std::atomic<int64_t> next{0};
      std::vector<std::thread> workers;
      workers.reserve(max_callers);
      const absl::Time started = absl::Now();
      for (int t = 0; t < max_callers; ++t) {
        workers.emplace_back([&, t] {
          Stub& stub = *stubs[t % stubs.size()];
          for (int64_t i = next++; i < missing; i = next++) {
            v1::AnalyseRiskRequest request;
            request.set_name(names[static_cast<size_t>(i) % names.size()]);
            request.set_impact(static_cast<int>(1 + i % 5));
            request.set_likelihood(static_cast<int>(1 + (i / 7) % 5));
            request.set_impact_rationale("reviewed");
            request.set_likelihood_rationale("reviewed");
            MustCall(&Stub::AnalyseRisk, stub, request);
          }
        });
      }
      for (std::thread& worker : workers) worker.join();
      std::printf("analysed %lld times in %.1f s\n",
                  static_cast<long long>(missing),
                  absl::ToDoubleSeconds(absl::Now() - started));
      head = NumberAfter(filler.Stop(), "log head ");
    }
  }
  std::printf("register: %d risks, log: %lld entries\n",
              absl::GetFlag(FLAGS_risks), static_cast<long long>(head));
  {
    Server server(data);
    std::printf("start-up on that data: %.2f s\n",
                absl::ToDoubleSeconds(server.startup()));
    for (const char* filter : {"", "owner = \"owner-3\""}) {
      Result page = ClosedLoop<v1::ListRisksRequest, v1::ListRisksResponse>(
          Target{server.address(), server.pid()}, 1, duration,
          [&](int, int64_t, v1::ListRisksRequest& request) {
            request.set_parent(kTenant);
            request.set_page_size(50);
            request.set_filter(filter);
          },
          [](AsyncStub* async, grpc::ClientContext* context,
             const v1::ListRisksRequest* request,
             v1::ListRisksResponse* response,
             std::function<void(grpc::Status)> done) {
            async->ListRisks(context, request, response, std::move(done));
          });
      Print(absl::StrCat("ListRisks page of 50, priority",
                         *filter ? ", filter" : ""),
            1, page);
    }
    std::printf("server resident memory: %lld MiB\n",
                static_cast<long long>(ResidentKiB(server.pid()) / 1024));
    server.Stop();
  }
  {
    const absl::Time started = absl::Now();
    Child rebuild({absl::GetFlag(FLAGS_riskledgerd), "--rebuild_projections",
                   absl::StrCat("--data_dir=", data)});
    if (rebuild.Wait() != 0) {
      std::fprintf(stderr, "rebuild failed:\n%s\n", rebuild.Output().c_str());
      return 1;
    }
    const double seconds = absl::ToDoubleSeconds(absl::Now() - started);
    std::printf("projection rebuild: %lld entries in %.2f s: %.0f entries/s\n",
                static_cast<long long>(head), seconds,
                static_cast<double>(head) / seconds);
  }
  if (const int failed = MeasureAudit(data); failed != 0) return failed;
  if (absl::GetFlag(FLAGS_keep_data)) {
    std::printf("kept the work directory %s\n", work.c_str());
  } else {
    std::filesystem::remove_all(work);
  }
  return 0;
}

}  // namespace
}  // namespace riskledger::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (!absl::GetFlag(FLAGS_serve_noop).empty()) {
    return riskledger::bench::ServeNoop();
  }
  if (absl::GetFlag(FLAGS_riskledgerd).empty()) {
    std::fprintf(stderr, "--riskledgerd=PATH is required\n");
    return 1;
  }
  if (const std::string data = absl::GetFlag(FLAGS_audit_data); !data.empty()) {
    return riskledger::bench::MeasureAudit(data);
  }
  return riskledger::bench::Run();
}
