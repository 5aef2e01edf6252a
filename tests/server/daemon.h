// A riskledgerd child process for process-level tests: spawn with
// arguments, read its output, signal it, wait for its exit code.
#ifndef RISKLEDGER_TESTS_SERVER_DAEMON_H_
#define RISKLEDGER_TESTS_SERVER_DAEMON_H_

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

extern char** environ;

namespace riskledger {

// A riskledgerd child process whose stderr and stdout the test reads line by
// line.
class Daemon {
 public:
  explicit Daemon(std::vector<std::string> args) {
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<char*> argv;
    argv.reserve(args.size() + 2);
    args.insert(args.begin(), RISKLEDGERD_PATH);
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    EXPECT_EQ(posix_spawn(&pid_, RISKLEDGERD_PATH, &actions, nullptr,
                          argv.data(), environ),
              0);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    stderr_ = fds[0];
  }

  ~Daemon() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(stderr_);
  }

  // Reads stderr until a line contains `needle` (true) or the pipe closes.
  bool WaitForLine(absl::string_view needle, std::string* line_out = nullptr) {
    std::string line;
    char c;
    while (read(stderr_, &c, 1) == 1) {
      output_.push_back(c);
      if (c != '\n') {
        line.push_back(c);
        continue;
      }
      if (absl::StrContains(line, needle)) {
        if (line_out != nullptr) *line_out = line;
        return true;
      }
      line.clear();
    }
    return false;
  }

  // Waits for exit and returns the exit code (-1 if killed by a signal).
  int Wait() {
    WaitForLine("\x01never");  // drain stderr to EOF
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  void Signal(int signal_number) { kill(pid_, signal_number); }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  int stderr_ = -1;
  bool exited_ = false;
  std::string output_;
};

// A plain-text channel to the daemon on `port`.
inline std::shared_ptr<grpc::Channel> LoopbackChannel(int port) {
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                             grpc::InsecureChannelCredentials());
}

// Starts a daemon on a free port and returns the port it logged.
inline int StartAndReadPort(Daemon& daemon) {
  std::string line;
  if (!daemon.WaitForLine("listening on 127.0.0.1:", &line)) return 0;
  std::string rest = line.substr(line.find("127.0.0.1:") + 10);
  int port = 0;
  EXPECT_TRUE(absl::SimpleAtoi(rest.substr(0, rest.find(' ')), &port)) << line;
  return port;
}

}  // namespace riskledger

#endif  // RISKLEDGER_TESTS_SERVER_DAEMON_H_
