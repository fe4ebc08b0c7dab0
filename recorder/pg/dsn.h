// Database address text that is safe to show: a libpq connection string or
// URI, or any message that may quote one, with passwords replaced by *****.
// Everything ib-sync and federation log, print or write (sync-state.json)
// goes through MaskSecrets. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace ibr::pg {

// "host=db password='s3 cret' user=x" -> "host=db password=***** user=x";
// "postgresql://u:pw@h/db?password=pw" -> "postgresql://u:*****@h/db?password=*****".
std::string MaskSecrets(std::string_view text);

// A DSN for messages: masked, and "(PG* environment)" when empty.
std::string DescribeDsn(std::string_view dsn);

}  // namespace ibr::pg
