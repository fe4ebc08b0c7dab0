// JsonRecordReader: the .jsonl files of an ib-stream tree, whichever writer
// made them — v2 ({storage}/[v2/]json/YYYY/MM/DD/HH/{stream_id}.jsonl: one
// full v2 message per line, passed on as it is) or v3
// ({storage}/v3/json/.../{cid}_{tt}_{hour_epoch_s}.jsonl: one flat record per
// line, rewritten as a v2 message by V3Record). Each line is judged by its own
// shape (a v3 record has "cid" or no "type"), so a mixed file is read right;
// a line that is not a JSON object is passed on for the v2 decoder to name
// (bad_json / not_object). Pure functions.
#pragma once

#include <string_view>

#include "legacy/legacy_record.h"

namespace ibr::legacy {

void ReadLegacyJsonFile(std::string_view content, const RecordFn& on_record);

// True when the file's first parsable line is a v3 record (for the report's
// per-layout file counts; records are judged one by one regardless).
bool FirstJsonRecordIsV3(std::string_view content);

}  // namespace ibr::legacy
