#include "pg/pg_connection.h"

#include "pg/dsn.h"

namespace ibr::pg {

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool Has(const std::string& text, const char* needle) { return text.find(needle) != std::string::npos; }

}  // namespace

std::string DescribeConnectionLoss(const std::string& libpq_text, const std::string& what) {
  const std::string text = MaskSecrets(Trim(libpq_text));
  // libpq's words after a server restart are about its own state ("Could not obtain client
  // encoding: not connected.", "server closed the connection unexpectedly"): say what happened.
  if (Has(text, "not connected") || Has(text, "server closed the connection") || Has(text, "no connection to the server") ||
      Has(text, "terminating connection") || Has(text, "connection to server was lost") ||
      Has(text, "Lost connection")) {
    return "central database connection lost (server restarted?) while trying to " + what;
  }
  if (Has(text, "the database system is starting up") || Has(text, "the database system is shutting down") ||
      Has(text, "the database system is in recovery mode")) {
    return "central database is restarting (\"" + text + "\") while trying to " + what;
  }
  return "cannot " + what + ": " + text;
}

namespace {

}  // namespace

Result<std::unique_ptr<pqxx::connection>> PgConnect(const std::string& dsn) {
  try {
    return std::make_unique<pqxx::connection>(dsn);
  } catch (...) {
    return PgErrorStatus("connect to " + DescribeDsn(dsn));
  }
}

Status PgErrorStatus(const std::string& what) {
  try {
    throw;
  } catch (const pqxx::broken_connection& e) {
    return Status::Unavailable(DescribeConnectionLoss(e.what(), what));
  } catch (const pqxx::in_doubt_error& e) {
    return Status::Unavailable("connection lost while committing (" + what +
                               "); the position will be re-read: " + MaskSecrets(Trim(e.what())));
  } catch (const pqxx::transaction_rollback& e) {
    return Status::Unavailable("transaction rolled back by the server (" + what + "), will retry: " +
                               MaskSecrets(Trim(e.what())));
  } catch (const pqxx::insufficient_privilege& e) {  // libpqxx 6.4 often leaves sqlstate() empty
    return Status::FailedPrecondition(what + ": " + MaskSecrets(Trim(e.what())) +
                                      " (the role lacks a privilege: connect as ib_sync, and re-run init-schema)");
  } catch (const pqxx::undefined_table& e) {
    return Status::FailedPrecondition(what + ": " + MaskSecrets(Trim(e.what())) +
                                      " (is the central schema installed? run `ib-sync init-schema --dsn <owner>`)");
  } catch (const pqxx::undefined_function& e) {
    return Status::FailedPrecondition(what + ": " + MaskSecrets(Trim(e.what())) +
                                      " (is the central schema installed? run `ib-sync init-schema --dsn <owner>`)");
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    std::string msg = MaskSecrets(Trim(e.what()));
    // 08: connection exception; 57P0x: shutdown / cannot connect now; 53: resources; 40: rollback.
    // (libpqxx 6.4 does not always fill sqlstate(): the server's words are checked too.)
    const bool gone = msg.find("terminating connection") != std::string::npos ||
                      msg.find("server closed the connection") != std::string::npos ||
                      msg.find("the database system is") != std::string::npos ||
                      msg.find("no connection to the server") != std::string::npos;
    if (gone || state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) {
      return Status::Unavailable(DescribeConnectionLoss(msg, what));
    }
    if (state.rfind("53", 0) == 0 || state.rfind("40", 0) == 0) {
      return Status::Unavailable("postgres unavailable (" + what + "): " + msg);
    }
    if (state == "42P01" || state == "42883" || state == "3F000") {
      return Status::FailedPrecondition(what + ": " + msg +
                                        " (is the central schema installed? run `ib-sync init-schema --dsn <owner>`)");
    }
    if (state == "42501") {
      return Status::FailedPrecondition(what + ": " + msg +
                                        " (the role lacks a privilege: connect as ib_sync, and re-run init-schema)");
    }
    return Status::Internal(what + ": " + msg + (state.empty() ? "" : " [SQLSTATE " + state + "]"));
  } catch (const pqxx::failure& e) {
    const std::string text = Trim(e.what());
    if (Has(text, "not connected") || Has(text, "server closed the connection")) {
      return Status::Unavailable(DescribeConnectionLoss(text, what));
    }
    return Status::Unavailable("postgres error (" + what + "): " + MaskSecrets(text));
  } catch (const std::exception& e) {
    return Status::Internal(what + ": " + MaskSecrets(Trim(e.what())));
  } catch (...) {
    return Status::Internal(what + ": unknown error");
  }
}

}  // namespace ibr::pg
