// LoadOrCreateSecret: POSIX file handling around RAND_bytes.
#include "services/server/secret_file.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"

namespace riskledger::server {
namespace {

absl::Status FileError(absl::string_view what, const std::string& path) {
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot ", what, " secret file '", path, "': ", std::strerror(errno)));
}

absl::StatusOr<std::string> ReadSecret(const std::string& path, size_t size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return FileError("open", path);
  absl::Cleanup close_fd = [fd] { ::close(fd); };
  struct stat info {};
  if (::fstat(fd, &info) != 0) return FileError("inspect", path);
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("secret file '", path,
                     "' is accessible by group or others; chmod 600 it"));
  }
  std::string secret(size + 1, '\0');
  const ssize_t bytes_read = ::read(fd, secret.data(), secret.size());
  if (bytes_read < 0) return FileError("read", path);
  if (static_cast<size_t>(bytes_read) != size) {
    return absl::FailedPreconditionError(absl::StrCat(
        "secret file '", path, "' does not hold exactly ", size, " bytes"));
  }
  secret.resize(size);
  return secret;
}

absl::Status WriteSecret(const std::string& path, size_t size) {
  std::string secret(size, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()),
                 static_cast<int>(size)) != 1) {
    return absl::InternalError("OpenSSL could not generate random bytes");
  }
  const std::string temporary = path + ".tmp";
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return FileError("create", temporary);
  absl::Cleanup close_fd = [fd] { ::close(fd); };
  if (::fchmod(fd, 0600) != 0) return FileError("restrict", temporary);
  if (::write(fd, secret.data(), size) != static_cast<ssize_t>(size)) {
    return FileError("write", temporary);
  }
  if (::fsync(fd) != 0) return FileError("sync", temporary);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    return FileError("install", path);
  }
  const std::string directory =
      std::filesystem::path(path).parent_path().string();
  const int dir_fd =
      ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_CLOEXEC);
  if (dir_fd >= 0) {
    (void)::fsync(dir_fd);  // best effort: durable renames need it on ext4
    ::close(dir_fd);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> LoadOrCreateSecret(const std::string& path,
                                               size_t size) {
  if (::access(path.c_str(), F_OK) != 0) {
    if (errno != ENOENT) return FileError("look for", path);
    absl::Status written = WriteSecret(path, size);
    if (!written.ok()) return written;
  }
  return ReadSecret(path, size);
}

}  // namespace riskledger::server
