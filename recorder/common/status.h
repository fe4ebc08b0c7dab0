// Status and Result<T>: errors as values at module boundaries.
//
// A Status is ok or carries a code and a message that says what went wrong
// and, where it can, what to do. Result<T> is a value or a Status. Neither
// throws; exceptions stay inside a unit. Thread-compatible value types.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ibr {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad input from a user (exit 2 / HTTP 400)
  kNotFound,
  kAlreadyExists,    // e.g. input already ingested
  kCorruption,       // bytes on disk are not what we wrote
  kIoError,          // the OS said no (errno kept in the message)
  kDiskFull,         // ENOSPC or below the configured free-space floor
  kBusy,             // lock held by another process
  kFailedPrecondition,  // e.g. catalog newer than this binary
  kUnavailable,      // peer (upstream, database) unreachable
  kInternal,
};

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status DiskFull(std::string m) { return {StatusCode::kDiskFull, std::move(m)}; }
  static Status Busy(std::string m) { return {StatusCode::kBusy, std::move(m)}; }
  static Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;
  // Returns a copy whose message is "context: message".
  Status WithContext(const std::string& context) const;

 private:
  Status(StatusCode c, std::string m) : code_(c), message_(std::move(m)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

const char* StatusCodeName(StatusCode code);

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}                 // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}          // NOLINT: must not be ok
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace ibr

// Return early from the enclosing function when an expression yields a non-ok Status.
#define IBR_RETURN_IF_ERROR(expr)            \
  do {                                       \
    ::ibr::Status ibr_status__ = (expr);     \
    if (!ibr_status__.ok()) return ibr_status__; \
  } while (0)
