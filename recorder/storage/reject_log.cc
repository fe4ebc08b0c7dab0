// RejectLog: rejects quarantine files and per-reason counts.
#include "storage/reject_log.h"

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "storage/layout.h"

namespace ibr::storage {

RejectLog::RejectLog(std::string root, FileSystem& fs, const Clock& clock, std::string source_name,
                     RejectLogLimits limits)
    : root_(std::move(root)), fs_(fs), clock_(clock), source_name_(std::move(source_name)), limits_(limits) {}

void RejectLog::BeginBatch() {
  in_batch_ = true;
  batch_kept_ = batch_not_kept_ = batch_total_ = 0;
  batch_counts_.fill(0);
}

std::uint64_t RejectLog::EndBatch() {
  in_batch_ = false;
  return batch_not_kept_;
}

RejectLog::~RejectLog() { Flush(); }

void RejectLog::Add(std::uint64_t line_number, ingest::RejectReason reason, std::string_view input,
                    std::string_view detail) {
  auto i = static_cast<std::size_t>(reason);
  if (counts_[i] == 0) {
    std::cerr << "ib-recorder: rejected input (" << ingest::RejectReasonCode(reason) << ") at " << source_name_
              << " line " << line_number << ": " << detail
              << "; further rejects of this kind are counted, not logged, and kept in " << root_ << "/rejects/\n";
  }
  ++counts_[i];
  ++unsaved_[i];
  ++total_;
  if (in_batch_) {
    ++batch_counts_[i];
    ++batch_total_;
  }
  bool keep = !in_batch_ || batch_kept_ < limits_.keep_per_batch;
  std::string entry;
  if (keep) {
    const std::int64_t day = clock_.Now() / (86'400 * kUsPerSecond);
    if (day != day_) {  // a new day file: count what an earlier run left in it
      day_ = day;
      auto size = fs_.FileSize(RejectsPath(root_, clock_.Now()));
      day_bytes_ = (size.ok() ? *size : 0) + buffer_.size();
    }
    std::string_view head = input.substr(0, 1024);
    nlohmann::json j;
    j["line"] = line_number;
    j["reason"] = std::string(ingest::RejectReasonCode(reason));
    // Input is arbitrary bytes: keep it as text, replacing invalid UTF-8.
    j["input"] = std::string(head);
    entry = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    entry += '\n';
    keep = day_bytes_ + entry.size() <= limits_.bytes_per_day;
  }
  if (!keep) {
    if (not_kept_ == 0) {
      std::cerr << "ib-recorder: the rejects quarantine is full (at most " << limits_.keep_per_batch
                << " lines per batch, " << (limits_.bytes_per_day >> 20) << " MiB per day in " << root_
                << "/rejects/): further rejects are counted by reason, not kept\n";
    }
    ++not_kept_;
    if (in_batch_) ++batch_not_kept_;
    return;
  }
  if (in_batch_) ++batch_kept_;
  day_bytes_ += entry.size();
  buffer_ += entry;
  if (buffer_.size() > (64 << 10)) Flush();
}

Status RejectLog::Flush() {
  if (buffer_.empty()) return Status::Ok();
  std::string path = RejectsPath(root_, clock_.Now());
  if (path != current_path_ || !file_) {
    IBR_RETURN_IF_ERROR(fs_.CreateDirs(DirName(path)));
    auto f = fs_.OpenAppend(path);
    if (!f.ok()) return f.status();
    file_ = std::move(f.value());
    current_path_ = path;
  }
  Status s = file_->Append(buffer_);
  buffer_.clear();
  return s;
}

std::map<std::string, std::int64_t> RejectLog::counts() const {
  std::map<std::string, std::int64_t> out;
  for (int i = 0; i < ingest::kRejectReasonCount; ++i) {
    if (counts_[i]) out[std::string(ingest::RejectReasonCode(static_cast<ingest::RejectReason>(i)))] = counts_[i];
  }
  return out;
}

std::map<std::string, std::int64_t> RejectLog::batch_counts() const {
  std::map<std::string, std::int64_t> out;
  for (int i = 0; i < ingest::kRejectReasonCount; ++i) {
    if (batch_counts_[i]) out[std::string(ingest::RejectReasonCode(static_cast<ingest::RejectReason>(i)))] = batch_counts_[i];
  }
  return out;
}

std::map<std::string, std::int64_t> RejectLog::TakeUnflushedCounts() {
  std::map<std::string, std::int64_t> out;
  for (int i = 0; i < ingest::kRejectReasonCount; ++i) {
    if (unsaved_[i]) out[std::string(ingest::RejectReasonCode(static_cast<ingest::RejectReason>(i)))] = unsaved_[i];
    unsaved_[i] = 0;
  }
  return out;
}

}  // namespace ibr::storage
