// OutageRule: when a stream lifecycle message opens or closes an outage of its contract — the
// one rule the live writer (SessionBook) and `ib-recorder ingest` both apply: an `error` or
// `complete` opens one (cause "<type>:<code>"); any other message of that contract, or a tick
// of it, ends it. Pure functions; any thread.
#pragma once

#include <string>

#include "ingest/v2_decoder.h"

namespace ibr::ingest {

enum class OutageEffect { kNone, kOpens, kCloses };

// kNone for a message without a contract.
inline OutageEffect OutageEffectOf(const LifecycleEvent& ev) {
  if (!ev.contract_id) return OutageEffect::kNone;
  return ev.type == "error" || ev.type == "complete" ? OutageEffect::kOpens : OutageEffect::kCloses;
}

inline std::string OutageCause(const LifecycleEvent& ev) { return ev.type + ":" + ev.code; }

}  // namespace ibr::ingest
